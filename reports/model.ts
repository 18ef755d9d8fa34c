/**
 * The neutral report model: what a run found, independent of vitest's API
 * and of any output format. The reporter builds it once (reports/build.ts);
 * junit.ts, html.ts and json.ts are pure functions of it.
 */
import { checklistRank } from '../common/areas.ts';
import type { CallCounts } from './calls.ts';

/**
 * The four result states, never blurred:
 * - `pass`: the lab is as intended;
 * - `fail`: the lab is not as intended (an assertion or a `LabDeviationError`);
 * - `error`: the suite could not tell (a `CannotTellError` or any unexpected error);
 * - `skip`: not checked, with the reason.
 */
export type Verdict = 'pass' | 'fail' | 'error' | 'skip';

export const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'error', 'skip'];

/** One piece of evidence a test attached with `annotate(summary, 'evidence:<kind>', …)`. */
export interface Evidence {
  kind: string;
  /** One line for people: the annotation's message, or one derived from the value. */
  summary: string;
  /** The parsed attachment (redacted); a string when it was not JSON; `null` when absent. */
  value: unknown;
}

/** A human note (`annotate(message)`, type `notice`) or any other non-evidence annotation. */
export interface Note {
  type: string;
  message: string;
}

export interface TestRecord {
  /** The checklist id the test carries as task meta (`N7`), or `''` for a test that is no check. */
  id: string;
  /** Which row of targets a per-row check checks (`prod-app→dev-app:icmp`), as its task meta says. */
  row?: string;
  /** The test's own name, below its section: `N7 prod-app → shared-app over the TGW (ICMP): allow`. */
  name: string;
  /** The checklist section: the outermost describe block, or the file when there is none. */
  section: string;
  /** Test file, relative to the project root, with `/` separators. */
  file: string;
  verdict: Verdict;
  durationMs: number;
  /** Why it failed, errored or was skipped, one paragraph. */
  message?: string;
  /** The error class behind a fail or error (`AssertionError`, `CannotTellError`, …). */
  errorType?: string;
  /** Longer text for a fail or error: expected/seen, cause chain, stack. */
  details?: string;
  evidence: Evidence[];
  notes: Note[];
  tags: string[];
  /** How it moved since the baseline run, when the run has one (reports/baseline.ts). */
  change?: Change;
}

/** A check's move since the baseline run (`--baseline PREVIOUS/results.json`). */
export type Change = 'newly-failing' | 'still-failing' | 'fixed' | 'unchanged';

/** The run a report is compared with, and the sums of the comparison. */
export interface Baseline {
  /** Where its results.json was read from. */
  path: string;
  runId: string;
  finishedAt: string;
  counts: Record<Change, number>;
  /** Checks that failed or errored then and were not checked now (skipped or absent). */
  notChecked: { id: string; row?: string; name: string }[];
}

/** Something wrong with the run itself, outside any one test (an unhandled error, an interruption). */
export interface RunProblem {
  message: string;
  details?: string;
}

export interface RunMeta {
  /** Tags everything the suite created. */
  runId: string;
  /** "embedded twin" or an account id. */
  target: string;
  /** gate, nightly, … */
  profile: string;
  startedAt: string;
  finishedAt: string;
  /**
   * How the run ended: `passed`, `failed` or `interrupted` as vitest says; or, when the CLI
   * stopped it, `bad-input`, `deadline`, `crashed`, `interrupted`, and `running` while it runs.
   */
  endReason: string;
  vitestVersion: string;
}

export interface Summary {
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  total: number;
  durationMs: number;
}

export interface RunModel {
  meta: RunMeta;
  summary: Summary;
  exitCode: ExitCode;
  tests: TestRecord[];
  problems: RunProblem[];
  calls: CallCounts;
  /** What changed since a previous run, when `--baseline` named one. */
  baseline?: Baseline;
}

/**
 * 0: everything passed (skips allowed); 1: something failed; 3: nothing failed but something
 * could not be told. When the CLI stops a run: 2 bad input, 3 past its deadline or crashed,
 * 130 / 143 interrupted by SIGINT / SIGTERM.
 */
export type ExitCode = 0 | 1 | 2 | 3 | 130 | 143;

/** Counts per verdict; `durationMs` is the run's wall-clock time. */
export function summarize(tests: readonly Pick<TestRecord, 'verdict'>[], durationMs: number): Summary {
  const count = (verdict: Verdict) => tests.filter((t) => t.verdict === verdict).length;
  return {
    passed: count('pass'),
    failed: count('fail'),
    errored: count('error'),
    skipped: count('skip'),
    total: tests.length,
    durationMs: Math.round(durationMs),
  };
}

/**
 * The gate's exit code. Failures win over errors: a definite non-conformance
 * is the more important signal. Problems with the run itself (an unhandled
 * error, an interrupted run) mean the suite could not tell, so they count as
 * errors.
 */
export function exitCodeOf(summary: Pick<Summary, 'failed' | 'errored'>, problems = 0): 0 | 1 | 3 {
  if (summary.failed > 0) return 1;
  if (summary.errored > 0 || problems > 0) return 3;
  return 0;
}

/** What an exit code means, in words. */
export function exitCodeMeaning(code: ExitCode): string {
  if (code === 0) return 'conforms: every check passed (skips allowed)';
  if (code === 1) return 'does not conform: at least one check failed';
  if (code === 2) return 'bad input: no check ran';
  if (code === 130 || code === 143)
    return `interrupted (${code === 130 ? 'SIGINT' : 'SIGTERM'}): unfinished checks could not tell`;
  return 'could not tell: no check failed, but at least one could not be decided';
}

export interface Section {
  name: string;
  tests: TestRecord[];
}

/**
 * Tests grouped by section, sections in checklist order (the network first, as CHECKLIST.md reads;
 * vitest hands files over alphabetically, which put data protection first), and within an area in
 * the order they first appear.
 */
export function sectionsOf(tests: readonly TestRecord[]): Section[] {
  const sections = new Map<string, TestRecord[]>();
  for (const test of tests) {
    const list = sections.get(test.section) ?? [];
    list.push(test);
    sections.set(test.section, list);
  }
  return [...sections]
    .map(([name, list]) => ({ name, tests: list }))
    .sort((a, b) => checklistRank(a.name) - checklistRank(b.name));
}
