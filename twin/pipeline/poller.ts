import { AwsError } from '../core/errors.ts';
import type { Principal } from '../core/principal.ts';
import { findRole } from '../services/iam/lookups.ts';
import type { InvokeResult } from '../services/lambda/lookups.ts';
import { deleteAs, hasReceivable, nextReceivableAt, receiveAs } from '../services/sqs/lookups.ts';
import { onAvailable } from '../services/sqs/model/index.ts';
import type { MessageState } from '../services/sqs/model/state.ts';
import { delay } from '../state/profile.ts';
import { type Twin, worldPart } from '../twin.ts';
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

const pollState = worldPart({
  name: 'pipeline.polls',
  make: (): PollState => ({ scheduled: new Map(), busy: new Set() }),
  show: (s) => ({ scheduled: [...s.scheduled.keys()], busyMappings: [...s.busy] }),
});

const stateOf = (twin: Twin): PollState => twin.part(pollState);

/** Starts listening to a twin's queues (idempotent): SQS calls this when its first model is made. */
export function attachEventSourcePoller(twin: Twin): void {
  if (twin.partIfMade(pollState)) return;
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

/** How a poll ended; `throttled` means a retry of the batch is scheduled and the mapping stays busy. */
type Outcome = 'ok' | 'empty' | 'error' | 'problem' | 'throttled';

/** Polls every enabled mapping of a queue once, then schedules the next poll the queue needs. */
export async function pollQueue(twin: Twin, queueArn: string): Promise<void> {
  const mappings = mappingsOf(twin, queueArn);
  const outcomes: Outcome[] = [];
  for (const mapping of mappings) outcomes.push(await pollMapping(twin, mapping));
  if (mappings.length > 0) scheduleNextPoll(twin, queueArn, outcomes);
}

function scheduleNextPoll(twin: Twin, queueArn: string, outcomes: Outcome[]): void {
  const now = twin.clock.now();
  const waiting = hasReceivable(twin, queueArn);
  if (outcomes.includes('problem') && waiting) schedulePoll(twin, queueArn, now + 20 * hop(twin));
  else if (outcomes.includes('ok') && waiting) schedulePoll(twin, queueArn, now + hop(twin));
  else {
    const next = nextReceivableAt(twin, queueArn);
    if (next !== undefined) schedulePoll(twin, queueArn, next);
  }
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
  stats.received += batch.length;
  return deliverWhileBusy(twin, principal, mapping, batch, hop(twin));
}

/** Delivers with the mapping marked busy; a scheduled throttle retry keeps it busy until it ends. */
async function deliverWhileBusy(
  twin: Twin,
  principal: Principal,
  mapping: EventSourceMappingView,
  batch: MessageState[],
  backoff: number,
): Promise<Outcome> {
  const { busy } = stateOf(twin);
  busy.add(mapping.uuid);
  let outcome: Outcome = 'error';
  try {
    outcome = await deliver(twin, principal, mapping, batch, backoff);
    return outcome;
  } finally {
    if (outcome !== 'throttled') busy.delete(mapping.uuid);
  }
}

/**
 * Hands the batch to the function and deletes it when the function
 * succeeds. "If the invocation fails due to throttling, Lambda gradually
 * backs off retries … until the message's timestamp exceeds your queue's
 * visibility timeout" (Lambda Operator Guide, sqs-retries.html): a
 * throttle is no function error; the same batch is tried again `backoff`
 * later (doubling each time), and given up once the batch is visible
 * again. The retry is a task of its own, so that the twin's scheduler
 * never waits on it.
 */
async function deliver(
  twin: Twin,
  principal: Principal,
  mapping: EventSourceMappingView,
  batch: MessageState[],
  backoff: number,
): Promise<Outcome> {
  const stats = mappingStats(twin, mapping.uuid, mapping.functionArn, mapping.eventSourceArn);
  if (twin.clock.now() >= visibleAgainAt(batch)) return gaveUp(twin, mapping);
  const payload = Buffer.from(
    JSON.stringify({ Records: batch.map((m) => sqsRecord(m, mapping.eventSourceArn)) }),
  );
  let result: InvokeResult;
  try {
    result = await seamsOf(twin).invokeFunction(twin, {
      functionArn: mapping.functionArn,
      payload,
      invocationType: 'RequestResponse',
    });
  } catch (error) {
    const throttled = error instanceof AwsError && error.code === 'TooManyRequestsException';
    if (throttled) {
      stats.throttles += 1;
      twin.scheduler.after(backoff, () => retryThrottled(twin, principal, mapping, batch, backoff));
      return 'throttled';
    }
    stats.invocations += 1;
    stats.errors += 1;
    stats.lastProblem = problemOf(error);
    stats.lastError = { error: problemOf(error), logTail: '' };
    return 'error';
  }
  stats.invocations += 1;
  if (result.functionError) {
    stats.errors += 1;
    stats.lastError = {
      error: errorOf(result.payload),
      logTail: Buffer.from(result.logTail, 'base64').toString('utf8').slice(-1024),
    };
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

async function retryThrottled(
  twin: Twin,
  principal: Principal,
  mapping: EventSourceMappingView,
  batch: MessageState[],
  backoff: number,
): Promise<void> {
  const next = Math.min(2 * backoff, 20 * hop(twin));
  const outcome = await deliverWhileBusy(twin, principal, mapping, batch, next);
  if (outcome !== 'throttled') scheduleNextPoll(twin, mapping.eventSourceArn, [outcome]);
}

/** The earliest moment a message of the batch shows in the queue again. */
const visibleAgainAt = (batch: MessageState[]) => Math.min(...batch.map((m) => m.visibleAt));

/** Throttled until the batch became visible again: Lambda lets it go back to the queue. */
function gaveUp(twin: Twin, mapping: EventSourceMappingView): Outcome {
  const stats = mappingStats(twin, mapping.uuid, mapping.functionArn, mapping.eventSourceArn);
  stats.errors += 1;
  stats.lastError = {
    error: 'TooManyRequestsException: throttled until the visibility timeout',
    logTail: '',
  };
  return 'error';
}

/** A function error as `Type: message`, from the error payload Lambda returns. */
function errorOf(payload: Buffer): string {
  try {
    const { errorType, errorMessage } = JSON.parse(payload.toString('utf8')) as {
      errorType?: string;
      errorMessage?: string;
    };
    return `${errorType ?? 'Error'}: ${errorMessage ?? ''}`;
  } catch {
    return payload.toString('utf8').slice(0, 200);
  }
}
