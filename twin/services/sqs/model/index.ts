import { type Twin, worldPart } from '../../../twin.ts';
import type { QueueState } from './state.ts';

export type { AttributeValue, MessageState, QueueState } from './state.ts';

/**
 * Every SQS model of a twin by `account/region`, so the pipeline finds
 * queues by ARN without the service definition (api.ts imports this file).
 * Held by the twin, beside the models it indexes.
 */
const sqsModels = worldPart({
  name: 'sqs.queues',
  make: () => new Map<string, SqsModel>(),
  show: (byKey) => Object.fromEntries([...byKey].map(([key, m]) => [key, m.queues.size])),
});

/** The SQS model of an account and region, if anything ever made it (no model: no queues). */
export function existingModel(twin: Twin, accountId: string, region: string): SqsModel | undefined {
  return twin.partIfMade(sqsModels)?.get(`${accountId}/${region}`);
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
    twin.part(sqsModels).set(`${accountId}/${region}`, this);
  }

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }
}

/**
 * Who waits on a queue, held by the twin: long polls parked in ReceiveMessage and
 * the event source poller. Sending a message (or making one visible again)
 * wakes them; the state itself stays in the models.
 */
interface Signals {
  waiters: Map<string, Set<() => void>>;
  listeners: Set<(queueArn: string) => void>;
}

const queueSignals = worldPart({
  name: 'sqs.waiters',
  make: (): Signals => ({ waiters: new Map(), listeners: new Set() }),
  show: (s) => ({
    longPolls: [...s.waiters.values()].reduce((n, set) => n + set.size, 0),
    listeners: s.listeners.size,
  }),
});

const signalsOf = (twin: Twin): Signals => twin.part(queueSignals);

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
