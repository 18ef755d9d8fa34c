/**
 * What the rest of meshcheck uses from reports/: the verdict rule, the exit
 * code rule, the results file and the call counters. The vitest reporter
 * itself is `reports/reporter.ts` (its default export).
 */

export { printable, terminalText } from '../common/escape.ts';
export { buildModel } from './build.ts';
export { type CallCounts, sumCalls } from './calls.ts';
export { RESULTS_SCHEMA, readResults } from './json.ts';
export {
  type ExitCode,
  exitCodeMeaning,
  exitCodeOf,
  type RunModel,
  type Summary,
  summarize,
  type TestRecord,
  type Verdict,
} from './model.ts';
export { redactText, redactValue } from './redact.ts';
export { excludedTags, writeReports } from './reporter.ts';
export { type Stop, stoppedModel } from './stopped.ts';
export { FAIL_CLASSES, type Outcome, outcomeOf, verdictOf } from './verdict.ts';
