import type { SendCommandRequest } from '@aws-sdk/client-ssm';
import { delay } from '../../../state/profile.ts';
import { ec2 } from '../../ec2/api.ts';
import type { InstanceState } from '../../ec2/model/state.ts';
import {
  invalidDocument,
  invalidInstanceId,
  invalidParameters,
  invalidTarget,
  validationError,
} from '../errors.ts';
import { agentStatus, privateDnsName } from './agent.ts';
import type { CommandState, SsmModel } from './index.ts';

/**
 * SendCommand: validates the request as SSM does, resolves its targets to
 * managed nodes, and records the command. Nothing runs here: each
 * invocation's fate is decided when it is first read after delivery time
 * (invocations.ts), so reads see a timeline on the twin clock.
 */
const DOCUMENT = 'AWS-RunShellScript';
/** AWS-RunShellScript's parameters and the default of its executionTimeout (seconds). */
const DOCUMENT_PARAMETERS = new Set(['commands', 'workingDirectory', 'executionTimeout']);
const DEFAULT_EXECUTION_TIMEOUT = 3600;
/** SendCommand TimeoutSeconds: 30–2592000, default 3600 (SendCommand API reference). */
const TIMEOUT_RANGE = [30, 2_592_000] as const;

function documentName(model: SsmModel, name: string | undefined): string {
  const arn = `arn:aws:ssm:${model.region}::document/${DOCUMENT}`;
  if (name !== DOCUMENT && name !== arn) throw invalidDocument(name ?? '');
  return DOCUMENT;
}

function parametersOf(input: SendCommandRequest): {
  parameters: Record<string, string[]>;
  executionTimeout: number;
} {
  const parameters = (input.Parameters ?? {}) as Record<string, string[]>;
  const unknown = Object.keys(parameters).find((k) => !DOCUMENT_PARAMETERS.has(k));
  if (unknown) throw invalidParameters(`Parameter "${unknown}" is not defined in document ${DOCUMENT}.`);
  if (!parameters.commands?.length)
    throw invalidParameters(`Parameter "commands" is required by document ${DOCUMENT}.`);
  const timeout = Number(parameters.executionTimeout?.[0] ?? DEFAULT_EXECUTION_TIMEOUT);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 172_800) {
    throw invalidParameters(`Parameter "executionTimeout" must be a number of seconds from 1 to 172800.`);
  }
  return { parameters, executionTimeout: timeout };
}

function instancesOf(model: SsmModel): InstanceState[] {
  return [...model.twin.model(ec2, model.accountId, model.region).instances.values()];
}

/** Instances the Targets select among managed nodes: `InstanceIds`, `tag:<key>`, `tag-key` (AND across targets). */
function resolveTargets(model: SsmModel, targets: { Key?: string; Values?: string[] }[]): string[] {
  if (targets.length > 5)
    throw validationError(
      'targets',
      `[${targets.length} targets]`,
      'Member must have length less than or equal to 5',
    );
  const managed = instancesOf(model).filter((i) => agentStatus(model.twin, model.region, i).managed);
  const matches = (instance: InstanceState, key: string, values: string[]): boolean => {
    if (key === 'InstanceIds') return values.includes(instance.id);
    if (key === 'tag-key') return values.some((v) => v in instance.tags);
    if (key.startsWith('tag:')) return values.includes(instance.tags[key.slice(4)] ?? '\u0000');
    throw invalidTarget(
      `Target key ${key} is not supported by the twin (InstanceIds, tag:<key>, tag-key are).`,
    );
  };
  return managed
    .filter((i) => targets.every((t) => matches(i, t.Key ?? '', t.Values ?? [])))
    .map((i) => i.id);
}

/** Explicit InstanceIds must all be managed nodes in a valid state (running, pending, stopped, stopping). */
function checkInstanceIds(model: SsmModel, ids: string[]): void {
  if (ids.length > 50)
    throw validationError(
      'instanceIds',
      `[${ids.length} ids]`,
      'Member must have length less than or equal to 50',
    );
  const instances = model.twin.model(ec2, model.accountId, model.region).instances;
  const invalid = ids.filter((id) => {
    const instance = instances.get(id);
    return !instance || !agentStatus(model.twin, model.region, instance).managed;
  });
  if (invalid.length) throw invalidInstanceId(invalid, model.accountId);
}

function timeoutOf(input: SendCommandRequest): number {
  const timeout = input.TimeoutSeconds ?? 3600;
  if (timeout < TIMEOUT_RANGE[0] || timeout > TIMEOUT_RANGE[1]) {
    const bound =
      timeout < TIMEOUT_RANGE[0]
        ? `greater than or equal to ${TIMEOUT_RANGE[0]}`
        : `less than or equal to ${TIMEOUT_RANGE[1]}`;
    throw validationError('timeoutSeconds', timeout, `Member must have value ${bound}`);
  }
  return timeout;
}

/**
 * Records a Run Command request.
 *
 * @example sendCommand(model, { DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0…'], Parameters: { commands: ['ping -c 3 10.0.0.1'] } })
 */
export function sendCommand(model: SsmModel, input: SendCommandRequest): CommandState {
  const name = documentName(model, input.DocumentName);
  const { parameters, executionTimeout } = parametersOf(input);
  const timeoutSeconds = timeoutOf(input);
  const explicit = [...new Set(input.InstanceIds ?? [])];
  const targets = (input.Targets ?? []) as { Key: string; Values: string[] }[];
  if (!explicit.length && !targets.length)
    throw validationError('instanceIds', '[]', 'Either InstanceIds or Targets must be specified');
  if (explicit.length) checkInstanceIds(model, explicit);
  const ids = explicit.length ? explicit : resolveTargets(model, targets);
  const now = model.twin.clock.now();
  const visibleAt = now + delay(model.twin.profile, 'ssmInvocationVisibleMs');
  const instances = model.twin.model(ec2, model.accountId, model.region).instances;
  const command: CommandState = {
    id: model.twin.ids.uuid(),
    documentName: name,
    comment: input.Comment ?? '',
    parameters,
    instanceIds: explicit,
    targets,
    timeoutSeconds,
    executionTimeoutSeconds: executionTimeout,
    maxConcurrency: input.MaxConcurrency ?? '50',
    maxErrors: input.MaxErrors ?? '0',
    outputS3BucketName: input.OutputS3BucketName ?? '',
    outputS3KeyPrefix: input.OutputS3KeyPrefix ?? '',
    serviceRoleArn: input.ServiceRoleArn ?? '',
    requestedAt: now,
    visibleAt,
    deliverAt: visibleAt + delay(model.twin.profile, 'ssmDeliveryMs'),
    invocations: ids.map((id) => ({
      instanceId: id,
      instanceName: privateDnsName(instances.get(id)?.privateIp ?? '0.0.0.0', model.region),
    })),
  };
  model.commands.set(command.id, command);
  return command;
}
