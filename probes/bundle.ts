import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { zipSync } from 'fflate';

/**
 * Builds a probe into a Lambda deployment package: esbuild bundles the
 * handler with the SDK clients it uses (so it does not depend on the SDK
 * version a Lambda runtime happens to ship), then fflate zips it with a
 * fixed timestamp so the same source always gives the same bytes. Cached
 * under .cache/probes by the bundle's hash.
 *
 * @example
 *   const zip = await bundleProbe('s3-reach'); // Uint8Array, handler index.handler
 */
const root = fileURLToPath(new URL('..', import.meta.url));

export async function bundleProbe(name: 's3-reach'): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [join(root, 'probes', name, 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const cached = join(root, '.cache', 'probes', `${name}-${hash}.zip`);
  try {
    return new Uint8Array(await readFile(cached));
  } catch {
    const zip = zipSync({ 'index.js': [code, { mtime: new Date('2020-01-01T00:00:00Z') }] });
    await mkdir(dirname(cached), { recursive: true });
    await writeFile(cached, zip);
    return zip;
  }
}
