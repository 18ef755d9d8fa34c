import { afterEach, beforeEach, describe, test, vi } from 'vitest';
import { Quota } from '../../../helpers/quota.ts';
import { useFreshFakeClock } from './fake-clock.ts';

// On a fake clock: the turns are timed, not slept.
beforeEach(() => useFreshFakeClock());
afterEach(() => vi.useRealTimers());

/** Callers that each ask for `turns` turns one after another, noting when they got them. */
function callers(quota: Quota, count: number, turns: number) {
  const at: { who: number; t: number }[] = [];
  const done = Promise.all(
    Array.from({ length: count }, async (_, who) => {
      for (let i = 0; i < turns; i++) {
        await quota.turn();
        at.push({ who, t: Date.now() });
      }
    }),
  );
  return { at, done };
}

describe('Quota: one request rate shared by every concurrent caller', () => {
  test('the first call goes at once; the next waits its gap', async ({ expect }) => {
    const quota = new Quota(550);
    const start = Date.now();
    const { at, done } = callers(quota, 1, 3);
    await vi.advanceTimersByTimeAsync(2_000);
    await done;
    expect(at.map((a) => a.t - start)).toEqual([0, 550, 1_100]);
  });

  test('three concurrent waits together stay within two calls a second', async ({ expect }) => {
    const quota = new Quota(550);
    const { at, done } = callers(quota, 3, 10);
    await vi.advanceTimersByTimeAsync(20_000);
    await done;
    expect(at).toHaveLength(30);
    const times = at.map((a) => a.t).sort((a, b) => a - b);
    for (let i = 2; i < times.length; i++) expect(times[i]! - times[i - 2]!).toBeGreaterThan(1_000);
  });

  test('turns go in the order asked: a caller that asks often does not starve one that asks seldom', async ({
    expect,
  }) => {
    const quota = new Quota(500);
    const busy = callers(quota, 1, 6);
    // The seldom caller asks once, while the busy one is queued; it gets the next free turn, not the last.
    await vi.advanceTimersByTimeAsync(10);
    const asked = Date.now();
    const seldom = quota.turn().then(() => Date.now() - asked);
    await vi.advanceTimersByTimeAsync(5_000);
    await busy.done;
    expect(await seldom).toBeLessThanOrEqual(1_000);
  });

  test('an idle quota does not bank turns: after a pause, calls are still a gap apart', async ({
    expect,
  }) => {
    const quota = new Quota(550);
    await quota.turn();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(quota.backlogMs()).toBe(0);
    const { at, done } = callers(quota, 2, 1);
    await vi.advanceTimersByTimeAsync(1_000);
    await done;
    expect(at[1]!.t - at[0]!.t).toBe(550);
  });

  test('a stopped caller is released at once, and its turn is not given to two others', async ({
    expect,
  }) => {
    const quota = new Quota(550);
    await quota.turn();
    const controller = new AbortController();
    const stopped = quota.turn(controller.signal).then(
      () => 'went',
      () => 'stopped',
    );
    controller.abort();
    expect(await stopped).toBe('stopped');
    const start = Date.now();
    const { at, done } = callers(quota, 1, 1);
    await vi.advanceTimersByTimeAsync(2_000);
    await done;
    expect(at[0]!.t - start).toBe(1_100);
  });
});
