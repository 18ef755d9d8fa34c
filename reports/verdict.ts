/**
 * The single place that maps what vitest recorded to pass / fail / error /
 * skip. Classification is by error class name (never by message text):
 * `AssertionError` and `LabDeviationError` mean the lab is not as intended;
 * `CannotTellError` and every other class (a TypeError, a timeout) mean the
 * suite could not tell.
 */
import { stripVTControlCharacters } from 'node:util';
import type { Verdict } from './model.ts';

/** Error classes that mean "the lab is not as intended". */
export const FAIL_CLASSES: ReadonlySet<string> = new Set(['AssertionError', 'LabDeviationError']);

/** The shape vitest serializes errors to (`SerializedError` / `TestError`), loosely typed. */
export interface ErrorLike {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  cause?: unknown;
  expected?: unknown;
  actual?: unknown;
  diff?: unknown;
  constructor?: unknown;
}

/** The parts of vitest's `TestCase` (or `TestSuite`/`TestModule` above it) that decide a verdict. */
export interface CaseLike {
  readonly options: { readonly mode: string };
  result(): { readonly state: string; readonly errors?: ReadonlyArray<ErrorLike>; readonly note?: string };
  readonly parent?: ParentLike;
}
export interface ParentLike {
  readonly type: string;
  readonly name?: string;
  readonly relativeModuleId?: string;
  errors(): ReadonlyArray<ErrorLike>;
  readonly parent?: ParentLike;
}

export interface Outcome {
  verdict: Verdict;
  message?: string;
  errorType?: string;
  details?: string;
}

/**
 * The class of a serialized error: its `name`, or, when a custom class did
 * not set `name`, the class vitest recorded as `constructor: "Function<X>"`.
 */
export function errorClassOf(error: ErrorLike): string {
  // Stryker disable next-line Regex: a class name has no spaces, so "Caused by: " can only be vitest's prefix
  const name = typeof error.name === 'string' ? error.name.replace(/^Caused by: /, '') : '';
  if (name && name !== 'Error') return name;
  const ctor = /^Function<(\w+)>$/.exec(String(error.constructor))?.[1];
  return ctor && ctor !== 'Object' ? ctor : name || 'Error';
}

/** `fail` when any error says the lab deviates, else `error`: a definite finding outranks an inability to look. */
export function verdictOfErrors(errors: ReadonlyArray<ErrorLike>): 'fail' | 'error' {
  return errors.some((error) => FAIL_CLASSES.has(errorClassOf(error))) ? 'fail' : 'error';
}

/** The verdict of one test case. */
export function verdictOf(testCase: CaseLike): Verdict {
  return outcomeOf(testCase).verdict;
}

/** The verdict of one test case with the words that explain it. */
export function outcomeOf(testCase: CaseLike): Outcome {
  const result = testCase.result();
  if (result.state === 'passed') return { verdict: 'pass' };
  if (result.state === 'failed') return outcomeOfErrors(result.errors ?? []);
  if (result.state === 'pending') {
    return { verdict: 'error', message: 'did not finish: the run ended before this check completed' };
  }
  const broken = brokenAncestor(testCase.parent);
  if (broken && !result.note) {
    const outcome = outcomeOfErrors(broken.errors());
    return { ...outcome, message: `not run: a hook of "${labelOf(broken)}" threw — ${outcome.message}` };
  }
  return { verdict: 'skip', message: skipReason(testCase.options.mode, result.note) };
}

/** Verdict, message and details for a list of errors thrown by a test or a hook. */
export function outcomeOfErrors(errors: ReadonlyArray<ErrorLike>): Outcome {
  if (errors.length === 0)
    return { verdict: 'error', message: 'failed without an error (vitest recorded none)' };
  const verdict = verdictOfErrors(errors);
  // The failure that made it a fail; for an error, no error is of a failing class and the first speaks.
  const primary = errors.find((e) => FAIL_CLASSES.has(errorClassOf(e))) ?? errors[0]!;
  return {
    verdict,
    errorType: errorClassOf(primary),
    message: messageOf(primary),
    details: errors.map(detailsOf).join('\n\n'),
  };
}

/** One paragraph: the message and, for errors, the chain of causes that says why. */
export function messageOf(error: ErrorLike): string {
  const type = errorClassOf(error);
  const text = clean(error.message) || type;
  const head = FAIL_CLASSES.has(type) ? text : `${type}: ${text}`;
  return [head, ...causesOf(error).map((c) => `caused by ${errorClassOf(c)}: ${clean(c.message)}`)].join(
    ' — ',
  );
}

function detailsOf(error: ErrorLike): string {
  const lines = [`${errorClassOf(error)}: ${clean(error.message)}`];
  if (error.expected !== undefined || error.actual !== undefined) {
    lines.push(`Expected: ${clean(error.expected)}`, `Seen:     ${clean(error.actual)}`);
  }
  const diff = clean(error.diff);
  if (diff) lines.push('', diff);
  const frames = stackFrames(error.stack);
  if (frames.length) lines.push('', ...frames);
  for (const cause of causesOf(error))
    lines.push(`Caused by ${errorClassOf(cause)}: ${clean(cause.message)}`);
  return lines.join('\n');
}

function causesOf(error: ErrorLike): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let cause = error.cause;
  while (cause && typeof cause === 'object' && chain.length < 5) {
    chain.push(cause as ErrorLike);
    cause = (cause as ErrorLike).cause;
  }
  return chain;
}

/** Stack frames that point into the project, not into vitest or node internals. */
function stackFrames(stack: unknown): string[] {
  if (typeof stack !== 'string') return [];
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .filter((line) => !/node_modules|node:internal|<anonymous>/.test(line))
    .slice(0, 8)
    .map((line) => line.trim());
}

function brokenAncestor(parent: ParentLike | undefined): ParentLike | undefined {
  for (let p = parent; p; p = p.parent) if (p.errors().length > 0) return p;
  return undefined;
}

function labelOf(parent: ParentLike): string {
  return parent.type === 'module' ? (parent.relativeModuleId ?? 'module') : (parent.name ?? 'suite');
}

function skipReason(mode: string, note: string | undefined): string {
  if (note) return note;
  if (mode === 'todo') return 'todo: not written yet';
  return 'not run (skipped in code or filtered out)';
}

function clean(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return stripVTControlCharacters(text ?? String(value)).trim();
}
