import { type TestContext, test } from 'vitest';
import { printable } from '../../common/escape.ts';

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
    if (!rows.length) {
      // The checklist id and why it does not apply: the name's other words are about a row.
      test(`${name.split(' ')[0]} does not apply: ${reasonWhenNone}`, (ctx) => ctx.skip(reasonWhenNone));
      return;
    }
    // Names are filled in here rather than by test.for, which quotes strings ('App-VPC'): the
    // names are the report's and the drift catalogue's vocabulary and must read as plain words.
    for (const row of rows) test(fill(name, row), (ctx) => fn(row, ctx));
  };
}

/** Values are names from targets: data, shown escaped (common/escape.ts) wherever vitest prints the test's name. */
function fill(name: string, row: object): string {
  return name.replace(/\$(\w+)/g, (_, key: string) =>
    printable(String((row as Record<string, unknown>)[key] ?? `$${key}`)),
  );
}
