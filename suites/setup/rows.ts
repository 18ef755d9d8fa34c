import { type TestContext, test } from 'vitest';

/**
 * One test per row of expectations; when targets list no rows, one test
 * that is reported as skipped with the reason, so an absent component
 * shows in the report instead of silently vanishing.
 *
 * @example
 *   eachRow(peerings, 'no peerings in targets')('N13 peering $name is active', async (p, ctx) => { … });
 */
export function eachRow<T extends object>(rows: readonly T[], reasonWhenNone: string) {
  return (name: string, fn: (row: T, ctx: TestContext) => Promise<void>) => {
    if (rows.length) {
      test.for(rows as T[])(name, fn);
      return;
    }
    test(name.replace(/\$\w+/g, '—'), (ctx) => ctx.skip(reasonWhenNone));
  };
}
