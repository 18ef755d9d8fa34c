/**
 * Builds the neutral report model from vitest's reporter API (TestModule /
 * TestCase). The only file of reports/ that knows vitest's shapes.
 */
import type { SerializedError, TestCase, TestModule, TestSuite } from 'vitest/node';
import { sumCalls } from './calls.ts';
import type { CheckMeta } from './check-meta.ts';
import { evidenceOf } from './evidence.ts';
import {
  exitCodeOf,
  type RunMeta,
  type RunModel,
  type RunProblem,
  summarize,
  type TestRecord,
} from './model.ts';
import { redactText } from './redact.ts';
import { messageOf, type Outcome, outcomeOf, outcomeOfErrors } from './verdict.ts';

export interface BuildInput {
  modules: ReadonlyArray<TestModule>;
  unhandledErrors: ReadonlyArray<SerializedError>;
  /** `passed`, `failed` or `interrupted`, as vitest ends the run. */
  endReason: string;
  meta: Pick<RunMeta, 'runId' | 'target' | 'profile' | 'vitestVersion'>;
  startedAt: number;
  finishedAt: number;
  /** Tags the run left out (vitest's `tagsFilter` entries `!tag`): the gate mode (`--mode gate`) leaves out `delivery`. */
  excludedTags?: readonly string[];
}

/** The report model of a finished run. */
export function buildModel(input: BuildInput): RunModel {
  const modules = [...input.modules].sort((a, b) => fileOf(a).localeCompare(fileOf(b)));
  const excluded = new Set(input.excludedTags ?? []);
  const tests = modules.flatMap((module) => recordsOfModule(module, excluded, input.meta.profile));
  const problems = problemsOf(input.unhandledErrors, input.endReason);
  const summary = summarize(tests, input.finishedAt - input.startedAt);
  const meta: RunMeta = {
    ...input.meta,
    startedAt: new Date(input.startedAt).toISOString(),
    finishedAt: new Date(input.finishedAt).toISOString(),
    endReason: input.endReason,
  };
  return {
    meta,
    summary,
    exitCode: exitCodeOf(summary, problems.length),
    tests,
    problems,
    // Each test file's worker leaves its AWS call counts on the file's task meta.
    calls: sumCalls(modules.map((module) => module.meta().calls)),
  };
}

/** The module's tests in definition order, then a record for each hook failure no test carries. */
function recordsOfModule(module: TestModule, excluded: ReadonlySet<string>, profile: string): TestRecord[] {
  const records = [...module.children.allTests()].map((test) => recordOfTest(test, excluded, profile));
  const containers: Array<TestModule | TestSuite> = [module, ...module.children.allSuites()];
  for (const container of containers) {
    if (container.errors().length > 0 && !carriesError(container)) records.push(hookRecord(container));
  }
  return records;
}

/** One test case as a report record. */
export function recordOfTest(
  testCase: TestCase,
  excluded: ReadonlySet<string> = new Set(),
  profile = '',
): TestRecord {
  const { section, name } = placeOf(testCase);
  const outcome = leftOut(testCase, excluded, profile) ?? outcomeOf(testCase);
  const { evidence, notes } = evidenceOf(testCase.annotations());
  // Identity is data the suite set (suites/setup/rows.ts), not the words of the name.
  const { id = '', row }: Partial<CheckMeta> = testCase.meta();
  return {
    id,
    ...(row !== undefined && { row: redactText(row) }),
    name: redactText(name),
    section,
    file: fileOf(testCase.module),
    verdict: outcome.verdict,
    durationMs: Math.round(testCase.diagnostic()?.duration ?? 0),
    ...startOf(testCase),
    ...outcomeText(outcome),
    evidence,
    notes,
    tags: [...(testCase.tags ?? [])],
  };
}

/** When a check that ran started: the report's timeline shows what overlapped. */
function startOf(testCase: TestCase): { startedAt?: string } {
  const start = testCase.diagnostic()?.startTime;
  return start ? { startedAt: new Date(start).toISOString() } : {};
}

