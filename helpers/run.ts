import { randomBytes } from 'node:crypto';

/** The tag every resource the suite creates carries, with the run id as its value. */
export const RUN_TAG = 'meshcheck:run';

let current: string | undefined;

/**
 * This run's id. The CLI makes it once (the first call) and stamps it on the
 * resolved targets; each test worker is told it from what validate provides
 * ({@link useRunId}, suites/setup/worker.ts), so every worker names and tags
 * what it creates the same way.
 */
export function runId(): string {
  current ??= newRunId();
  return current;
}

/** From now on this process's run id is `id`: a worker joining a run, or a harness starting another. */
export function useRunId(id: string): void {
  current = id;
}

/** A fresh id, dated so a person can tell runs apart at a glance: `mc-20260301-a1b2c3`. */
export function newRunId(): string {
  return `mc-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
}
