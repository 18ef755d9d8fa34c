/**
 * Heartbeats: a line at least every 30 s for each wait that lasts longer,
 * so that a CI log never sits silent through a CloudTrail or flow-log wait
 * of many minutes (CI runners kill jobs that print nothing for a while, and
 * people cancel them). The waits are those the suite tells on
 * helpers/pending.ts's channel — every `eventually()`, with its description
 * and bound — from whichever thread runs them. Lines go to stderr: stdout is
 * vitest's reporter stream, and the JUnit, HTML and JSON reports are
 * untouched. On an interactive terminal vitest's own live view shows
 * progress, and no heartbeat is printed.
 */
import { BroadcastChannel } from 'node:worker_threads';
import { printable } from '../common/escape.ts';
import { PENDING_CHANNEL, type PendingMessage } from '../helpers/pending.ts';

/** The longest a wait may go without a line. */
export const HEARTBEAT_MS = 30_000;

export interface HeartbeatOptions {
  /** The longest silence per wait, ms (30 s; shorter in tests). */
  intervalMs?: number;
  /** Where a line goes: stderr by default. */
  write?: (line: string) => void;
  now?: () => number;
}

type WaitStart = Extract<PendingMessage, { kind: 'wait-start' }>;

/**
 * Beats for the waits it hears of: the first line `intervalMs` after a wait
 * started (as its thread says, not as this one heard it), then one every
 * `intervalMs`, until the wait ends. A wait that ends sooner prints nothing.
 *
 * @example
 *   const beats = new Heartbeats({ intervalMs: 30_000 });
 *   beats.hear({ kind: 'wait-start', id: '1', description: 'the receipt for apple', boundMs: 300_000, at: Date.now() });
 *   // 30 s later, on stderr: meshcheck: still waiting for the receipt for apple: 30 s of 300 s
 */
export class Heartbeats {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly intervalMs: number;
  private readonly write: (line: string) => void;
  private readonly now: () => number;

  constructor(options: HeartbeatOptions = {}) {
    this.intervalMs = options.intervalMs ?? HEARTBEAT_MS;
    this.write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
    this.now = options.now ?? Date.now;
  }

  hear(message: PendingMessage): void {
    if (message.kind === 'wait-start') this.schedule(message, 1);
    else if (message.kind === 'wait-end') this.stop(message.id);
  }

  /** The beat `n` intervals after the wait started; each beat schedules the next, so they never drift. */
  private schedule(wait: WaitStart, n: number): void {
    const due = wait.at + n * this.intervalMs;
    const timer = setTimeout(
      () => {
        this.write(
          // One line whatever the description carries (names from targets and AWS): no name can start a log line.
          `meshcheck: still waiting for ${printable(wait.description)}: ${seconds(this.now() - wait.at)} of ${seconds(wait.boundMs)}`,
        );
        this.schedule(wait, n + 1);
      },
      Math.max(0, due - this.now()),
    );
    // A heartbeat never keeps the process alive.
    timer.unref();
    this.timers.set(wait.id, timer);
  }

  private stop(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  /** The waits still beating. */
  get beating(): number {
    return this.timers.size;
  }

  close(): void {
    for (const id of [...this.timers.keys()]) this.stop(id);
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

/**
 * Whether progress lines are wanted: output that no person watches live —
 * not a terminal, or a CI runner (`CI` set, as GitHub Actions, GitLab CI and
 * most others set it; `CI=false` is honoured as unset).
 */
export function wantsHeartbeats(
  stream: { isTTY?: boolean } = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const ci = env.CI;
  const onCi = ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
  return onCi || !stream.isTTY;
}

/**
 * Prints heartbeats for every wait told on the suite's channel, from any
 * thread of this process, until closed.
 *
 * @example
 *   const beats = listenForHeartbeats();
 *   try { await runTheChecks(); } finally { beats.close(); }
 */
export function listenForHeartbeats(options: HeartbeatOptions = {}): {
  readonly beating: number;
  close(): void;
} {
  const beats = new Heartbeats(options);
  const channel = new BroadcastChannel(PENDING_CHANNEL);
  // Listening must never keep the process alive.
  channel.unref();
  channel.onmessage = (event) => beats.hear((event as { data: PendingMessage }).data);
  return {
    get beating() {
      return beats.beating;
    },
    close() {
      channel.close();
      beats.close();
    },
  };
}