/** A check the run's tag filter left out, skipped with the reason: which tag, what it waits for, which profile. */
function leftOut(testCase: TestCase, excluded: ReadonlySet<string>, profile: string): Outcome | undefined {
  const result = testCase.result();
  if (result.state !== 'skipped' || result.note) return undefined;
  const tag = (testCase.tags ?? []).find((t) => excluded.has(t));
  if (!tag) return undefined;
  const defined = (testCase.project.config.tags ?? []).find((t) => t.name === tag);
  const what = defined?.description ? ` (${defined.description})` : '';
  // `profile` is what ran, chosen with `--mode`.
  const by = profile ? `the ${profile} mode (--mode ${profile})` : 'this run';
  return { verdict: 'skip', message: `left out by ${by}: tagged ${tag}${what}` };
}

/**
 * The section is the outermost describe block (the checklist section); any
 * describe blocks below it prefix the name, so the name stays unique.
 */
function placeOf(testCase: TestCase): { section: string; name: string } {
  const path: string[] = [];
  for (let p: TestSuite | TestModule = testCase.parent; p.type === 'suite'; p = p.parent)
    path.unshift(p.name);
  const [section, ...inner] = path;
  return { section: section ?? fileOf(testCase.module), name: [...inner, testCase.name].join(' > ') };
}

/** Whether a test below the container already reports the container's error (it was skipped because of it). */
function carriesError(container: TestModule | TestSuite): boolean {
  for (const test of container.children.allTests()) {
    const result = test.result();
    if (result.state === 'skipped' && !result.note && firstBroken(test) === container) return true;
  }
  return false;
}

/** The nearest suite or module above the test with errors, which is the one its outcome names. */
function firstBroken(test: TestCase): TestModule | TestSuite | undefined {
  for (let p: TestSuite | TestModule = test.parent; ; p = p.parent) {
    if (p.errors().length > 0) return p;
    if (p.type === 'module') return undefined;
  }
}

function hookRecord(container: TestModule | TestSuite): TestRecord {
  const outcome = outcomeOfErrors(container.errors());
  const isModule = container.type === 'module';
  const name = isModule ? `${fileOf(container)} could not run` : `${container.name} (hooks)`;
  const section = isModule ? fileOf(container) : placeOfSuite(container);
  const where = isModule
    ? 'the file failed to load or a file-level hook threw'
    : 'a beforeAll/afterAll hook threw';
  return {
    id: '',
    name,
    section,
    file: fileOf(isModule ? container : container.module),
    verdict: outcome.verdict,
    durationMs: 0,
    ...outcomeText({ ...outcome, message: `${where}: ${outcome.message}` }),
    evidence: [],
    notes: [],
    tags: [],
  };
}

function placeOfSuite(suite: TestSuite): string {
  let outermost = suite;
  while (outermost.parent.type === 'suite') outermost = outermost.parent;
  return outermost.name;
}

function outcomeText(outcome: Outcome): Pick<TestRecord, 'message' | 'errorType' | 'details'> {
  const out: Pick<TestRecord, 'message' | 'errorType' | 'details'> = {};
  if (outcome.message) out.message = redactText(outcome.message);
  if (outcome.errorType) out.errorType = outcome.errorType;
  if (outcome.details) out.details = redactText(outcome.details);
  return out;
}

function problemsOf(errors: ReadonlyArray<SerializedError>, endReason: string): RunProblem[] {
  const problems: RunProblem[] = errors.map((error) => {
    const outcome = outcomeOfErrors([error]);
    const problem: RunProblem = { message: redactText(`unhandled error: ${messageOf(error)}`) };
    if (outcome.details) problem.details = redactText(outcome.details);
    return problem;
  });
  if (endReason === 'interrupted') {
    problems.push({
      message: 'the run was interrupted before every check finished; unfinished checks could not tell',
    });
  }
  return problems;
}

function fileOf(module: TestModule): string {
  return module.relativeModuleId.replace(/\\/g, '/');
}
