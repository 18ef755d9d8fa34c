/**
 * Time is a dependency (as miniflare injects its clock): every delay in the
 * twin is a point on this clock, compared when state is read, so tests move
 * time forward instead of sleeping.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for model unit tests. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Resolves once the clock has passed `at`, polling a real timer; for the server only. */
export function untilClock(clock: Clock, at: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (signal?.aborted) return reject(signal.reason);
      const left = at - clock.now();
      if (left <= 0) return resolve();
      setTimeout(tick, Math.min(left, 250)).unref?.();
    };
    tick();
  });
}
