/**
 * The run's timeline: the checks that waited (a ping's SSM command, the
 * probe's attempts, a receipt, CloudTrail's delivery) as bars on the run's
 * clock, so a person sees what overlapped and what the run's length was
 * made of. Quick checks are left out: they would bury the waits.
 */
import { badge, esc } from './html-evidence.ts';
import type { RunModel } from './model.ts';
import { formatDuration } from './text.ts';

/** A check shorter than this is no wait worth a bar. */
const WAIT_MS = 1_000;
/** At most this many bars, the longest; the rest are counted. */
const MAX_BARS = 60;

export interface TimelineBar {
  testIndex: number;
  /** Where it starts and how wide it is, in percent of the run. */
  leftPct: number;
  widthPct: number;
}

/** The bars of the checks that waited, in order of their start; none when the run has no clock. */
export function timelineBars(model: RunModel): { bars: TimelineBar[]; leftOut: number } {
  const runStart = Date.parse(model.meta.startedAt);
  const runMs = Math.max(model.summary.durationMs, 1);
  const waits = model.tests
    .map((test, testIndex) => ({ test, testIndex, start: Date.parse(test.startedAt ?? '') }))
    .filter(({ test, start }) => Number.isFinite(start) && test.durationMs >= WAIT_MS);
  if (!Number.isFinite(runStart)) return { bars: [], leftOut: 0 };
  const kept = [...waits].sort((a, b) => b.test.durationMs - a.test.durationMs).slice(0, MAX_BARS);
  const pct = (ms: number) => Math.min(100, Math.max(0, (ms / runMs) * 100));
  const bars = kept
    .sort((a, b) => a.start - b.start || a.testIndex - b.testIndex)
    .map(({ test, testIndex, start }) => {
      const leftPct = pct(start - runStart);
      return { testIndex, leftPct, widthPct: Math.max(0.3, Math.min(100 - leftPct, pct(test.durationMs))) };
    });
  return { bars, leftOut: waits.length - kept.length };
}

/** The timeline section; empty when no check waited. */
export function timelineHtml(model: RunModel): string {
  const { bars, leftOut } = timelineBars(model);
  if (!bars.length) return '';
  const rows = bars.map(({ testIndex, leftPct, widthPct }) => {
    const test = model.tests[testIndex]!;
    const label = `${test.id}${test.row === undefined ? '' : ` [${test.row}]`}`;
    const style = `left:${leftPct.toFixed(2)}%;width:${widthPct.toFixed(2)}%`;
    return `<li><span class="label">${badge(test.verdict)} <a href="#t-${testIndex}">${esc(label)}</a> ${formatDuration(test.durationMs)}</span><span class="track"><span class="bar v-${test.verdict}" style="${style}"></span></span></li>`;
  });
  const more = leftOut ? `<p class="sub">${leftOut} shorter waits are left out.</p>` : '';
  return [
    '<section id="timeline"><h2>Timeline of the run’s waits</h2>',
    `<p class="sub">Each check that took ${formatDuration(WAIT_MS)} or more, on the run’s clock (${formatDuration(model.summary.durationMs)} in all): bars side by side overlapped.</p>`,
    `<ol class="timeline">${rows.join('\n')}</ol>`,
    more,
    '</section>',
  ].join('\n');
}
