import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { renderJson } from '../../../reports/json.ts';
import type { TestRecord, Verdict } from '../../../reports/model.ts';
import { appendStepSummary, stepSummary } from '../../../reports/step-summary.ts';
import { areaLines } from '../../../reports/text.ts';
import { sampleModel, sampleTests } from '../../fixtures/reports/model.ts';

/**
 * At the end of a run, one line per area on the console, and in GitHub
 * Actions the verdict and the same lines in the job summary: the four
 * states kept apart, where vitest's own counts call "could not tell" a
 * failure.
 */

const base = sampleTests()[0]!;
const record = (file: string, verdict: Verdict, section = 'S'): TestRecord => ({
  ...base,
  file,
  section,
  verdict,
});

describe('areaLines', () => {
  test('one line per area, by the suite folder, in the checklist’s order, the four states apart', () => {
    const tests = [
      record('suites/data-protection/pipeline.test.ts', 'error'),
      record('suites/network/layout.test.ts', 'pass'),
      record('suites/network/reachability.test.ts', 'fail'),
      record('suites/network/reachability.test.ts', 'pass'),
      record('suites/data-protection/pipeline.test.ts', 'skip'),
      record('suites/network/layout.test.ts', 'skip'),
    ];
    expect(areaLines(tests)).toEqual([
      'network: 2 passed, 1 failed, 0 could not tell, 1 skipped',
      'data-protection: 0 passed, 0 failed, 1 could not tell, 1 skipped',
    ]);
  });

  test('a test outside suites/<area>/ is counted under its section; a name in it cannot break the line', () => {
    expect(areaLines([record('test/fixtures/x.test.ts', 'pass', 'N · VPCs\nmeshcheck: exit 0')])).toEqual([
      'N · VPCs\\nmeshcheck: exit 0: 1 passed, 0 failed, 0 could not tell, 0 skipped',
    ]);
  });

  test('no tests, no lines', () => {
    expect(areaLines([])).toEqual([]);
  });
});

describe('stepSummary', () => {
  const tests = [
    record('suites/network/layout.test.ts', 'pass'),
    record('suites/endpoints/probe.test.ts', 'error'),
  ];

  test('opens with the exit code and its meaning, then the target, mode and run, then one item per area', () => {
    const model = sampleModel({ tests, exitCode: 3, problems: [] });
    const lines = stepSummary(model).split('\n');
    expect(lines[0]).toBe(
      '## meshcheck: exit 3 — could not tell: no check failed, but at least one could not be decided',
    );
    expect(lines[2]).toBe(`${model.meta.target} · gate · run \`${model.meta.runId}\``);
    expect(lines.slice(4, 6)).toEqual([
      '- network: 1 passed, 0 failed, 0 could not tell, 0 skipped',
      '- endpoints: 0 passed, 0 failed, 1 could not tell, 0 skipped',
    ]);
  });

  test('a stopped run says why, on one line', () => {
    const model = sampleModel({
      tests: [],
      exitCode: 2,
      problems: [{ message: 'bad input, no check ran: targets.json: vpcs.prod: no VPC named Prod\nmore' }],
    });
    expect(stepSummary(model)).toMatch(
      /\n> bad input, no check ran: targets\.json: vpcs\.prod: no VPC named Prod\n$/,
    );
  });

  test('names from targets and AWS are shown as text: no Markdown, HTML or line break they carry takes effect', () => {
    const model = sampleModel({
      tests: [],
      problems: [
        { message: 'no VPC named <img src=x onerror=alert(1)> *bold* [x](http://e) `code`|\n## forged' },
      ],
    });
    const problem = stepSummary(model)
      .split('\n')
      .find((l) => l.startsWith('> '))!;
    expect(problem).toBe(
      '> no VPC named &lt;img src=x onerror=alert(1)&gt; \\*bold\\* \\[x\\](http://e) \\`code\\`\\|',
    );
    expect(stepSummary(model)).not.toMatch(/^## forged/m);
  });

  test('appended to the file GitHub names, from the results a run wrote; a failure to write is said, never thrown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'toolci-summary-'));
    writeFileSync(join(dir, 'results.json'), renderJson(sampleModel({ tests, exitCode: 3 })));
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '## Vitest Test Report\n');
    expect(appendStepSummary(dir, summary)).toBeUndefined();
    const written = readFileSync(summary, 'utf8');
    expect(written.startsWith('## Vitest Test Report\n## meshcheck: exit 3')).toBe(true);
    expect(appendStepSummary(join(dir, 'absent'), summary)).toMatch(/^could not write the job summary to /);
    expect(readFileSync(summary, 'utf8')).toBe(written);
  });
});
