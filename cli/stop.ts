import { terminalText } from '../common/escape.ts';

/**
 * Why a run stops early: a signal (SIGINT from a terminal's Ctrl+C, which
 * reaches the whole process group; SIGTERM from a CI runner), or the run's
 * own deadline.
 */
export type StopCause =
  | { kind: 'signal'; signal: 'SIGINT' | 'SIGTERM'; exitCode: 130 | 143 }
  | { kind: 'deadline'; deadlineMs: number; pending: string };

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * The run's stop switch. The CLI owns SIGINT and SIGTERM from the start of
 * a run to its exit: the first one stops the checks and starts the cleanup;
 * every later one (a second Ctrl+C, or the same signal forwarded again by
 * npm in front of us) is acknowledged and never cuts the cleanup short — the
 * cleanup is bounded instead (see {@link bounded}).
 */
export class RunStop {
  cause: StopCause | undefined;
  readonly stopped: Promise<StopCause>;
  private resolve!: (cause: StopCause) => void;
  private deadline: NodeJS.Timeout | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => this.signal(signal as 'SIGINT' | 'SIGTERM');

  constructor(private readonly cleanupBoundMs: number) {
    this.stopped = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  /** Takes SIGINT and SIGTERM over, removing any other listener (vitest's logger exits the process on them). */
  takeSignals(): void {
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal))
        if (listener !== this.onSignal) process.off(signal, listener);
      if (!process.listeners(signal).includes(this.onSignal)) process.on(signal, this.onSignal);
    }
  }

  /** Ends the run with exit 3 once `ms` have passed, naming what `pending()` says is still going on. */
  armDeadline(ms: number, pending: () => string): void {
    this.deadline = setTimeout(() => this.stop({ kind: 'deadline', deadlineMs: ms, pending: pending() }), ms);
    this.deadline.unref();
  }

  release(): void {
    for (const signal of SIGNALS) process.off(signal, this.onSignal);
    clearTimeout(this.deadline);
  }

  private signal(signal: 'SIGINT' | 'SIGTERM'): void {
    if (this.cause) {
      say(
        `meshcheck: ${signal} received again — still removing what this run created (at most ${Math.round(this.cleanupBoundMs / 1000)} s), then exiting`,
      );
      return;
    }
    say(`meshcheck: interrupted (${signal}) — stopping the checks and removing what this run created`);
    this.stop({ kind: 'signal', signal, exitCode: signal === 'SIGINT' ? 130 : 143 });
  }

  private stop(cause: StopCause): void {
    if (this.cause) return;
    this.cause = cause;
    clearTimeout(this.deadline);
    if (cause.kind === 'deadline')
      say(
        `meshcheck: the run passed its deadline of ${Math.round(cause.deadlineMs / 1000)} s — stopping it (exit 3) and removing what it created\n${cause.pending}`,
      );
    this.resolve(cause);
  }
}

/** Waits for `work`, at most `ms`; says what it gave up on. Never throws. */
export async function bounded(what: string, work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    const done = await Promise.race([work.then(() => true as const), timeout]);
    if (!done) say(`meshcheck: gave up waiting for ${what} after ${Math.round(ms / 1000)} s`);
    return done;
  } catch (error) {
    say(`meshcheck: ${what} failed: ${(error as Error).message}`);
    return true;
  } finally {
    clearTimeout(timer);
  }
}

/** A line on stderr, escaped: it may carry names from targets or AWS. */
export function say(message: string): void {
  process.stderr.write(`${terminalText(message)}\n`);
}
