/**
 * Plain-text renderings shared by the renderers: truncation, pretty JSON and
 * a readable text form of each evidence kind (JUnit `<system-out>`).
 */

import { areaRank } from '../common/areas.ts';
import { printable } from '../common/escape.ts';
import {
  asCalls,
  asPing,
  asProbe,
  asReachability,
  attemptLine,
  type Probe,
  pingLine,
  reachabilityLine,
} from './evidence.ts';
import type { Evidence, Note, TestRecord, Verdict } from './model.ts';

/** Cuts `text` to `max` characters, saying how much was left out and where the rest is. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [truncated: ${text.length - max} more characters; full value in results.json]`;
}

/** A value as indented JSON; strings as themselves. */
export function prettyJson(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** A value as one-line JSON, as JUnit properties carry it. */
export function compactJson(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** Milliseconds for people: `850 ms`, `12.3 s`, `4 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

const TEXT_LIMIT = 8_000;

/** The evidence and notes of one test as text a person reads in a CI log. */
export function evidenceAsText(evidence: readonly Evidence[], notes: readonly Note[]): string {
  const blocks = notes.map((note) => `note (${note.type}): ${note.message}`);
  for (const item of evidence) {
    blocks.push(`── evidence:${item.kind} — ${item.summary}\n${truncate(bodyText(item), TEXT_LIMIT)}`);
  }
  return blocks.join('\n\n');
}

function bodyText(item: Evidence): string {
  const ping = item.kind === 'ping' ? asPing(item.value) : undefined;
  if (ping) {
    const command = ping.command ? `$ ${ping.command}\n` : '';
    return `${pingLine(ping)}\n${command}${ping.output ?? ''}`.trimEnd();
  }
  const reach = item.kind === 'reachability' ? asReachability(item.value) : undefined;
  if (reach) return reachabilityLine(reach);
  const probe = item.kind === 'probe' ? asProbe(item.value) : undefined;
  if (probe) return probeText(probe);
  const calls = item.kind === 'calls' ? asCalls(item.value) : undefined;
  if (calls) return callsText(calls);
  return prettyJson(item.value);
}

function probeText(probe: Probe): string {
  const lines = probe.attempts.map(
    (a) => `  ${attemptLine(a)}${a.addresses?.length ? ` → ${a.addresses.join(', ')}` : ''}`,
  );
  if (probe.logTail) lines.push('log tail:', probe.logTail);
  return lines.join('\n');
}

/** Call counts as aligned lines, busiest first. */
export function callsText(calls: Record<string, number>): string {
  const rows = Object.entries(calls).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const width = Math.max(0, ...rows.map(([name]) => name.length));
  return rows.map(([name, count]) => `${name.padEnd(width)}  ${count}`).join('\n');
}

/** The area of the checklist a test belongs to: its folder under suites/ (`network`), else its section. */
export function areaOf(test: Pick<TestRecord, 'file' | 'section'>): string {
  return /^suites\/([^/]+)\//.exec(test.file)?.[1] ?? test.section;
}

/**
 * One line per area, in the checklist's order (common/areas.ts; any other
 * after, as it first appears): what a CI log's last lines show of the run
 * (`network: 40 passed, 1 failed, 0 could not tell, 2 skipped`). The four
 * states stay apart, as everywhere.
 */
export function areaLines(tests: readonly TestRecord[]): string[] {
  const areas = new Map<string, Record<Verdict, number>>();
  for (const test of tests) {
    const area = areaOf(test);
    const counts = areas.get(area) ?? { pass: 0, fail: 0, error: 0, skip: 0 };
    counts[test.verdict]++;
    areas.set(area, counts);
  }
  return [...areas]
    .sort(([a], [b]) => areaRank(a) - areaRank(b))
    .map(
      ([area, c]) =>
        `${printable(area)}: ${c.pass} passed, ${c.fail} failed, ${c.error} could not tell, ${c.skip} skipped`,
    );
}
