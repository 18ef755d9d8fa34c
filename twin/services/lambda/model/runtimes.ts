import table from '../../../../common/lambda-runtimes.json' with { type: 'json' };

/**
 * Lambda's runtime deprecation schedule, kept as data (common/lambda-runtimes.json, read
 * from the "Lambda runtimes" page with the date it was read) and judged on
 * the twin's clock. The Runtimes page: after "Block function create" you
 * can no longer create functions on the runtime; after "Block function
 * update" you can no longer update their code or configure a function to
 * use it ("Runtime deprecation": once updates are blocked you cannot roll a
 * function back to the deprecated runtime). A configuration change that
 * does not name the runtime is still accepted then (AWS answers it; shown
 * with the CLI in Classmethod's "Lambda runtime block function update"
 * test, 2025-12).
 */
export interface RuntimeSchedule {
  identifier: string;
  name: string;
  deprecation: string;
  blockCreate: string;
  blockUpdate: string;
}

export const RUNTIME_TABLE: {
  source: string;
  read: string;
  runtimes: RuntimeSchedule[];
} = table;

export type RuntimeUse = 'create' | 'update';

function startOfDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function scheduleOf(runtime: string): RuntimeSchedule | undefined {
  return RUNTIME_TABLE.runtimes.find((r) => r.identifier === runtime);
}

/** Whether Lambda refuses `use` of `runtime` at `now` (epoch ms). */
export function isBlocked(runtime: string, use: RuntimeUse, now: number): boolean {
  const row = scheduleOf(runtime);
  if (!row) return false;
  return now >= startOfDay(use === 'create' ? row.blockCreate : row.blockUpdate);
}

/** The runtimes the table lists that are not blocked for `use` at `now`. */
export function openRuntimes(use: RuntimeUse, now: number): string[] {
  return RUNTIME_TABLE.runtimes.map((r) => r.identifier).filter((id) => !isBlocked(id, use, now));
}
