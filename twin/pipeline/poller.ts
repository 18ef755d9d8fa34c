import type { Principal } from '../core/principal.ts';
import { findRole } from '../services/iam/lookups.ts';
import { deleteAs, hasReceivable, nextReceivableAt, receiveAs } from '../services/sqs/lookups.ts';
import { onAvailable } from '../services/sqs/model/index.ts';
import type { MessageState } from '../services/sqs/model/state.ts';
import { delay } from '../state/profile.ts';
import type { Twin } from '../twin.ts';
import { sqsRecord } from './records.ts';
import { type EventSourceMappingView, seamsOf } from './seams.ts';
import { mappingStats, problemOf } from './stats.ts';

/**
 * Lambda's SQS event source poller. The Lambda service polls the queue as
 * the function's execution role — "Lambda needs the following permissions
 * to manage messages in your Amazon SQS queue: sqs:ReceiveMessage,
 * sqs:DeleteMessage, sqs:GetQueueAttributes" and kms:Decrypt for a queue
 * encrypted with a customer managed key (Lambda Developer Guide,
 * with-sqs.html, "Execution role permissions") — hands the batch to the
 * function, deletes it when the function succeeds, and otherwise leaves it
 * to reappear after the visibility timeout (and move to the dead-letter
 * queue after maxReceiveCount receives).
 *
 * Polls run on the twin's scheduler: one hop after a message arrives in a
 * queue with a mapping, when in-flight messages become visible again, and
 * from a sweep every 20 hops that finds what no event announced — a
 * mapping that became Enabled after its messages arrived, a role that was
 * refused and has since been fixed.
 */
interface PollState {
  scheduled: Map<string, number>;
  busy: Set<string>;
}

const states = new WeakMap<Twin, PollState>();

function stateOf(twin: Twin): PollState {
  let s = states.get(twin);
  if (!s) {
    s = { scheduled: new Map(), busy: new Set() };
    states.set(twin, s);
  }
  return s;
}

/** Starts listening to a twin's queues (idempotent): SQS calls this when its first model is made. */
export function attachEventSourcePoller(twin: Twin): void {
  if (states.has(twin)) return;
  stateOf(twin);
  onAvailable(twin, (queueArn) => {
    if (mappingsOf(twin, queueArn).length > 0) schedulePoll(twin, queueArn, twin.clock.now() + hop(twin));
  });
  twin.scheduler.after(sweepEvery(twin), () => sweep(twin));
}

const sweepEvery = (twin: Twin) => 20 * hop(twin);

/** Polls every queue an enabled mapping reads that has a message waiting and no poll scheduled. */
function sweep(twin: Twin): void {
  const { scheduled } = stateOf(twin);
  const queues = new Set(
    seamsOf(twin)
      .listEventSourceMappings(twin)
      .filter((m) => m.enabled)
      .map((m) => m.eventSourceArn),
  );
  for (const q of queues)
    if (!scheduled.has(q) && hasReceivable(twin, q)) schedulePoll(twin, q, twin.clock.now());
  twin.scheduler.after(sweepEvery(twin), () => sweep(twin));
}

/** Tells the poller that mappings changed (Lambda may call this on Create/UpdateEventSourceMapping). */
export function pollEventSourcesSoon(twin: Twin): void {
  attachEventSourcePoller(twin);
  const queues = new Set(
    seamsOf(twin)
      .listEventSourceMappings(twin)
      .filter((m) => m.enabled)
      .map((m) => m.eventSourceArn),
  );
  for (const q of queues) schedulePoll(twin, q, twin.clock.now() + hop(twin));
}

const hop = (twin: Twin) => Math.max(1, delay(twin.profile, 'pipelineHopMs'));

function mappingsOf(twin: Twin, queueArn: string): EventSourceMappingView[] {
  return seamsOf(twin)
    .listEventSourceMappings(twin)
    .filter((m) => m.enabled && m.eventSourceArn === queueArn);
}

function schedulePoll(twin: Twin, queueArn: string, at: number): void {
  const { scheduled } = stateOf(twin);
  const pending = scheduled.get(queueArn);
  if (pending !== undefined && pending <= at) return;
  scheduled.set(queueArn, at);
  twin.scheduler.at(at, async () => {
    if (scheduled.get(queueArn) === at) scheduled.delete(queueArn);
    await pollQueue(twin, queueArn);
  });
}

