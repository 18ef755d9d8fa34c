/**
 * A check's identity, carried as vitest task meta: the checklist id, the
 * row of targets it checks, its words and the seed item it comes from. The
 * suite sets it (suites/setup/rows.ts); the reports, the drift matrix and
 * CHECKLIST.md read it, so a test's name is free to change its words.
 */
export interface CheckMeta {
  /** The checklist id (`N13`): stable, and in order within its file. */
  id: string;
  /** Which row of targets, for a check run per row (`prod-app→dev-app:icmp`); absent for a single check. */
  row?: string;
  /** The checklist's words, with `$field` where a row's value goes. */
  words: string;
  /** The item of the source material the check comes from. */
  seed: SeedRef;
}

/** An item of one of the seed documents the checklist was drawn from (suites/setup/seeds.ts lists them). */
export interface SeedRef {
  /** The document's key in suites/setup/seeds.ts. */
  doc: string;
  /** The heading or step of that document, in its own words. */
  item: string;
}

declare module 'vitest' {
  interface TaskMeta extends Partial<CheckMeta> {}
}

/** The check a task's meta names, or undefined for a task that is not a check. */
export function checkOf(meta: Partial<CheckMeta>): CheckMeta | undefined {
  return meta.id && meta.words !== undefined && meta.seed ? (meta as CheckMeta) : undefined;
}
