import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, test } from 'vitest';
import { ROOT } from './support/validate.ts';

/**
 * meshcheck as a platform team gets it: the package npm packs (package.json
 * `files`), installed into an empty folder, run from there with `npx
 * meshcheck` on its embedded twin. Nothing is written into the repository.
 *
 * The install is what `npm install <tarball>` does for the package itself
 * (the tarball unpacked as node_modules/meshcheck, its bin linked in
 * node_modules/.bin), with its dependencies linked from this repository's
 * node_modules: an offline `npm install` cannot resolve them (the machine's
 * npm cache holds the packages but not the registry documents npm asks for
 * first: ENOTCACHED), and a test may not reach the registry. Only the
 * package's declared `dependencies` are linked, not the devDependencies, so
 * a module the tool needs but declares only for development fails here as it
 * would for a user.
 */
const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'meshcheck-packed-'));
const app = join(work, 'app');
const modules = join(app, 'node_modules');
let packed: { files: { path: string }[]; filename: string };

/** The repository's own changes (not ignored files: caches and reports other tests write are ignored). */
async function repoChanges(): Promise<string> {
  return (await run('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ROOT })).stdout;
}

let before: string;

beforeAll(async () => {
  before = await repoChanges();
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  packed = JSON.parse(stdout)[0];
  mkdirSync(join(modules, 'meshcheck'), { recursive: true });
  writeFileSync(join(app, 'package.json'), '{ "name": "a-platform-team", "private": true }\n');
  await run('tar', [
    '-xzf',
    join(work, packed.filename),
    '-C',
    join(modules, 'meshcheck'),
    '--strip-components=1',
  ]);
  const manifest = JSON.parse(readFileSync(join(modules, 'meshcheck', 'package.json'), 'utf8'));
  for (const name of Object.keys(manifest.dependencies)) {
    if (name.includes('/')) mkdirSync(join(modules, name.split('/')[0]!), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  mkdirSync(join(modules, '.bin'));
  for (const [command, file] of Object.entries(manifest.bin as Record<string, string>))
    symlinkSync(join('..', 'meshcheck', file), join(modules, '.bin', command));
}, 120_000);

/** `npx meshcheck …` in the team's folder, never installing anything. */
function meshcheck(args: string[]) {
  return run('npx', ['--no', '--', 'meshcheck', ...args], {
    cwd: app,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...(process.env.MESHCHECK_LEDGER_DIR && { MESHCHECK_LEDGER_DIR: process.env.MESHCHECK_LEDGER_DIR }),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
      VITEST_MAX_WORKERS: '1', // one area (--only network): one worker loads the suite once
    },
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );
}

describe('the packed package', () => {
  test('ships what the tool needs and nothing else', ({ expect }) => {
    const paths = packed.files.map((f) => f.path);
    for (const needed of [
      'bin/meshcheck.mjs',
      'cli/main.ts',
      'cli/exit.mjs',
      'suites/setup/global.ts',
      'reports/reporter.ts',
      'probes/s3-reach/index.ts',
      'twin/server.ts',
      'lab/reference/index.ts',
      'lab/reference/apps/event-writer/lambda_function.py',
      'policies/runner.json',
      'targets.schema.json',
      'targets.example.json',
      'vitest.config.ts',
      'LICENSE',
      'README.md',
    ])
      expect(paths, needed).toContain(needed);
    const top = [...new Set(paths.map((p) => p.split('/')[0]))].sort();
    expect(top).toEqual(
      [
        'LICENSE',
        'README.md',
        'bin',
        'cli',
        'common',
        'helpers',
        'lab',
        'package.json',
        'policies',
        'policy',
        'probes',
        'reports',
        'suites',
        'results.schema.json',
        'targets.example.json',
        'targets.schema.json',
        'twin',
        'vitest.config.ts',
      ].sort(),
    );
    // The project's own tests, tools and outputs stay home.
    expect(paths.filter((p) => /\.test\.ts$/.test(p) && !p.startsWith('suites/'))).toEqual([]);
    expect(
      paths.filter((p) => /^(lab\/(drifts|second|cli-lab|fruit-named)|reports\/(out|mutation))\//.test(p)),
    ).toEqual([]);
  });

  test('installed in an empty folder: `meshcheck --version`, then validate on the embedded twin', {
    timeout: 240_000,
  }, async ({ expect }) => {
    const version = await meshcheck(['--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);

    const reports = join(work, 'reports');
    const validate = await meshcheck(['validate', '--only', 'network', '--reports', reports]);
    expect(validate.code, validate.stderr.slice(-2000)).toBe(0);
    expect(readdirSync(reports).sort()).toEqual(['junit.xml', 'report.html', 'results.json']);
    const results = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8'));
    expect(results.exitCode).toBe(0);
    expect(results.summary.passed).toBeGreaterThan(0);
    expect(results.tests.every((t: { id: string }) => t.id.startsWith('N'))).toBe(true);
    // It ran the installed copy, and wrote nothing into the repository.
    expect(validate.stdout).toContain('embedded twin');
    expect(existsSync(join(modules, 'meshcheck', 'package-lock.json'))).toBe(false);
    expect(await repoChanges()).toBe(before);
  });
});
