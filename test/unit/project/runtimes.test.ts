import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, test } from 'vitest';
import { isBlocked, RUNTIME_TABLE } from '../../../twin/services/lambda/model/runtimes.ts';

/**
 * Nothing in the repository creates a Lambda function on a runtime that
 * Lambda blocks today (common/lambda-runtimes.json, from the Lambda
 * runtimes page): the probe, the labs, the examples and the tests' own
 * functions would all fail on a real account. A line that names a blocked
 * runtime on purpose (a test of the refusal) says so with the words
 * "blocked on purpose".
 */
const root = join(import.meta.dirname, '../../..');
const run = promisify(execFile);
const ID = String.raw`(nodejs[0-9.]*(?:x|[0-9])(?:-edge)?|nodejs|python[0-9.]+|java[0-9.a-z]+|ruby[0-9.]+|dotnet[a-z0-9.]*|go1\.x|provided(?:\.al20(?:2|23))?)`;
/** `Runtime: 'x'`, `"Runtime": "x"`, `runtime: x`, `--runtime x`, `'--runtime', 'x'`. */
const RUNTIME_USE = new RegExp(
  String.raw`(?:\bRuntime\b["']?\s*[:=]\s*|--runtime['"]?[,\s=]+)["']?${ID}["']?`,
  'gi',
);

describe('the repository', () => {
  test('creates no function on a runtime Lambda blocks today', async ({ expect }) => {
    const { stdout } = await run('git', ['ls-files'], { cwd: root });
    const files = stdout
      .split('\n')
      .filter((f) => /\.(ts|mts|js|mjs|sh|json|md|ya?ml|py)$/.test(f))
      .filter((f) => f !== 'common/lambda-runtimes.json' && f !== 'package-lock.json');
    const offenders: string[] = [];
    let seen = 0;
    for (const file of files) {
      const text = await readFile(join(root, file), 'utf8').catch(() => '');
      for (const m of text.matchAll(RUNTIME_USE)) {
        const runtime = m[1]!;
        seen += 1;
        const lineStart = text.lastIndexOf('\n', m.index! + m[0].length - 1) + 1;
        const lineEnd = text.indexOf('\n', m.index! + m[0].length);
        const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
        if (line.includes('blocked on purpose')) continue;
        if (isBlocked(runtime, 'create', Date.now())) {
          const lineNo = text.slice(0, lineStart).split('\n').length;
          offenders.push(`${file}:${lineNo}: ${runtime}`);
        }
      }
    }
    expect(seen, 'the scan found the runtimes the repository uses').toBeGreaterThan(5);
    expect(offenders, `blocked for create per ${RUNTIME_TABLE.source} (read ${RUNTIME_TABLE.read})`).toEqual(
      [],
    );
  });
});
