import type { Twin } from '../../../twin.ts';
import type { QueueState } from './state.ts';

export type { AttributeValue, MessageState, QueueState } from './state.ts';

/** Every SQS model of a twin, so the pipeline finds queues by ARN without the service definition. */
const models = new WeakMap<Twin, Map<string, SqsModel>>();

/** The SQS model of an account and region, if anything ever made it (no model: no queues). */
export function existingModel(twin: Twin, accountId: string, region: string): SqsModel | undefined {
  return models.get(twin)?.get(`${accountId}/${region}`);
}

/** SQS state of one account in one region: its queues by name. */
export class SqsModel {
  readonly queues = new Map<string, QueueState>();
  /** Name → when it was deleted: "You must wait 60 seconds after deleting a queue before you can create another with the same name." */
  readonly deletedAt = new Map<string, number>();

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
    readonly region: string,
  ) {
    let byKey = models.get(twin);
    if (!byKey) {
      byKey = new Map();
      models.set(twin, byKey);
    }
    byKey.set(`${accountId}/${region}`, this);
  }

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }
}

/**
 * Who waits on a queue, per twin: long polls parked in ReceiveMessage and
 * the event source poller. Sending a message (or making one visible again)
 * wakes them; the state itself stays in the models.
 */
interface Signals {
  waiters: Map<string, Set<() => void>>;
  listeners: Set<(queueArn: string) => void>;
}

const signals = new WeakMap<Twin, Signals>();

function signalsOf(twin: Twin): Signals {
  let s = signals.get(twin);
  if (!s) {
    s = { waiters: new Map(), listeners: new Set() };
    signals.set(twin, s);
  }
  return s;
}

/** Tells whoever waits on `queueArn` that a message may be receivable now. */
export function signalAvailable(twin: Twin, queueArn: string): void {
  const s = signalsOf(twin);
  const waiting = s.waiters.get(queueArn);
  if (waiting) for (const wake of [...waiting]) wake();
  for (const listener of s.listeners) listener(queueArn);
}

/** Parks a waiter on a queue; returns the function that removes it. */
export function waitOn(twin: Twin, queueArn: string, wake: () => void): () => void {
  const s = signalsOf(twin);
  let set = s.waiters.get(queueArn);
  if (!set) {
    set = new Set();
    s.waiters.set(queueArn, set);
  }
  set.add(wake);
  return () => set.delete(wake);
}

/** Subscribes to every queue's availability signal (the event source poller does). */
export function onAvailable(twin: Twin, listener: (queueArn: string) => void): void {
  signalsOf(twin).listeners.add(listener);
}
