import { type TestContext, test } from 'vitest';
import { printable } from '../../common/escape.ts';
import type { CheckMeta, SeedRef } from '../../reports/check-meta.ts';

/** What names a check: its checklist id and the seed item it comes from. */
export interface CheckId {
  id: string;
  seed: SeedRef;
}

/**
 * One test per row of expectations, each carrying its checklist id and row
 * as task meta (what drifts and reports match on); when targets list no
 * rows, one test that is reported as skipped with the reason, so an absent
 * component shows in the report instead of silently vanishing.
 *
 * @example
 *   eachRow(peerings, 'no peerings in targets', (p) => p.name)(
 *     { id: 'N12', seed }, 'peering $name is active', async (p, ctx) => { … });
 */
export function eachRow<T extends object>(
  rows: readonly T[],
  reasonWhenNone: string,
  rowOf: (row: T) => string,
) {
  return (check: CheckId, words: string, fn: (row: T, ctx: TestContext) => Promise<void>) => {
    const meta = (row?: string): CheckMeta => ({ ...check, words, ...(row !== undefined && { row }) });
    if (!rows.length) {
      test(`${check.id} does not apply: ${reasonWhenNone}`, { meta: meta() }, (ctx) =>
        ctx.skip(reasonWhenNone),
      );
      return;
    }
    // Names are filled in here rather than by test.for, which quotes strings ('App-VPC'): the
    // names are the report's vocabulary and must read as plain words.
    for (const row of rows)
      test(`${check.id} ${fill(words, row)}`, { meta: meta(rowOf(row)) }, (ctx) => fn(row, ctx));
  };
}

/**
 * A check that is not per row: one test, with its id as task meta.
 *
 * @example
 *   check({ id: 'N5', seed }, 'the Transit Gateway has the intended options', async (ctx) => { … });
 */
export function check(id: CheckId, words: string, fn: (ctx: TestContext) => Promise<void>): void {
  test(`${id.id} ${words}`, { meta: { ...id, words } satisfies CheckMeta }, fn);
}

/** Values are names from targets: data, shown escaped (common/escape.ts) wherever vitest prints the test's name. */
function fill(name: string, row: object): string {
  return name.replace(/\$(\w+)/g, (_, key: string) =>
    printable(String((row as Record<string, unknown>)[key] ?? `$${key}`)),
  );
}
