/**
 * HTML for one piece of evidence, per kind: ping output in `<pre>`, probe
 * attempts as a table, reachability as a sentence, call counts as a table,
 * anything else as pretty-printed JSON.
 */

import { markup, printable } from '../common/escape.ts';
import {
  asCalls,
  asPing,
  asProbe,
  asReachability,
  type Probe,
  type Reachability,
  reachabilityConforms,
  reachabilityLine,
} from './evidence.ts';
import type { Evidence, Verdict } from './model.ts';
import { prettyJson, truncate } from './text.ts';

/** Evidence values past this many characters are cut in the page (results.json keeps them whole). */
const HTML_LIMIT = 20_000;

/** Escapes text for HTML content and attribute values, after making control and reordering characters visible. */
export function esc(value: unknown): string {
  return markup(printable(value, { lines: true }));
}

const LABELS: Record<Verdict, string> = { pass: '✔ PASS', fail: '✘ FAIL', error: '⚠ ERROR', skip: '⊘ SKIP' };

/** A verdict badge: colour and words, never colour alone. */
export function badge(verdict: Verdict): string {
  return `<span class="badge v-${verdict}">${LABELS[verdict]}</span>`;
}

/** One evidence block with its kind, summary and the value rendered for its kind. */
export function evidenceHtml(item: Evidence): string {
  return [
    '<div class="evidence">',
    `<p class="evidence-head"><span class="kind">${esc(item.kind)}</span> ${esc(item.summary)}</p>`,
    bodyHtml(item),
    '</div>',
  ].join('\n');
}

function bodyHtml(item: Evidence): string {
  const ping = item.kind === 'ping' ? asPing(item.value) : undefined;
  if (ping) {
    const command = ping.command ? `$ ${ping.command}\n` : '';
    return `<pre class="ping">${esc(truncate(`${command}${ping.output ?? ''}`.trimEnd(), HTML_LIMIT))}</pre>`;
  }
  const reach = item.kind === 'reachability' ? asReachability(item.value) : undefined;
  if (reach) return reachabilityHtml(reach);
  const probe = item.kind === 'probe' ? asProbe(item.value) : undefined;
  if (probe) return probeHtml(probe);
  const calls = item.kind === 'calls' ? asCalls(item.value) : undefined;
  if (calls) return callsTable(calls);
  return `<pre class="json">${esc(truncate(prettyJson(item.value), HTML_LIMIT))}</pre>`;
}

/** The mark for an observation against its expectation, in words and colour. */
export function conformMark(conforms: boolean | undefined): string {
  if (conforms === undefined) return '<span class="mark v-error">? cannot tell</span>';
  return conforms
    ? '<span class="mark v-pass">✔ as intended</span>'
    : '<span class="mark v-fail">✘ not as intended</span>';
}

function reachabilityHtml(r: Reachability): string {
  return `<p>${esc(reachabilityLine(r).replace(/ — .*$/, ''))} ${conformMark(reachabilityConforms(r))}</p>`;
}

const PROBE_COLUMNS = ['attempt', 'kind', 'outcome', 'error code', 'latency', 'addresses'];

function probeHtml(probe: Probe): string {
  const rows = probe.attempts.map((a) => {
    const outcome = a.outcome ?? '?';
    const cls = outcome === 'ok' ? 'v-pass' : outcome === 'denied' ? 'v-skip' : 'v-error';
    const cells = [
      esc(a.name ?? ''),
      esc(a.kind ?? ''),
      `<span class="mark ${cls}">${esc(outcome)}</span>`,
      esc(a.errorCode ?? ''),
      a.latencyMs === undefined ? '' : `${esc(a.latencyMs)} ms`,
      esc((a.addresses ?? []).join(', ')),
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  const head = `<tr>${PROBE_COLUMNS.map((c) => `<th scope="col">${c}</th>`).join('')}</tr>`;
  const table = `<table class="probe"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
  const tail = probe.logTail
    ? `<p class="sub">log tail</p><pre>${esc(truncate(probe.logTail, HTML_LIMIT))}</pre>`
    : '';
  return `${table}${tail}`;
}

/** API call counts, busiest first, with a total. */
export function callsTable(calls: Record<string, number>): string {
  const rows = Object.entries(calls).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const total = rows.reduce((sum, [, count]) => sum + count, 0);
  const body = rows.map(
    ([op, count]) => `<tr><td><code>${esc(op)}</code></td><td class="num">${count}</td></tr>`,
  );
  return [
    '<table class="calls"><thead><tr><th scope="col">operation</th><th scope="col">calls</th></tr></thead>',
    `<tbody>${body.join('')}</tbody>`,
    `<tfoot><tr><th scope="row">total</th><td class="num">${total}</td></tr></tfoot></table>`,
  ].join('');
}
