/**
 * What changed since a previous run (`meshcheck validate --baseline
 * PREVIOUS/results.json`): each check of this run is marked newly failing,
 * still failing, fixed or unchanged against the same check (checklist id
 * and row) of the baseline, so a nightly report opens with what is new
 * instead of the whole list again.
 */
import type { Baseline, Change, RunModel, TestRecord } from './model.ts';

export type { Baseline, Change } from './model.ts';

/** fail and error are both "not conforming, look at it": a check that stopped erroring is fixed. */
const failing = (test: Pick<TestRecord, 'verdict'>) => test.verdict === 'fail' || test.verdict === 'error';

/**
 * A check's identity across runs: its checklist id and row (task meta), never its words, which are free
 * to change. A test with no id (none in the suite today) falls back to its name.
 */
function keyOf(test: Pick<TestRecord, 'id' | 'row' | 'name'>): string {
  return test.id ? `${test.id}\u0000${test.row ?? ''}` : `\u0000${test.name}`;
}

/**
 * How one check moved: `newly-failing` (failing now, not in the baseline: passing, skipped or absent),
 * `still-failing`, `fixed` (failing then, passing now), else `unchanged` (also a failing check that is
 * skipped now: it was not checked, so it is not fixed; {@link Baseline.notChecked} lists those).
 */
export function changeOf(now: TestRecord, before: TestRecord | undefined): Change {
  if (failing(now)) return before && failing(before) ? 'still-failing' : 'newly-failing';
  if (before && failing(before) && now.verdict === 'pass') return 'fixed';
  return 'unchanged';
}

/**
 * Marks each test of `model` with its change against `previous`, and sums them up. Checks matched by id
 * and row; when one key holds several tests (it should not), they pair in order.
 */
export function compareWithBaseline(model: RunModel, previous: RunModel, path: string): RunModel {
  const before = new Map<string, TestRecord[]>();
  for (const test of previous.tests) before.set(keyOf(test), [...(before.get(keyOf(test)) ?? []), test]);
  const taken = new Map<string, number>();
  const tests = model.tests.map((test) => {
    const key = keyOf(test);
    const i = taken.get(key) ?? 0;
    taken.set(key, i + 1);
    return { ...test, change: changeOf(test, before.get(key)?.[i]) };
  });
  const now = new Map(tests.map((t) => [keyOf(t), t]));
  const notChecked = previous.tests
    .filter((t) => failing(t) && (now.get(keyOf(t))?.verdict ?? 'skip') === 'skip')
    .map(({ id, row, name }) => ({ id, ...(row === undefined ? {} : { row }), name }));
  const count = (change: Change) => tests.filter((t) => t.change === change).length;
  const baseline: Baseline = {
    path,
    runId: previous.meta.runId,
    finishedAt: previous.meta.finishedAt,
    counts: {
      'newly-failing': count('newly-failing'),
      'still-failing': count('still-failing'),
      fixed: count('fixed'),
      unchanged: count('unchanged'),
    },
    notChecked,
  };
  return { ...model, tests, baseline };
}

const WORDS: Record<Change, string> = {
  'newly-failing': 'newly failing',
  'still-failing': 'still failing',
  fixed: 'fixed',
  unchanged: 'unchanged',
};

export function changeWords(change: Change): string {
  return WORDS[change];
}

/** A check as a person finds it in the report: `N7 [prod-app→dev-app:icmp]`. */
export function checkLabel(test: Pick<TestRecord, 'id' | 'row' | 'name'>): string {
  if (!test.id) return test.name;
  return test.row === undefined ? test.id : `${test.id} [${test.row}]`;
}

/**
 * The console's account of what changed: one line of counts, then the newly failing and the fixed
 * checks by id and row (at most `limit` of each, saying how many more).
 */
export function baselineLines(model: RunModel, limit = 10): string[] {
  const b = model.baseline;
  if (!b) return [];
  const c = b.counts;
  const lines = [
    `changed since ${b.runId || b.path} (${b.finishedAt}): ${c['newly-failing']} newly failing, ${c.fixed} fixed, ${c['still-failing']} still failing, ${c.unchanged} unchanged`,
  ];
  for (const change of ['newly-failing', 'fixed'] as const) {
    const list = model.tests.filter((t) => t.change === change).map(checkLabel);
    if (!list.length) continue;
    const more = list.length > limit ? ` … and ${list.length - limit} more` : '';
    lines.push(`  ${WORDS[change]}: ${list.slice(0, limit).join(', ')}${more}`);
  }
  if (b.notChecked.length)
    lines.push(`  failing before, not checked this run: ${b.notChecked.map(checkLabel).join(', ')}`);
  return lines;
}
