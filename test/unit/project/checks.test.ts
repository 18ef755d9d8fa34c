import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, test } from 'vitest';
import {
  checklistMarkdown,
  collectReferenceChecklist,
  names,
  type SuiteAndDrifts,
} from '../../../scripts/checklist.ts';
import { resultsJsonSchema, targetsJsonSchema } from '../../../scripts/generate.ts';
import { operationsInUse } from '../../../scripts/twin-use.ts';
import { SEEDS } from '../../../suites/setup/seeds.ts';
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

  test('targets.schema.json and results.schema.json are generated from the zod schemas (npm run generate)', async ({
    expect,
  }) => {
    expect(await readFile(join(root, 'results.schema.json'), 'utf8')).toBe(resultsJsonSchema());
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

/**
 * The checklist is data: each test of the suite carries its id and row as
 * task meta, drifts name what they break by id and row, and CHECKLIST.md is
 * generated from both. Collected (not run) on the reference lab, as
 * `npm run generate` does.
 */
describe('the checklist', () => {
  let collected: SuiteAndDrifts;
  beforeAll(async () => {
    collected = await collectReferenceChecklist();
  }, 240_000);

  test('CHECKLIST.md is generated from the suite and the drift catalogue (npm run generate)', async ({
    expect,
  }) => {
    expect(await readFile(join(root, 'CHECKLIST.md'), 'utf8')).toBe(checklistMarkdown(collected));
  });

  test('ids appear in order in their files: one run per id, numbers rising', ({ expect }) => {
    for (const file of new Set(collected.tests.map((t) => t.file))) {
      const tests = collected.tests.filter((t) => t.file === file).sort((a, b) => a.line - b.line);
      const runs = runsOf(tests.map((t) => t.id));
      expect(runs, `${file}: each id once, in order`).toEqual(
        [...new Set(runs)].sort((a, b) => numberOf(a) - numberOf(b)),
      );
    }
  });

  test('no two tests of a check share a row: a row names one test', ({ expect }) => {
    const keys = collected.tests.map((t) => `${t.id} ${t.row ?? ''}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  test('every check names the seed item it comes from, in a seed document the project lists', ({
    expect,
  }) => {
    const unknown = collected.tests.filter((t) => !(t.seed.doc in SEEDS) || !t.seed.item.trim());
    expect(unknown.map((t) => `${t.id}: ${t.seed.doc}`)).toEqual([]);
  });

  test('every drift breaks checks by ids and rows the suite has, so a test’s words can change freely', ({
    expect,
  }) => {
    // A break that names no collected test would be "declared but did not fail" in the drift
    // matrix: caught here, in seconds, from the meta alone — the names play no part.
    const dangling = collected.breaks.flatMap(({ drift, breaks }) =>
      breaks
        .filter((b) => !collected.tests.some((t) => names(b, t)))
        .map((b) => `${drift}: ${b.id}${b.row === undefined ? '' : ` [${b.row}]`}`),
    );
    expect(dangling).toEqual([]);
    expect(collected.breaks.every(({ breaks }) => breaks.length > 0)).toBe(true);
  });
});

/** The ids in file order, consecutive repeats folded: `N1 N1 N2` → `N1 N2`. */
function runsOf(ids: string[]): string[] {
  return ids.filter((id, i) => id !== ids[i - 1]);
}
function numberOf(id: string): number {
  return Number(/\d+$/.exec(id)?.[0]);
}
