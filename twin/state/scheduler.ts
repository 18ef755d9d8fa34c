import type { Clock } from './clock.ts';

/**
 * Work the twin does later on its own (SNS fan-out, SQS polling by an event
 * source mapping, flow-log delivery), scheduled on the twin's clock. On the
 * system clock tasks run from real timers; on a ManualClock they run when a
 * test moves time and calls `runDue()`, so tests never sleep.
 */
interface Task {
  at: number;
  seq: number;
  run: () => void | Promise<void>;
}

export class Scheduler {
  private readonly tasks: Task[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Errors thrown by tasks; a task's failure must not stop the others, but tests can look. */
  readonly failures: unknown[] = [];

  constructor(
    private readonly clock: Clock,
    /** Real timers drive the queue (servers); false for tests on a ManualClock. */
    private readonly realTime: boolean,
  ) {}

  /** Runs `task` once the clock reaches `at` (epoch ms). */
  at(at: number, task: () => void | Promise<void>): void {
    if (this.stopped) return;
    this.tasks.push({ at, seq: this.seq++, run: task });
    this.tasks.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.arm();
  }

  after(ms: number, task: () => void | Promise<void>): void {
    this.at(this.clock.now() + ms, task);
  }

  /** Runs every task that is due, including tasks that due tasks schedule for now or earlier. */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const next = this.tasks[0];
      if (!next || next.at > this.clock.now()) break;
      this.tasks.shift();
      ran += 1;
      // On real timers the next task gets its own timer now: a task that
      // waits (a function running for seconds) must not hold up the others.
      this.arm();
      try {
        await next.run();
      } catch (error) {
        this.failures.push(error);
      }
    }
    this.arm();
    return ran;
  }

  get pending(): number {
    return this.tasks.length;
  }

  stop(): void {
    this.stopped = true;
    this.tasks.length = 0;
    if (this.timer) clearTimeout(this.timer);
  }

  private arm(): void {
    if (!this.realTime || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.tasks[0];
    if (!next) return;
    this.timer = setTimeout(() => void this.runDue(), Math.max(0, next.at - this.clock.now()));
    this.timer.unref();
  }
}
