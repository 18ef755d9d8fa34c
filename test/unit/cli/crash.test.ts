import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';

/**
 * A crash the CLI did not foresee exits 3, "the suite could not tell": never
 * 2 (the targets file is wrong) and never Node's own 1 (which a pipeline reads
 * as "the lab does not conform"). Forced here through the installed command
 * (bin/meshcheck.mjs) and through `node --import tsx cli/main.ts`, as
 * `npm run validate` runs it.
 */
const root = new URL('../../..', import.meta.url).pathname;
const bin = join(root, 'bin/meshcheck.mjs');
const work = mkdtempSync(join(tmpdir(), 'meshcheck-crash-'));

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    // A twin that did not crash would serve until stopped: not past the test.
    timeout: 25_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** A module that throws from a timer, outside any promise the CLI awaits: a bug in an event handler. */
function throwingLater(): string {
  const path = join(work, 'throw-later.mjs');
  writeFileSync(path, "setTimeout(() => { throw new Error('forced crash in a timer'); }, 1500);\n");
  return path;
}

describe('an unexpected crash exits 3', () => {
  test('an exception in a timer while the twin serves: 3, not Node’s 1', { timeout: 30_000 }, async ({
    expect,
  }) => {
    const crash = await run(['--import', throwingLater(), bin, 'twin', '--empty']);
    expect(crash.stderr).toContain('forced crash in a timer');
    expect(crash.stderr).toMatch(/meshcheck: crashed .*— could not tell \(exit 3\)/);
    expect(crash.code).toBe(3);
  });

  test('the same through `node --import tsx cli/main.ts` (npm run validate’s way)', {
    timeout: 30_000,
  }, async ({ expect }) => {
    const crash = await run([
      '--import',
      'tsx',
      '--import',
      throwingLater(),
      join(root, 'cli/main.ts'),
      'twin',
    ]);
    expect(crash.stderr).toContain('forced crash in a timer');
    expect(crash.code).toBe(3);
  });

  test('a thrown error main() did not classify (writing a file into a missing folder): 3', {
    timeout: 60_000,
  }, async ({ expect }) => {
    const crash = await run([bin, 'probe-zip', '--out', join(work, 'no-such-folder', 'probe.zip')]);
    expect(crash.stderr).toMatch(/crashed — could not tell \(exit 3\): Error: ENOENT/);
    expect(crash.code).toBe(3);
  });
});
