import { AwsError } from '../../../core/errors.ts';
import type { Principal } from '../../../core/principal.ts';
import { delay } from '../../../state/profile.ts';
import type { Twin } from '../../../twin.ts';
import { findRole } from '../../iam/lookups.ts';
import { authorizeOnQueue, findQueueByArn } from '../../sqs/lookups.ts';
import { invalidParameter, resourceNotFound, validationError } from '../errors.ts';
import type { EventSourceMappingState, FunctionState, LambdaModel } from './index.ts';

/**
 * Event source mappings for SQS queues (Lambda Developer Guide, "Using
 * Lambda with Amazon SQS"): BatchSize 1–10,000, default 10; above 10 a
 * MaximumBatchingWindowInSeconds of at least 1 is required; the execution
 * role must allow sqs:ReceiveMessage, sqs:DeleteMessage and
 * sqs:GetQueueAttributes on the queue. A mapping is Creating, then Enabled
 * (or Disabled); an update passes through Updating. The polling itself is
 * the SQS side's (services/sqs), through lookups.ts.
 */

export type MappingState = 'Creating' | 'Enabled' | 'Disabled' | 'Updating';

export function mappingState(m: EventSourceMappingState, now: number): MappingState {
  if (now < m.settledAt) return m.updating ? 'Updating' : 'Creating';
  return m.enabled ? 'Enabled' : 'Disabled';
}

export function getMapping(model: LambdaModel, uuid: string | undefined): EventSourceMappingState {
  const m = uuid === undefined ? undefined : model.eventSourceMappings.get(uuid);
  if (!m) throw resourceNotFound('The resource you requested does not exist.');
  return m;
}

export function checkBatching(batchSize: number | undefined, windowSeconds: number | undefined): void {
  if (batchSize !== undefined && (batchSize < 1 || batchSize > 10_000)) {
    const bound = batchSize < 1 ? 'greater than or equal to 1' : 'less than or equal to 10000';
    throw validationError('batchSize', batchSize, `Member must have value ${bound}`);
  }
  if ((batchSize ?? 10) > 10 && !(windowSeconds && windowSeconds >= 1)) {
    throw invalidParameter(
      'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
    );
  }
}

/** The function's execution role must be able to read and delete from the queue, as Lambda checks at creation. */
function checkQueueAccess(twin: Twin, fn: FunctionState, queueArn: string): void {
  const found = findQueueByArn(twin, queueArn);
  if (!found) {
    throw invalidParameter(
      'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist for this wsdl version.',
    );
  }
  const role = findRole(twin, fn.role);
  if (!role) throw invalidParameter('The role defined for the function cannot be assumed by Lambda.');
  const principal: Principal = {
    kind: 'assumed-role',
    accountId: role.accountId,
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${fn.name}`,
    userId: `${role.roleId}:${fn.name}`,
    roleArn: role.roleArn,
    roleName: role.roleName,
    sessionName: fn.name,
  };
  for (const action of ['ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes']) {
    try {
      authorizeOnQueue(twin, principal, found.queue, `sqs:${action}`);
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      throw invalidParameter(
        `The function execution role does not have permissions to call ${action} on SQS`,
      );
    }
  }
}

export interface NewMapping {
  eventSourceArn: string;
  batchSize?: number | undefined;
  maximumBatchingWindowInSeconds?: number | undefined;
  enabled?: boolean | undefined;
  functionResponseTypes?: string[] | undefined;
}

export function createMapping(
  twin: Twin,
  model: LambdaModel,
  fn: FunctionState,
  spec: NewMapping,
): EventSourceMappingState {
  if (!/^arn:aws[\w-]*:sqs:/.test(spec.eventSourceArn)) {
    throw invalidParameter('The twin maps Amazon SQS queues only; other event sources are not emulated.');
  }
  checkBatching(spec.batchSize, spec.maximumBatchingWindowInSeconds);
  for (const m of model.eventSourceMappings.values()) {
    if (m.functionArn === fn.arn && m.eventSourceArn === spec.eventSourceArn) {
      throw new AwsError(
        'ResourceConflictException',
        `An event source mapping with SQS arn (" ${spec.eventSourceArn} ") and function (" ${fn.name} ") already exists. Please update or delete the existing mapping with UUID ${m.uuid}`,
        { status: 409 },
      );
    }
  }
  checkQueueAccess(twin, fn, spec.eventSourceArn);
  const now = twin.clock.now();
  const mapping: EventSourceMappingState = {
    uuid: twin.ids.uuid(),
    functionArn: fn.arn,
    eventSourceArn: spec.eventSourceArn,
    batchSize: spec.batchSize ?? 10,
    maximumBatchingWindowInSeconds: spec.maximumBatchingWindowInSeconds ?? 0,
    enabled: spec.enabled ?? true,
    createdAt: now,
    settledAt: now + delay(twin.profile, 'lambdaActivationMs'),
    updating: false,
    lastModified: now,
    functionResponseTypes: spec.functionResponseTypes ?? [],
  };
  model.eventSourceMappings.set(mapping.uuid, mapping);
  return mapping;
}

/**
 * ResourceInUseException: "you tried to update an event source mapping in
 * the CREATING state, or you tried to delete an event source mapping
 * currently UPDATING" (API reference, ResourceInUseException).
 */
function requireSettled(m: EventSourceMappingState, now: number, verb: 'update' | 'delete'): void {
  const state = mappingState(m, now);
  if (state === 'Updating' || (verb === 'update' && state === 'Creating')) {
    throw new AwsError(
      'ResourceInUseException',
      `Cannot ${verb} the event source mapping because it is in use or in the ${state.toUpperCase()} state.`,
      { status: 400 },
    );
  }
}

export function updateMapping(
  twin: Twin,
  m: EventSourceMappingState,
  change: Partial<
    Pick<EventSourceMappingState, 'batchSize' | 'maximumBatchingWindowInSeconds' | 'enabled' | 'functionArn'>
  >,
): void {
  const now = twin.clock.now();
  requireSettled(m, now, 'update');
  checkBatching(
    change.batchSize ?? m.batchSize,
    change.maximumBatchingWindowInSeconds ?? m.maximumBatchingWindowInSeconds,
  );
  Object.assign(m, Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)));
  m.updating = true;
  m.lastModified = now;
  m.settledAt = now + delay(twin.profile, 'lambdaActivationMs');
}

export function deleteMapping(twin: Twin, model: LambdaModel, m: EventSourceMappingState): void {
  requireSettled(m, twin.clock.now(), 'delete');
  model.eventSourceMappings.delete(m.uuid);
}
