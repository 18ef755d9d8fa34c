import type { CallCounts } from '../helpers/calls.ts';

export type { CallCounts };

declare module 'vitest' {
  interface TaskMeta {
    /** The AWS calls a test file made: set on the file's task as it ends (suites/setup/worker.ts). */
    calls?: CallCounts;
  }
}

/**
 * The run's AWS API call counts: the sum of what each test file's task meta
 * carries (helpers/calls.ts). A value that is not a count is skipped rather
 * than failing the report. Keys come back sorted.
 */
export function sumCalls(perFile: Iterable<unknown>): CallCounts {
  const total = new Map<string, number>();
  for (const counts of perFile) {
    if (counts === null || typeof counts !== 'object' || Array.isArray(counts)) continue;
    for (const [key, count] of Object.entries(counts)) {
      if (typeof count === 'number' && Number.isFinite(count) && count >= 0)
        total.set(key, (total.get(key) ?? 0) + count);
    }
  }
  return Object.fromEntries([...total].sort(([a], [b]) => a.localeCompare(b)));
}
