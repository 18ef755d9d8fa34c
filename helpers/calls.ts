/**
 * AWS API calls the suite makes, counted per worker for the reports.
 *
 * The suite's client middleware counts every call ({@link recordCall}); at
 * the end of each test file the worker moves its counts onto the file's task
 * meta ({@link takeCalls}, suites/setup/worker.ts), which vitest carries to
 * the reporter with the file's results. No files, no environment variables.
 */

/** `{ "<service>.<Operation>": count }`, e.g. `{ "ec2.DescribeVpcs": 3 }`. */
export type CallCounts = Record<string, number>;

/**
 * One counter per worker, kept on `globalThis` so that every copy of this
 * module a worker evaluates (vitest isolates modules per test file) counts
 * into the same place.
 */
const COUNTER = Symbol.for('meshcheck.helpers.calls');
type Holder = { [COUNTER]?: Map<string, number> };

function counter(): Map<string, number> {
  const holder = globalThis as Holder;
  holder[COUNTER] ??= new Map();
  return holder[COUNTER];
}

/** Counts one call of `operation` on `service` (e.g. `recordCall('ec2', 'DescribeVpcs')`). */
export function recordCall(service: string, operation: string): void {
  const key = `${service}.${operation}`;
  const counts = counter();
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * This worker's counts since the last take, and a fresh start: taking at the
 * end of every test file of a reused worker never counts a call twice.
 */
export function takeCalls(): CallCounts {
  const counts = counter();
  const taken = Object.fromEntries(counts);
  counts.clear();
  return taken;
}