type Outcome = 'ok' | 'empty' | 'error' | 'problem';

/** Polls every enabled mapping of a queue once, then schedules the next poll the queue needs. */
export async function pollQueue(twin: Twin, queueArn: string): Promise<void> {
  const mappings = mappingsOf(twin, queueArn);
  const outcomes: Outcome[] = [];
  for (const mapping of mappings) outcomes.push(await pollMapping(twin, mapping));
  if (mappings.length === 0) return;
  const now = twin.clock.now();
  if (outcomes.includes('problem') && hasReceivable(twin, queueArn))
    return schedulePoll(twin, queueArn, now + 20 * hop(twin));
  if (outcomes.includes('ok') && hasReceivable(twin, queueArn))
    return schedulePoll(twin, queueArn, now + hop(twin));
  const next = nextReceivableAt(twin, queueArn);
  if (next !== undefined) schedulePoll(twin, queueArn, next);
}

/** The execution role's session as Lambda's poller uses it (session name: the function name). */
function roleSession(twin: Twin, roleArn: string | undefined, functionArn: string): Principal | undefined {
  const role = roleArn ? findRole(twin, roleArn) : undefined;
  if (!role) return undefined;
  const session = functionArn.split(':')[6] ?? 'lambda';
  return {
    kind: 'assumed-role',
    accountId: role.accountId,
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${session}`,
    userId: `${role.roleId}:${session}`,
    roleArn: role.roleArn,
    roleName: role.roleName,
    sessionName: session,
  };
}

/** Receives up to the mapping's batch size as the role (10 per receive, as ReceiveMessage allows). */
function receiveBatch(twin: Twin, principal: Principal, mapping: EventSourceMappingView): MessageState[] {
  const batch: MessageState[] = [];
  while (batch.length < mapping.batchSize) {
    const got = receiveAs(
      twin,
      principal,
      mapping.eventSourceArn,
      Math.min(10, mapping.batchSize - batch.length),
    );
    if (got.length === 0) break;
    batch.push(...got);
  }
  return batch;
}

/** One poll of one mapping: receive, invoke, delete on success. */
export async function pollMapping(twin: Twin, mapping: EventSourceMappingView): Promise<Outcome> {
  const { busy } = stateOf(twin);
  if (busy.has(mapping.uuid)) return 'empty';
  const stats = mappingStats(twin, mapping.uuid, mapping.functionArn, mapping.eventSourceArn);
  stats.polls += 1;
  const principal = roleSession(twin, mapping.roleArn, mapping.functionArn);
  if (!principal) {
    stats.lastProblem = `The function's execution role ${mapping.roleArn ?? '(none)'} does not exist`;
    return 'problem';
  }
  let batch: MessageState[];
  try {
    batch = receiveBatch(twin, principal, mapping);
  } catch (error) {
    stats.lastProblem = problemOf(error);
    return 'problem';
  }
  if (batch.length === 0) return 'empty';
  busy.add(mapping.uuid);
  try {
    return await deliver(twin, principal, mapping, batch);
  } finally {
    busy.delete(mapping.uuid);
  }
}

async function deliver(
  twin: Twin,
  principal: Principal,
  mapping: EventSourceMappingView,
  batch: MessageState[],
): Promise<Outcome> {
  const stats = mappingStats(twin, mapping.uuid, mapping.functionArn, mapping.eventSourceArn);
  stats.received += batch.length;
  stats.invocations += 1;
  const payload = Buffer.from(
    JSON.stringify({ Records: batch.map((m) => sqsRecord(m, mapping.eventSourceArn)) }),
  );
  try {
    const result = await seamsOf(twin).invokeFunction(twin, {
      functionArn: mapping.functionArn,
      payload,
      invocationType: 'RequestResponse',
    });
    if (result.functionError) {
      stats.errors += 1;
      return 'error';
    }
  } catch (error) {
    stats.errors += 1;
    stats.lastProblem = problemOf(error);
    return 'error';
  }
  try {
    for (const m of batch) deleteAs(twin, principal, mapping.eventSourceArn, m.receiptHandle ?? '');
    stats.deleted += batch.length;
    delete stats.lastProblem;
  } catch (error) {
    stats.lastProblem = problemOf(error);
    return 'problem';
  }
  return 'ok';
}
