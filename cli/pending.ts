import { BroadcastChannel } from 'node:worker_threads';
import type { Reporter, TestCase } from 'vitest/node';
import { WRITER_INVOKE_MS } from '../helpers/application/writer.ts';
import { PENDING_CHANNEL, type PendingMessage } from '../helpers/pending.ts';
import type { ResolvedTargets } from '../helpers/targets/index.ts';

/**
 * What a run is still doing, for the message of a run past its deadline:
 * the checks running (vitest's reporter API, in this process), the waits
 * `eventually()` is in and the last AWS call (told by the checks' worker
 * threads on helpers/pending.ts's channel).
 */
export class PendingWork {
  private readonly running = new Map<string, { name: string; since: number }>();
  private readonly waits = new Map<string, { description: string; boundMs: number; at: number }>();
  private lastCall: { name: string; at: number } | undefined;
  private readonly channel = new BroadcastChannel(PENDING_CHANNEL);

  constructor() {
    this.channel.unref();
    this.channel.onmessage = (event) => this.hear((event as { data: PendingMessage }).data);
  }

  /** A reporter that keeps the running checks. */
  reporter(): Reporter {
    return {
      onTestCaseReady: (test: TestCase) => {
        this.running.set(test.id, { name: test.fullName, since: Date.now() });
      },
      onTestCaseResult: (test: TestCase) => {
        this.running.delete(test.id);
      },
    };
  }

  private hear(message: PendingMessage): void {
    if (message.kind === 'wait-start') this.waits.set(message.id, message);
    else if (message.kind === 'wait-end') this.waits.delete(message.id);
    else this.lastCall = message;
  }

  /** The pending work in words, one item a line. */
  describe(now = Date.now()): string {
    const ago = (at: number) => `${((now - at) / 1000).toFixed(1)} s ago`;
    const checks = [...this.running.values()].map(
      (c) => `  check: ${c.name} (running since ${ago(c.since)})`,
    );
    const waits = [...this.waits.values()].map(
      (w) => `  wait: ${w.description} (since ${ago(w.at)}, bound ${Math.round(w.boundMs / 1000)} s)`,
    );
    const call = this.lastCall
      ? `  last AWS call: ${this.lastCall.name} (${ago(this.lastCall.at)})`
      : '  last AWS call: none';
    return [
      'still pending:',
      ...(checks.length ? checks : ['  check: none running (the run was between checks, or in a hook)']),
      ...waits,
      call,
    ].join('\n');
  }

  close(): void {
    this.channel.close();
  }
}

/** Slack for what no bound names: resolving targets, starting workers, writing reports. */
const SLACK_MS = 120_000;
/** The conformance project's hookTimeout (vitest.config.ts): deploying and removing the probes. */
const HOOK_MS = 120_000;
/** The `live` tag's timeout (vitest.config.ts): one ping or probe check. */
const LIVE_MS = 180_000;

/**
 * The run's deadline, derived from the bounds it waits by: the test files
 * run side by side, so it is the longest file's path — the probes' deploy
 * and removal (two hooks), then the longest chain of waits: a live check,
 * the probe's attempts, the writer's invocation and writes, the receipts and, in the nightly mode only, the
 * CloudTrail wait or the wait for this run's traffic in the flow logs and
 * its data events in the trail — plus slack. About 9 min for the reference
 * lab in the gate mode, 34 min nightly.
 */
export function runDeadlineMs(targets: ResolvedTargets, profile: 'gate' | 'nightly'): number {
  const dp = targets.dataProtection;
  const probe = targets.endpoints?.probe;
  const probeMs = probe ? probe.attemptTimeoutMs * 2 * probe.placements.length : 0;
  const receiptsMs = dp ? dp.receiptTimeoutSeconds * 1000 : 0;
  const cloudTrailMs = dp && profile === 'nightly' ? dp.cloudTrailTimeoutSeconds * 1000 : 0;
  const obs = profile === 'nightly' ? targets.observability : undefined;
  // The observability file makes its traffic and probe calls first (a live check's worth), then waits for
  // the trail and the flow logs side by side.
  const deliveryMs = obs
    ? LIVE_MS + probeMs + Math.max(obs.dataEventTimeoutSeconds, obs.recordTimeoutSeconds) * 1000
    : 0;
  const longestChain = Math.max(LIVE_MS + probeMs, receiptsMs + cloudTrailMs, deliveryMs);
  // The writer's file (S10–S12) has no hooks: its invoke, then its writes and REPORT line awaited side
  // by side within the targets' bound.
  const writer = targets.application?.writer;
  const writerMs = writer ? WRITER_INVOKE_MS + writer.timeoutSeconds * 1000 : 0;
  return SLACK_MS + Math.max(2 * HOOK_MS + longestChain, writerMs);
}
