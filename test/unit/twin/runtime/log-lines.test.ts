import { afterAll, describe, expect, test } from 'vitest';
import { runtimeOf } from '../../../../twin/runtime/index.ts';
import { logTail, reportLine } from '../../../../twin/runtime/log-lines.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { Twin } from '../../../../twin/twin.ts';
import { specOf } from './fixtures.ts';

/**
 * Function output as CloudWatch Logs receives it from the Node.js runtime,
 * and the platform's own lines around it.
 */
const clock = new ManualClock(Date.UTC(2026, 4, 17, 8, 30));
const twin = new Twin({ clock, origin: 'http://127.0.0.1:9' });
afterAll(() => twin.dispose());

describe('console output', () => {
  test('each console call is one event: twin time, request id, level, formatted text', async () => {
    const spec = specOf(twin, {
      'index.mjs': `export const handler = async () => {
        console.log('plain', 1, { a: 1 });
        console.info('info');
        console.warn('careful');
        console.error('broken', new Error('boom').message);
        console.debug('details');
        console.log('line one\\nline two');
        process.stdout.write('raw out\\n');
      }`,
    });
    const result = await runtimeOf(twin).run(spec, { requestId: 'fmt-1', payload: '{}' });
    const lines = result.logEvents
      .map((e) => e.message)
      .filter((m) => m.includes('\tfmt-1\t') || m.startsWith('raw'));
    expect(lines.map((l) => l.replace(/^\S+\t/, 'T\t'))).toEqual([
      'T\tfmt-1\tINFO\tplain 1 { a: 1 }\n',
      'T\tfmt-1\tINFO\tinfo\n',
      'T\tfmt-1\tWARN\tcareful\n',
      'T\tfmt-1\tERROR\tbroken boom\n',
      'T\tfmt-1\tDEBUG\tdetails\n',
      'T\tfmt-1\tINFO\tline one\nline two\n',
      'raw out\n',
    ]);
    // Timestamps are on the twin's clock (a ManualClock set to May 2026), not the wall clock.
    expect(lines[0]!.slice(0, 16)).toBe('2026-05-17T08:30');
    expect(result.logStreamName.startsWith('2026/05/17/[$LATEST]')).toBe(true);
    for (const e of result.logEvents) expect(e.timestamp).toBeGreaterThanOrEqual(clock.now());
  });
});

describe('the platform lines', () => {
  test('REPORT carries durations, memory and, on a cold start, Init Duration, billed with the init', () => {
    expect(
      reportLine({
        requestId: 'r',
        durationMs: 12.345,
        memorySize: 128,
        maxMemoryUsedMb: 40,
        initDurationMs: 150.5,
      }),
    ).toBe(
      'REPORT RequestId: r\tDuration: 12.35 ms\tBilled Duration: 163 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 150.50 ms\t\n',
    );
  });

  test('the tail is the last 4 KB of the invocation’s log', async () => {
    const spec = specOf(twin, {
      'index.mjs':
        'export const handler = async () => { for (let i = 0; i < 200; i++) console.log("line " + i + " " + "x".repeat(40)); }',
    });
    const result = await runtimeOf(twin).run(spec, { requestId: 'tail-1', payload: '{}' });
    const tail = Buffer.from(logTail(result.logEvents), 'base64');
    const all = result.logEvents.map((e) => e.message).join('');
    expect(Buffer.byteLength(all)).toBeGreaterThan(4096);
    expect(tail.length).toBe(4096);
    expect(all.endsWith(tail.toString())).toBe(true);
    expect(tail.toString()).toMatch(/END RequestId: tail-1\nREPORT RequestId: tail-1\t/);
  });
});
