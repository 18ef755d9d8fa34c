import { describe, expect, test } from 'vitest';
import { renderHtml } from '../../../reports/html.ts';
import { timelineBars } from '../../../reports/html-timeline.ts';
import type { TestRecord } from '../../../reports/model.ts';
import { sampleModel, sampleTests } from '../../fixtures/reports/model.ts';

const START = Date.parse('2025-01-02T03:04:05.678Z');
const at = (s: number) => new Date(START + s * 1000).toISOString();

function timed(id: string, startS: number, durationS: number): TestRecord {
  const [first] = sampleTests();
  return { ...first!, id, name: `${id} check`, startedAt: at(startS), durationMs: durationS * 1000 };
}

describe("the run's timeline", () => {
  test('shows each check that waited where it ran on the run’s clock, so overlaps side by side are visible', () => {
    const model = sampleModel({
      tests: [timed('N13', 10, 30), timed('E6', 0, 60), timed('N1', 5, 0.2), timed('D7', 20, 15)],
    });
    const { bars, leftOut } = timelineBars(model);
    expect(leftOut).toBe(0);
    // In order of start; the 0.2 s check is no wait.
    expect(bars.map((b) => [model.tests[b.testIndex]!.id, b.leftPct, b.widthPct])).toEqual([
      ['E6', 0, 100],
      ['N13', (10 / 60) * 100, (30 / 60) * 100],
      ['D7', (20 / 60) * 100, (15 / 60) * 100],
    ]);
    const html = renderHtml(model);
    expect(html).toContain('<section id="timeline">');
    expect(html).toContain('<a href="#timeline">');
    expect(html).toMatch(/<a href="#t-0">N13(?: \[[^\]]*\])?<\/a> 30\.0 s/);
  });

  test('checks that never ran, or a run without a clock, draw nothing', () => {
    const never = { ...timed('O20', 0, 5), startedAt: undefined };
    expect(timelineBars(sampleModel({ tests: [never] })).bars).toEqual([]);
    expect(renderHtml(sampleModel({ tests: [never] }))).not.toContain('id="timeline"');
    const noClock = sampleModel({ tests: [timed('N13', 1, 5)] });
    noClock.meta.startedAt = '';
    expect(timelineBars(noClock).bars).toEqual([]);
  });
});
