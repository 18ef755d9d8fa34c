import { vi } from 'vitest';

let hours = 0;

/**
 * A fake clock (timers, Date, and performance for p-retry's bound) an hour past the last one any test used.
 * The paced CloudTrail reader remembers when it last called (module state,
 * shared by the test files one worker runs), so each test starts clear of
 * it and its timings read from zero.
 */
export function useFreshFakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  vi.setSystemTime(Date.UTC(2030, 0, 1) + ++hours * 3_600_000);
}

/** A promise run to its end on the fake clock: its value, or its error thrown. */
export async function settle<T>(p: Promise<T>): Promise<T> {
  const out = p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.runAllTimersAsync();
  const r = await out;
  if ('error' in r) throw r.error;
  return r.value;
}
