import type { Twin } from '../../../twin.ts';
import { redriveOf } from './attributes.ts';
import { type SqsModel, signalAvailable, waitOn } from './index.ts';
import { nextVisibleAt, receivable, take } from './messages.ts';
import type { MessageState, QueueState } from './state.ts';

/**
 * ReceiveMessage with long polling and dead-letter redrive. A long poll
 * holds the request until a message is receivable or WaitTimeSeconds pass
 * on the twin's clock ("Long polling … returns messages as soon as they
 * become available", SQS Developer Guide, "Amazon SQS short and long
 * polling"); a send to the queue wakes it at once.
 */
export interface ReceiveOptions {
  max: number;
  /** Seconds the received messages stay invisible. */
  visibility: number;
  /** Seconds to wait for a message when none is receivable (0: short poll). */
  waitSeconds: number;
}

/**
 * "When the ReceiveCount for a message exceeds the maxReceiveCount for a
 * queue, Amazon SQS moves the message to the dead-letter-queue"
 * (API_CreateQueue, RedrivePolicy). The message keeps its id, body and
 * original send time.
 */
function redrive(model: SqsModel, queue: QueueState, m: MessageState, now: number): boolean {
  const policy = redriveOf(queue);
  if (!policy || m.receiveCount < policy.maxReceiveCount) return false;
  const target = model.queues.get(policy.deadLetterTargetArn.split(':').at(-1) ?? '');
  if (!target || target.arn !== policy.deadLetterTargetArn) return false;
  queue.messages = queue.messages.filter((x) => x !== m);
  target.messages.push({
    ...m,
    availableAt: now,
    visibleAt: now,
    receiptHandle: undefined,
    deadLetterSourceArn: queue.arn,
  });
  signalAvailable(model.twin, target.arn);
  return true;
}

/** Takes up to `max` receivable messages now, moving over-received ones to the dead-letter queue. */
export function takeBatch(
  model: SqsModel,
  queue: QueueState,
  options: ReceiveOptions,
  now: number,
): MessageState[] {
  const out: MessageState[] = [];
  for (const m of receivable(queue, now)) {
    if (out.length >= options.max) break;
    if (redrive(model, queue, m, now)) continue;
    take(queue, m, options.visibility, now, model.twin.ids);
    out.push(m);
  }
  return out;
}

/** Resolves when the queue is signalled or the clock reaches `until`. */
function park(twin: Twin, queueArn: string, until: number): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      stop();
      resolve();
    };
    const stop = waitOn(twin, queueArn, finish);
    twin.scheduler.at(until, finish);
  });
}

/**
 * Receives from `queue`, waiting up to `waitSeconds` for a message. `check`
 * runs before messages are handed out (the KMS decrypt of an encrypted
 * queue), so a refused consumer leaves them visible.
 */
export async function receiveMessages(
  model: SqsModel,
  queue: QueueState,
  options: ReceiveOptions,
  check: () => void = () => {},
): Promise<MessageState[]> {
  const twin = model.twin;
  const deadline = twin.clock.now() + options.waitSeconds * 1000;
  for (;;) {
    const now = twin.clock.now();
    if (receivable(queue, now).length > 0) {
      check();
      const got = takeBatch(model, queue, options, now);
      if (got.length > 0) return got;
    }
    if (now >= deadline || model.queues.get(queue.name) !== queue) return [];
    await park(twin, queue.arn, Math.min(deadline, nextVisibleAt(queue, now) ?? deadline));
  }
}
