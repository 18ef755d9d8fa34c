import { BroadcastChannel, threadId } from 'node:worker_threads';

/**
 * What the suite is waiting on, told to whoever listens: the waits of
 * `eventually()` (with their bound) and the last AWS call. The CLI listens
 * (cli/pending.ts) so that a run past its deadline can name what was still
 * pending. It travels on a BroadcastChannel, which reaches every thread of
 * the process — `meshcheck validate` runs the checks in worker threads; run
 * any other way, nobody listens and posting costs nothing. Helpers tell, and
 * know nothing of reports or of the CLI.
 */
export const PENDING_CHANNEL = 'meshcheck:pending';

export type PendingMessage =
  | { kind: 'wait-start'; id: string; description: string; boundMs: number; at: number }
  | { kind: 'wait-end'; id: string }
  | { kind: 'call'; name: string; at: number };

let channel: BroadcastChannel | undefined;
let next = 0;

function post(message: PendingMessage): void {
  try {
    if (!channel) {
      channel = new BroadcastChannel(PENDING_CHANNEL);
      // Telling must never keep a worker alive.
      channel.unref();
    }
    channel.postMessage(message);
  } catch {
    // A closed channel at the very end of a worker: nobody is left to tell.
  }
}

/** Runs `fn` as a wait on `description`, told while it lasts. */
export async function waitingOn<T>(description: string, boundMs: number, fn: () => Promise<T>): Promise<T> {
  const id = `${threadId}:${process.pid}:${next++}`;
  post({ kind: 'wait-start', id, description, boundMs, at: Date.now() });
  try {
    return await fn();
  } finally {
    post({ kind: 'wait-end', id });
  }
}

/** An AWS call about to be made (`ec2.DescribeVpcs`). */
export function tellCall(name: string): void {
  post({ kind: 'call', name, at: Date.now() });
}
