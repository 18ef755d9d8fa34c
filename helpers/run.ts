import { randomBytes } from 'node:crypto';

/** The tag every resource the suite creates carries, with the run id as its value. */
export const RUN_TAG = 'meshcheck:run';

/**
 * This run's id: set once by the CLI (MESHCHECK_RUN_ID) so that every test
 * worker names and tags what it creates the same way.
 */
export function runId(): string {
  process.env.MESHCHECK_RUN_ID ??= `mc-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
  return process.env.MESHCHECK_RUN_ID;
}
