import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'vitest';
import { MOCKS_MODULES } from '../../../vitest.config.ts';

const ROOT = join(import.meta.dirname, '../../..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? testFiles(join(dir, e.name))
      : e.name.endsWith('.test.ts')
        ? [relative(ROOT, join(dir, e.name))]
        : [],
  );
}

describe('unit and wire files share workers', () => {
  test('every file that replaces a module (vi.mock) runs in a worker of its own, and only those', ({
    expect,
  }) => {
    const mocking = [
      ...testFiles(join(ROOT, 'test/unit')),
      ...testFiles(join(ROOT, 'test/twin-wire')),
    ].filter((f) => /\bvi\.(mock|doMock)\(/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(mocking.sort()).toEqual([...MOCKS_MODULES].sort());
  });
});
