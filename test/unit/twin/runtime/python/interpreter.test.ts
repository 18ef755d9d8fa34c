import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findPython } from '../../../../../twin/runtime/python/interpreter.ts';

/**
 * Which python3 the twin runs Python handlers with: the first on PATH that
 * imports boto3, Debian's /usr/bin/python3 before the others when it is on
 * PATH. Stand-in interpreters are shell scripts that answer the probe.
 */
let root: string;
let withBoto3: string;
let without: string;

async function fakePython(dir: string, script: string): Promise<string> {
  const file = join(dir, 'python3');
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'find-python-'));
  withBoto3 = join(root, 'with');
  without = join(root, 'without');
  await import('node:fs/promises').then((fs) => Promise.all([fs.mkdir(withBoto3), fs.mkdir(without)]));
  await fakePython(withBoto3, 'echo /opt/fake/bin/python3.12; echo 3.12.1; echo 1.40.0');
  await fakePython(without, 'echo "ModuleNotFoundError: No module named \'boto3\'" >&2; exit 1');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('findPython', () => {
  test('finds none on a PATH without python3', async () => {
    expect(await findPython(join(root, 'empty'))).toBeUndefined();
  });

  test('passes over a python3 without boto3 and takes the next one, as its own executable', async () => {
    expect(await findPython(`${without}:${withBoto3}`)).toEqual({
      executable: '/opt/fake/bin/python3.12',
      version: '3.12.1',
      boto3: '1.40.0',
    });
  });

  test('finds none when no python3 on PATH has boto3', async () => {
    expect(await findPython(without)).toBeUndefined();
  });

  // Importing boto3 takes seconds on a loaded machine.
  test('prefers Debian’s /usr/bin/python3 with boto3 over one earlier on PATH', { timeout: 60_000 }, async ({
    skip,
  }) => {
    const debian = await findPython('/usr/bin');
    skip(!debian, 'this machine’s /usr/bin/python3 has no boto3');
    expect(await findPython(`${withBoto3}:/usr/bin`)).toEqual(debian);
  });
});
