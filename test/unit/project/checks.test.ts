import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, test } from 'vitest';
import { targetsJsonSchema } from '../../../scripts/generate.ts';
import { operationsInUse } from '../../../scripts/twin-use.ts';
import { coverageMarkdown } from '../../../twin/coverage.ts';

/**
 * The project's own hygiene, run with its tests so CI cannot skip it: the
 * types check, the one linter is clean, the generated files are current, and
 * only the reference lab's own files name it.
 */
const root = join(import.meta.dirname, '../../..');
const run = promisify(execFile);

describe('the project', () => {
  test('type-checks (tsc, strict, source and tests)', { timeout: 120_000 }, async ({ expect }) => {
    const result = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root], {
      cwd: root,
    }).catch((e) => e);
    expect(`${result.stdout ?? ''}${result.stderr ?? ''}`.trim()).toBe('');
  });

  test('passes Biome (lint and format)', { timeout: 60_000 }, async ({ expect }) => {
    const result = await run(
      join(root, 'node_modules/.bin/biome'),
      ['check', '--diagnostic-level=error', '.'],
      { cwd: root },
    ).catch((e) => e);
    expect(result.code ?? 0, `${result.stdout}\n${result.stderr}`).toBe(0);
  });

  test('targets.schema.json is generated from the zod schema (npm run generate)', async ({ expect }) => {
    expect(await readFile(join(root, 'targets.schema.json'), 'utf8')).toBe(targetsJsonSchema());
  });

  test('twin/COVERAGE.md is generated from the dispatch tables (npm run generate)', async ({ expect }) => {
    expect(await readFile(join(root, 'twin/COVERAGE.md'), 'utf8')).toBe(
      coverageMarkdown(await operationsInUse(root)),
    );
  });

  test('nothing outside targets.example.json and lab/reference names a reference-lab resource', {
    timeout: 30_000,
  }, async ({ expect }) => {
    // The suite and the twin's behaviour must hold for any lab (DESIGN.md, "Any lab, not only ours").
    const pattern =
      'Prod-VPC|Dev-VPC|Shared-Services|dap351|FinanceRole|ProcessSQSRole|WSParticipant|EventWriter|10\\.[012]\\.1\\.10|192\\.168\\.1\\.10|cloud-app-data|111111111111|222222222222';
    const result = await run(
      'grep',
      [
        '-rnE',
        pattern,
        'twin',
        'lab',
        'suites',
        'helpers',
        'probes',
        'reports',
        'policy',
        'cli',
        '--include=*.ts',
      ],
      { cwd: root },
    ).catch((e) => e);
    const lines = String(result.stdout ?? '')
      .split('\n')
      .filter((l) => l && !l.startsWith('lab/reference/'));
    expect(lines).toEqual([]);
  });
});
