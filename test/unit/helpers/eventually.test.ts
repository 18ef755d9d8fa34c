import { describe, expect, test } from 'vitest';
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
