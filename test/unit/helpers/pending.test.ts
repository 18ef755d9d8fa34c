import { BroadcastChannel, threadId } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PENDING_CHANNEL, type PendingMessage, tellCall, waitingOn } from '../../../helpers/pending.ts';

/**
 * What the suite waits on is told on a BroadcastChannel, so that a run past
 * its deadline can name it (cli/pending.ts listens). Here the test listens.
 */

let listener: BroadcastChannel;
let heard: PendingMessage[];

beforeEach(() => {
  heard = [];
  listener = new BroadcastChannel(PENDING_CHANNEL);
  listener.onmessage = (event) => heard.push((event as unknown as { data: PendingMessage }).data);
});
afterEach(() => listener.close());

/** Messages cross the channel asynchronously. */
async function until(count: number): Promise<PendingMessage[]> {
  for (let i = 0; i < 200 && heard.length < count; i++) await new Promise((r) => setTimeout(r, 5));
  return heard;
}

describe('waitingOn', () => {
  test('a wait is told when it starts, with its bound, and when it ends; its value is returned', async () => {
    const before = Date.now();
    const value = await waitingOn('route to app-a', 30_000, async () => {
      const started = await until(1);
      expect(started).toEqual([
        {
          kind: 'wait-start',
          id: expect.any(String),
          description: 'route to app-a',
          boundMs: 30_000,
          at: expect.any(Number),
        },
      ]);
      return 42;
    });
    expect(value).toBe(42);
    const [start, end] = await until(2);
    expect(end).toEqual({ kind: 'wait-end', id: (start as { id: string }).id });
    expect((start as { at: number }).at).toBeGreaterThanOrEqual(before);
    expect((start as { at: number }).at).toBeLessThanOrEqual(Date.now());
    expect((start as { id: string }).id).toMatch(new RegExp(`^${threadId}:${process.pid}:\\d+$`));
  });

  test('a wait that throws is still told ended, and its error passes through', async () => {
    const boom = new Error('boom');
    await expect(waitingOn('x', 1, () => Promise.reject(boom))).rejects.toBe(boom);
    const [start, end] = await until(2);
    expect(start!.kind).toBe('wait-start');
    expect(end).toEqual({ kind: 'wait-end', id: (start as { id: string }).id });
  });

  test('each wait has its own id', async () => {
    await waitingOn('a', 1, async () => undefined);
    await waitingOn('b', 1, async () => undefined);
    const messages = await until(4);
    const ids = messages.filter((m) => m.kind === 'wait-start').map((m) => (m as { id: string }).id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });
});

describe('tellCall', () => {
  test('an AWS call is told by name, with when', async () => {
    const before = Date.now();
    tellCall('ec2.DescribeVpcs');
    const [call] = await until(1);
    expect(call).toEqual({ kind: 'call', name: 'ec2.DescribeVpcs', at: expect.any(Number) });
    expect((call as { at: number }).at).toBeGreaterThanOrEqual(before);
  });
});
