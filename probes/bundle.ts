import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { zipSync } from 'fflate';

/**
 * Builds Lambda code into a deployment package: esbuild bundles the handler
 * with the SDK clients it uses (so it does not depend on the SDK version a
 * Lambda runtime happens to ship), then fflate zips it with a fixed
 * timestamp so the same source always gives the same bytes. Packages are
 * cached under .cache/lambda by a hash of their sources and the lockfile,
 * so a second build of unchanged code costs a file read.
 *
 * @example
 *   const zip = await bundleProbe('s3-reach'); // Uint8Array, handler index.handler
 */
const root = fileURLToPath(new URL('..', import.meta.url));

export function bundleProbe(name: 's3-reach'): Promise<Uint8Array> {
  return bundleLambda(join(root, 'probes', name, 'index.ts'));
}

/** Bundles the handler module `entry` (and the files beside it) as `index.js`. */
export async function bundleLambda(entry: string): Promise<Uint8Array> {
  return cachedBundle(await sourceHash(entry), { entryPoints: [entry] });
}

/**
 * Bundles handler source text (an ES module exporting `handler`, resolving
 * its imports from the project) as `index.js`: for functions a test writes inline.
 */
export async function bundleLambdaSource(source: string): Promise<Uint8Array> {
  const key = createHash('sha256')
    .update(source)
    .update(await pinnedVersions())
    .digest('hex')
    .slice(0, 20);
  return cachedBundle(key, { stdin: { contents: source, resolveDir: root, loader: 'ts' } });
}

async function cachedBundle(
  key: string,
  input: Pick<BuildOptions, 'entryPoints' | 'stdin'>,
): Promise<Uint8Array> {
  const cached = join(root, '.cache', 'lambda', `${key}.zip`);
  try {
    return new Uint8Array(await readFile(cached));
  } catch {
    // not built yet
  }
  const result = await build({
    ...input,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const zip = zipSync({
    'index.js': [result.outputFiles[0]!.contents, { mtime: new Date('2020-01-01T00:00:00Z') }],
  });
  // Other processes (parallel test files) read this cache: write aside, then
  // rename, so that a reader sees no file or a whole one, never half a zip.
  await mkdir(dirname(cached), { recursive: true });
  const aside = `${cached}.${process.pid}.${randomUUID()}`;
  await writeFile(aside, zip);
  await rename(aside, cached);
  return zip;
}

/**
 * The sources of a handler's folder, of common/ (the pure modules a handler
 * may import: the error table) and the lockfile (which pins the SDK it bundles).
 */
async function sourceHash(entry: string): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of [dirname(entry), join(root, 'common')]) {
    for (const file of (await readdir(dir)).filter((f) => /\.(ts|js|mjs)$/.test(f)).sort()) {
      hash.update(file).update(await readFile(join(dir, file)));
    }
  }
  hash.update(await pinnedVersions());
  return hash.digest('hex').slice(0, 20);
}

/**
 * What pins the SDK a bundle holds: the lockfile in the repository; package.json in an installed meshcheck,
 * where npm never packs the lockfile ("package-lock.json … will not be published", npm docs) and the
 * dependencies are pinned to exact versions.
 */
async function pinnedVersions(): Promise<Buffer> {
  return readFile(join(root, 'package-lock.json')).catch(() => readFile(join(root, 'package.json')));
}
