import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { baselineLines, changeOf, compareWithBaseline } from '../../../reports/baseline.ts';
import { renderHtml } from '../../../reports/html.ts';
import { readResults, renderJson } from '../../../reports/json.ts';
import { renderJunit } from '../../../reports/junit.ts';
import type { RunModel, TestRecord, Verdict } from '../../../reports/model.ts';
import { sampleModel } from '../../fixtures/reports/model.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshcheck-baseline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(id: string, verdict: Verdict, row?: string): TestRecord {
  return {
    id,
    ...(row === undefined ? {} : { row }),
    name: `${id} ${row ?? 'the check'}`,
    section: 'N · network',
    file: 'suites/network/reachability.test.ts',
    verdict,
    durationMs: 10,
    evidence: [],
    notes: [],
    tags: [],
  };
}

const run = (runId: string, tests: TestRecord[]): RunModel =>
  sampleModel({ meta: { ...sampleModel().meta, runId }, tests });

describe('what changed since the baseline run', () => {
  test.for<[Verdict | undefined, Verdict, string]>([
    ['pass', 'fail', 'newly-failing'],
    ['skip', 'error', 'newly-failing'],
    [undefined, 'fail', 'newly-failing'],
    ['fail', 'fail', 'still-failing'],
    ['error', 'fail', 'still-failing'],
    ['fail', 'pass', 'fixed'],
    ['error', 'pass', 'fixed'],
    ['pass', 'pass', 'unchanged'],
    ['fail', 'skip', 'unchanged'],
    [undefined, 'pass', 'unchanged'],
  ])('%s then, %s now: %s', ([before, now, change]) => {
    expect(changeOf(check('N7', now), before && check('N7', before))).toBe(change);
  });

  test('checks are matched by id and row, never by their words or their order', () => {
    const before = run('mc-before', [
      check('N7', 'pass', 'prod→dev'),
      check('N7', 'fail', 'prod→shared'),
      check('D9', 'fail', 'apple'),
    ]);
    const now = run('mc-now', [
      { ...check('N7', 'fail', 'prod→shared'), name: 'N7 reworded' },
      check('N7', 'fail', 'prod→dev'),
      check('D9', 'pass', 'apple'),
      check('P1', 'pass', 'svc'),
    ]);
    const compared = compareWithBaseline(now, before, '/prev/results.json');
    expect(compared.tests.map((t) => [t.id, t.row, t.change])).toEqual([
      ['N7', 'prod→shared', 'still-failing'],
      ['N7', 'prod→dev', 'newly-failing'],
      ['D9', 'apple', 'fixed'],
      ['P1', 'svc', 'unchanged'],
    ]);
    expect(compared.baseline).toMatchObject({
      path: '/prev/results.json',
      runId: 'mc-before',
      counts: { 'newly-failing': 1, 'still-failing': 1, fixed: 1, unchanged: 1 },
      notChecked: [],
    });
  });

  test('a check that failed then and is skipped or gone now is listed as not checked, not as fixed', () => {
    const before = run('mc-before', [check('O3', 'fail'), check('S10', 'error', 'writer')]);
    const now = run('mc-now', [check('O3', 'skip')]);
    const compared = compareWithBaseline(now, before, 'prev.json');
    expect(compared.baseline!.counts.fixed).toBe(0);
    expect(compared.baseline!.notChecked.map((t) => t.id)).toEqual(['O3', 'S10']);
    expect(baselineLines(compared).join('\n')).toContain('not checked this run: O3, S10 [writer]');
  });

  test('the console names the newly failing and the fixed checks by id and row', () => {
    const compared = compareWithBaseline(
      run('mc-now', [check('N7', 'fail', 'prod→dev'), check('D9', 'pass', 'apple')]),
      run('mc-before', [check('N7', 'pass', 'prod→dev'), check('D9', 'fail', 'apple')]),
      'prev.json',
    );
    expect(baselineLines(compared)).toEqual([
      expect.stringMatching(
        /^changed since mc-before .*: 1 newly failing, 1 fixed, 0 still failing, 0 unchanged$/,
      ),
      '  newly failing: N7 [prod→dev]',
      '  fixed: D9 [apple]',
    ]);
    expect(baselineLines(run('mc-now', []))).toEqual([]);
  });

  test('the reports carry it: results.json round-trips, JUnit says each move, the HTML opens with it', () => {
    const compared = compareWithBaseline(
      run('mc-now', [check('N7', 'fail', 'prod→dev'), check('D9', 'pass', 'apple')]),
      run('mc-before', [check('N7', 'pass', 'prod→dev'), check('D9', 'fail', 'apple')]),
      'prev.json',
    );
    const path = join(dir, 'results.json');
    writeFileSync(path, renderJson(compared));
    expect(readResults(path)).toEqual(JSON.parse(JSON.stringify(compared)));

    const junit = renderJunit(compared);
    expect(junit).toContain('<property name="baseline.newly-failing" value="1"/>');
    expect(junit).toContain('<property name="baseline.runId" value="mc-before"/>');
    expect(junit).toMatch(/id: N7\nrow: prod→dev[\s\S]*change: newly-failing/);

    const html = renderHtml(compared);
    const changes = html.indexOf('id="changes"');
    expect(changes).toBeGreaterThan(html.indexOf('class="overall'));
    expect(changes).toBeLessThan(html.indexOf('<nav>'));
    expect(html).toMatch(/<h3>newly failing \(1\)<\/h3><ul class="attention"><li>.*N7 prod→dev/);
    expect(renderHtml(sampleModel())).not.toContain('id="changes"');
  });
});
