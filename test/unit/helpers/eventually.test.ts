import { afterEach, describe, expect, test, vi } from 'vitest';
import { CannotTellError, LabDeviationError } from '../../../helpers/errors.ts';
import { eventually } from '../../../helpers/eventually.ts';

/** A look that answers from a script, one answer per call, repeating the last. */
function scripted<T>(...answers: Array<T | Error>) {
  let calls = 0;
  const look = async () => {
    const answer = answers[Math.min(calls, answers.length - 1)]!;
    calls++;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { look, calls: () => calls };
}

const quick = { minIntervalMs: 5, maxIntervalMs: 10 };

describe('eventually: a bounded wait that says what it waited for', () => {
  test('returns the first value that is there (anything but undefined by default)', async () => {
    const s = scripted<number | undefined>(undefined, undefined, 0);
    await expect(eventually('a zero', s.look, { timeoutMs: 2_000, ...quick })).resolves.toBe(0);
    expect(s.calls()).toBe(3);
  });

  test('`until` decides which value is the awaited state', async () => {
    const s = scripted('Pending', 'InProgress', 'Success', 'Failed');
    const status = await eventually('the command to finish', s.look, {
      timeoutMs: 2_000,
      until: (v) => v === 'Success' || v === 'Failed',
      ...quick,
    });
    expect(status).toBe('Success');
  });

  test('past its bound it is a deviation that says what it waited for, what it last saw and how to look', async () => {
    const s = scripted({ status: 'Pending' });
    const wait = eventually('the receipt for kiwi', s.look, {
      timeoutMs: 150,
      until: () => false,
      reproduce: 'aws s3api head-object --bucket b --key k',
      ...quick,
    });
    const error = await wait.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabDeviationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^waited \d+\.\ds for the receipt for kiwi; last saw: \{"status":"Pending"\}/);
    expect(message).toContain('\n  look yourself: aws s3api head-object --bucket b --key k');
    expect(s.calls()).toBeGreaterThan(1);
  });

  test('the wait lasts about its bound, not less and not much more', async () => {
    const started = Date.now();
    await eventually('never', async () => undefined, { timeoutMs: 200, ...quick }).catch(() => undefined);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(10_000);
  });

  test('`show` words the last value; with nothing seen it says so', async () => {
    const shown = await eventually('x', async () => 7, {
      timeoutMs: 60,
      until: () => false,
      show: (v) => `${v} things`,
      ...quick,
    }).catch((e: Error) => e.message);
    expect(shown).toContain('last saw: 7 things');
    expect(shown).not.toContain('look yourself');
  });

  test('onTimeout cannot-tell makes the timeout an error of the suite, not of the lab', async () => {
    const error = await eventually('the agent', async () => undefined, {
      timeoutMs: 60,
      onTimeout: 'cannot-tell',
      ...quick,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as CannotTellError).kind).toBe('timeout');
  });

  test("the suite's own errors end the wait at once, unchanged", async () => {
    for (const thrown of [new CannotTellError('denied read', 'denied'), new LabDeviationError('gone')]) {
      const s = scripted<number>(thrown, 1);
      const error = await eventually('x', s.look, { timeoutMs: 2_000, ...quick }).catch((e: unknown) => e);
      expect(error).toBe(thrown);
      expect(s.calls()).toBe(1);
    }
  });

  test('an unexpected error ends the wait as cannot-tell naming what was awaited', async () => {
    const s = scripted<number>(new TypeError('boom'), 1);
    const error = await eventually('the route', s.look, { timeoutMs: 2_000, ...quick }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toBe('while waiting for the route: boom');
    expect(s.calls()).toBe(1);
  });

  test('`retryOn` errors mean "not yet"; the last one is what it saw when the bound passes', async () => {
    const notYet = Object.assign(new Error('no such invocation'), { name: 'InvocationDoesNotExist' });
    const s = scripted<string>(notYet, notYet, 'Success');
    await expect(
      eventually('the invocation', s.look, {
        timeoutMs: 2_000,
        retryOn: (e) => (e as Error).name === 'InvocationDoesNotExist',
        ...quick,
      }),
    ).resolves.toBe('Success');

    const never = eventually('the invocation', scripted<string>(notYet).look, {
      timeoutMs: 60,
      retryOn: () => true,
      ...quick,
    });
    const error = await never.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabDeviationError);
    expect((error as Error).message).toContain('last saw: InvocationDoesNotExist: no such invocation');
  });

  test('an aborted signal stops the wait', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    await eventually('x', async () => undefined, {
      timeoutMs: 5_000,
      signal: controller.signal,
      ...quick,
    }).catch(() => undefined);
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});

/** What a wait that should fail threw (an Error saying so when it did not fail). */
const failure = (wait: Promise<unknown>) =>
  wait.then(
    () => new Error('the wait ended with a value'),
    (e: Error) => e,
  );

describe('eventually: its pace and what it shows, on a fake clock', () => {
  const fake = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  afterEach(() => vi.useRealTimers());

  test('by default it looks again after a quarter second at the earliest, and at least every ten', async () => {
    fake();
    let calls = 0;
    const wait = failure(
      eventually(
        'x',
        async () => {
          calls++;
          return undefined;
        },
        { timeoutMs: 120_000 },
      ),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(249);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(251);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(await wait).toBeInstanceOf(LabDeviationError);
    // 120 s at most five (randomized: ten) seconds apart.
    expect(calls).toBeGreaterThanOrEqual(12);
  });

  test('the pauses grow between the bounds given', async () => {
    fake();
    const at: number[] = [];
    const wait = failure(
      eventually(
        'x',
        async () => {
          at.push(Date.now());
          return undefined;
        },
        { timeoutMs: 60_000, minIntervalMs: 1_000, maxIntervalMs: 2_000 },
      ),
    );
    await vi.advanceTimersByTimeAsync(61_000);
    await wait;
    // The last look is at the bound, however near.
    const gaps = at.slice(1, -1).map((t, i) => t - at[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(4_000);
    expect(gaps.length).toBeGreaterThanOrEqual(15);
  });

  test('it says how long it waited, to a tenth of a second, and shows the last value as JSON', async () => {
    fake();
    const wait = failure(
      eventually('the route', async () => ({ state: 'blackhole' }), {
        timeoutMs: 3_000,
        until: () => false,
        minIntervalMs: 500,
        maxIntervalMs: 500,
      }),
    );
    await vi.advanceTimersByTimeAsync(10_000);
    const error = await wait;
    expect(error.message).toMatch(/^waited [34]\.\ds for the route; last saw: \{"state":"blackhole"\}$/);
  });

  test('nothing seen at all says so', async () => {
    fake();
    const wait = failure(
      eventually(
        'the agent',
        async () => {
          throw Object.assign(new Error('offline'), { name: 'NotYet' });
        },
        { timeoutMs: 1_000, retryOn: () => false, minIntervalMs: 100 },
      ),
    );
    await vi.advanceTimersByTimeAsync(2_000);
    // An error that is not "not yet" ends the wait at once, as cannot-tell naming it.
    expect((await wait).message).toBe('while waiting for the agent: offline');
  });

  test('a value that arrives is returned even when an error came before it', async () => {
    fake();
    const notYet = Object.assign(new Error('missing'), { name: 'InvocationDoesNotExist' });
    let calls = 0;
    const wait = eventually(
      'x',
      async () => {
        calls++;
        if (calls === 1) throw notYet;
        return calls === 2 ? undefined : 'there';
      },
      { timeoutMs: 10_000, retryOn: (e) => e === notYet, minIntervalMs: 100, maxIntervalMs: 100 },
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(wait).resolves.toBe('there');
  });

  test('a wait that saw a value and then only "not yet" errors shows the value', async () => {
    fake();
    const notYet = Object.assign(new Error('missing'), { name: 'InvocationDoesNotExist' });
    let calls = 0;
    const wait = failure(
      eventually(
        'x',
        async () => {
          calls++;
          if (calls === 1) return 'Pending';
          throw notYet;
        },
        {
          timeoutMs: 2_000,
          until: () => false,
          retryOn: (e) => e === notYet,
          minIntervalMs: 100,
          maxIntervalMs: 100,
          onTimeout: 'deviation',
        },
      ),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    const error = await wait;
    expect(error).toBeInstanceOf(LabDeviationError);
    expect(error.message).toContain('last saw: "Pending"');
  });

  test('an aborted signal ends the wait at once as cannot-tell (never a lab failure), saying what it waited for', async () => {
    fake();
    const controller = new AbortController();
    const wait = failure(
      eventually('the receipt', async () => undefined, {
        timeoutMs: 60_000,
        signal: controller.signal,
        minIntervalMs: 100,
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await wait;
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error.message).toMatch(/^stopped: waited 1\.\ds for the receipt; last saw: undefined$/);
  });
});

describe('eventually with `overshoot`: looks paced to the time waited, on a fake clock', () => {
  const fake = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  afterEach(() => vi.useRealTimers());

  /** A wait for evidence that appears `delayMs` after `since`; when it was seen, and how many looks it took. */
  async function seen(delayMs: number, since: number, options: { timeoutMs: number } & object) {
    let looks = 0;
    const due = since + delayMs;
    const wait = eventually(
      'the event',
      async () => {
        looks++;
        return Date.now() >= due ? Date.now() : undefined;
      },
      { minIntervalMs: 500, maxIntervalMs: 30_000, overshoot: 0.05, since, ...options },
    );
    await vi.advanceTimersByTimeAsync(options.timeoutMs + 1_000);
    return { at: (await wait)! - since, looks };
  }

  test.each([
    [30_000, 'a tenth of the profile'],
    [300_000, "CloudTrail's typical five minutes"],
    [900_000, 'its fifteen at worst'],
  ])('evidence due %i ms after its cause (%s) is seen within a twentieth of that', async (delayMs) => {
    fake();
    const { at, looks } = await seen(delayMs, Date.now(), { timeoutMs: 1_200_000 });
    expect(at).toBeGreaterThanOrEqual(delayMs);
    expect(at).toBeLessThanOrEqual(delayMs * 1.05 + 500);
    // Few looks all the same: the pause grows with the time waited, about ln(delay / 10 s) / 0.05 of them.
    expect(looks).toBeLessThan(120);
  });

  test('the pause is measured from the cause, not from the start of the wait', async () => {
    fake();
    const at: number[] = [];
    const since = Date.now() - 200_000;
    const wait = failure(
      eventually(
        'x',
        async () => {
          at.push(Date.now());
          return undefined;
        },
        { timeoutMs: 30_000, minIntervalMs: 500, maxIntervalMs: 30_000, overshoot: 0.05, since },
      ),
    );
    await vi.advanceTimersByTimeAsync(31_000);
    expect(await wait).toBeInstanceOf(LabDeviationError);
    // 200 s after the cause, 5% is ten seconds between looks, growing a little with each.
    expect(at[1]! - at[0]!).toBe(10_000);
    expect(at[2]! - at[1]!).toBe(10_500);
  });

  test('the pause stays within the bounds given, and the last look is at the wait’s bound', async () => {
    fake();
    const at: number[] = [];
    const wait = failure(
      eventually(
        'x',
        async () => {
          at.push(Date.now());
          return undefined;
        },
        { timeoutMs: 10_000, minIntervalMs: 1_000, maxIntervalMs: 2_000, overshoot: 0.5 },
      ),
    );
    await vi.advanceTimersByTimeAsync(11_000);
    expect(await wait).toBeInstanceOf(LabDeviationError);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(gaps.slice(0, -1)).toEqual([1_000, 1_000, 1_000, 1_500, 2_000, 2_000]);
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(9_999);
  });

  test('an error of the suite is not paused on: it ends the wait at once', async () => {
    fake();
    const wait = failure(
      eventually(
        'x',
        async () => {
          throw new CannotTellError('no permission');
        },
        { timeoutMs: 600_000, overshoot: 0.05, since: Date.now() - 600_000 },
      ),
    );
    await vi.advanceTimersByTimeAsync(1);
    expect(await wait).toBeInstanceOf(CannotTellError);
  });

  test('an aborted signal stops a paced wait in its pause, as cannot-tell', async () => {
    fake();
    const controller = new AbortController();
    const wait = failure(
      eventually('the receipt', async () => undefined, {
        timeoutMs: 600_000,
        signal: controller.signal,
        overshoot: 0.05,
        maxIntervalMs: 30_000,
        since: Date.now() - 600_000,
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    const error = await wait;
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error.message).toMatch(/^stopped: waited 1\.0s for the receipt/);
  });
});
