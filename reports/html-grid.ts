/**
 * The reachability grid: every `reachability` observation of the run, rows
 * = from hosts, columns = to hosts, each cell expected vs observed and
 * whether that is as intended.
 */
import { asReachability, type Reachability, reachabilityConforms } from './evidence.ts';
import { conformMark, esc } from './html-evidence.ts';
import type { TestRecord } from './model.ts';

export interface GridEntry extends Reachability {
  /** Index of the test in the model (the page anchors tests as `t-<index>`). */
  testIndex: number;
  conforms: boolean | undefined;
}

export interface Grid {
  rows: string[];
  columns: string[];
  /** Entries per `from\u0000to` (several when a pair is checked over several protocols). */
  cells: Map<string, GridEntry[]>;
}

/** Collects the grid from all reachability evidence, hosts sorted by name. */
export function reachabilityGrid(tests: readonly TestRecord[]): Grid {
  const cells = new Map<string, GridEntry[]>();
  tests.forEach((test, testIndex) => {
    for (const item of test.evidence) {
      const reach = item.kind === 'reachability' ? asReachability(item.value) : undefined;
      if (!reach) continue;
      const key = cellKey(reach.from, reach.to);
      cells.set(key, [
        ...(cells.get(key) ?? []),
        { ...reach, testIndex, conforms: reachabilityConforms(reach) },
      ]);
    }
  });
  const entries = [...cells.values()].flat();
  const sorted = (hosts: string[]) => [...new Set(hosts)].sort((a, b) => a.localeCompare(b));
  return { rows: sorted(entries.map((e) => e.from)), columns: sorted(entries.map((e) => e.to)), cells };
}

export function cellKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/** The grid as an HTML table; empty string when the run observed no reachability. */
export function gridHtml(tests: readonly TestRecord[]): string {
  const grid = reachabilityGrid(tests);
  if (grid.rows.length === 0) return '';
  const head = grid.columns.map((to) => `<th scope="col">${esc(to)}</th>`).join('');
  const rows = grid.rows.map((from) => {
    const cells = grid.columns.map((to) => cellHtml(grid.cells.get(cellKey(from, to)) ?? [], from === to));
    return `<tr><th scope="row">${esc(from)}</th>${cells.join('')}</tr>`;
  });
  return [
    '<table class="grid">',
    `<thead><tr><th scope="col">from ↓ · to →</th>${head}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    '<p class="sub">Each cell: expected (allow/deny) vs observed (answered/silent). A blank cell was not checked.</p>',
  ].join('\n');
}

function cellHtml(entries: readonly GridEntry[], self: boolean): string {
  if (entries.length === 0) return `<td class="cell empty">${self ? '·' : ''}</td>`;
  const worst = entries.some((e) => e.conforms === false)
    ? 'v-fail'
    : entries.some((e) => e.conforms === undefined)
      ? 'v-error'
      : 'v-pass';
  const lines = entries.map((e) => {
    const protocol = e.protocol ? `<span class="proto">${esc(e.protocol)}</span> ` : '';
    const seen = `${esc(e.expect ?? '?')} / ${esc(e.observed ?? '?')}`;
    return `<div>${protocol}<a href="#t-${e.testIndex}">${seen}</a> ${conformMark(e.conforms)}</div>`;
  });
  return `<td class="cell ${worst}">${lines.join('')}</td>`;
}
