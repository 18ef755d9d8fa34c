/**
 * AWS API call counts, from the test workers to the reporter.
 *
 * Workers count in memory ({@link recordCall}, called by the suite's client
 * middleware) and write their counts as one JSON file per flush into the
 * directory named by `MESHCHECK_CALLS_DIR` ({@link flushCalls}); the reporter,
 * in the main process, sums every file ({@link readCalls}).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `{ "<service>.<Operation>": count }`, e.g. `{ "ec2.DescribeVpcs": 3 }`. */
export type CallCounts = Record<string, number>;

const FILE_PREFIX = 'calls-';

/**
 * One counter per worker, kept on `globalThis` so that every copy of this
 * module a worker evaluates (vitest isolates modules per test file) counts
 * into the same place.
 */
const COUNTER = Symbol.for('meshcheck.reports.calls');
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

/** This process's counts since the last flush. */
export function pendingCalls(): CallCounts {
  return Object.fromEntries(counter());
}

/**
 * Writes this process's counts since the last flush to a new file in `dir`
 * and starts counting from zero, so flushing at the end of every test file
 * of a reused worker never counts a call twice. Does nothing without a
 * directory or without calls. Returns the file written, if any.
 */
export function flushCalls(dir: string | undefined = process.env.MESHCHECK_CALLS_DIR): string | undefined {
  const counts = counter();
  if (!dir || counts.size === 0) return undefined;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${FILE_PREFIX}${process.pid}-${randomUUID()}.json`);
  writeFileSync(file, `${JSON.stringify(Object.fromEntries(counts))}\n`);
  counts.clear();
  return file;
}

/**
 * Sums every `*.json` count file in `dir`. A missing directory is no calls; a file
 * that is not a `{ name: number }` object is skipped rather than failing the
 * report. Keys come back sorted.
 */
export function readCalls(dir: string | undefined = process.env.MESHCHECK_CALLS_DIR): CallCounts {
  const total = new Map<string, number>();
  for (const file of countFiles(dir, '')) {
    for (const [key, count] of Object.entries(parseCounts(readFileSync(file, 'utf8')))) {
      total.set(key, (total.get(key) ?? 0) + count);
    }
  }
  return Object.fromEntries([...total].sort(([a], [b]) => a.localeCompare(b)));
}

/** Removes the count files a previous run left in `dir` (only ours, by name). */
export function clearCalls(dir: string | undefined = process.env.MESHCHECK_CALLS_DIR): void {
  for (const file of countFiles(dir, FILE_PREFIX)) rmSync(file, { force: true });
}

function countFiles(dir: string | undefined, prefix: string): string[] {
  if (!dir) return [];
  try {
    return readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

function parseCounts(text: string): CallCounts {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const out: CallCounts = {};
  for (const [key, count] of Object.entries(parsed)) {
    if (typeof count === 'number' && Number.isFinite(count) && count >= 0) out[key] = count;
  }
  return out;
}
