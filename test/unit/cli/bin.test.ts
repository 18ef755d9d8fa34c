import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const bin = new URL('../../../bin/meshcheck.mjs', import.meta.url).pathname;

// A process start through tsx's loader: seconds on two loaded cores, more than the unit project's 5 s default.
test('the installed command, package.json’s bin, answers --version with the package’s version', {
  timeout: 30_000,
}, async () => {
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8'));
  expect(pkg.bin).toEqual({ meshcheck: 'bin/meshcheck.mjs' });
  const { stdout } = await run(process.execPath, [bin, '--version']);
  expect(stdout.trim()).toBe(pkg.version);
});
