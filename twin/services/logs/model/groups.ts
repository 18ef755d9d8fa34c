import { groupExists, groupNotFound, invalidParameter, validationError } from '../errors.ts';
import type { LogGroupState, LogsModel } from './index.ts';

/**
 * Log groups: CreateLogGroup, DeleteLogGroup, DescribeLogGroups,
 * PutRetentionPolicy / DeleteRetentionPolicy and tags
 * (CloudWatch Logs API reference, each operation's page).
 */

/** LogGroupName: 1–512 characters of `[\.\-_/#A-Za-z0-9]`. */
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** The values PutRetentionPolicy accepts (API reference, PutRetentionPolicy, retentionInDays). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export function checkGroupName(name: string | undefined, field = 'logGroupName'): string {
  if (name && GROUP_NAME.test(name)) return name;
  throw validationError(
    field,
    name ?? '',
    'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+',
  );
}

export function getGroup(model: LogsModel, name: string | undefined): LogGroupState {
  const group = name === undefined ? undefined : model.groups.get(name);
  if (!group) throw groupNotFound();
  return group;
}

/**
 * A group named by `logGroupName` or by `logGroupIdentifier` (its name or
 * ARN); "You must include either logGroupIdentifier or logGroupName, but
 * not both" (API reference, DescribeLogStreams).
 */
export function groupByIdentifier(
  model: LogsModel,
  input: { logGroupName?: string | undefined; logGroupIdentifier?: string | undefined },
): LogGroupState {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  const id = input.logGroupIdentifier ?? input.logGroupName;
  if (id === undefined)
    throw invalidParameter('Either parameter logGroupName or logGroupIdentifier is required.');
  const name = id.startsWith('arn:')
    ? id.replace(/^arn:[^:]+:logs:[^:]*:\d*:log-group:/, '').replace(/:\*$/, '')
    : id;
  return getGroup(model, name);
}

export interface NewLogGroup {
  name: string;
  kmsKeyId?: string | undefined;
  tags?: Record<string, string> | undefined;
  logGroupClass?: string | undefined;
  deletionProtectionEnabled?: boolean | undefined;
}

export function createLogGroup(model: LogsModel, spec: NewLogGroup): LogGroupState {
  const name = checkGroupName(spec.name);
  if (model.groups.has(name)) throw groupExists();
  const group: LogGroupState = {
    name,
    creationTime: model.twin.clock.now(),
    logGroupClass: (spec.logGroupClass as LogGroupState['logGroupClass']) ?? 'STANDARD',
    deletionProtectionEnabled: spec.deletionProtectionEnabled ?? false,
    tags: { ...(spec.tags ?? {}) },
    streams: new Map(),
  };
  if (spec.kmsKeyId) group.kmsKeyId = spec.kmsKeyId;
  model.groups.set(name, group);
  return group;
}

export function deleteLogGroup(model: LogsModel, name: string | undefined): void {
  model.groups.delete(getGroup(model, name).name);
}

/** DescribeLogGroups: by prefix or by a substring pattern (not both), in name order. */
export function listGroups(
  model: LogsModel,
  filter: { prefix?: string | undefined; pattern?: string | undefined },
): LogGroupState[] {
  if (filter.prefix !== undefined && filter.pattern !== undefined) {
    throw invalidParameter(
      'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    );
  }
  const pattern = filter.pattern?.toLowerCase();
  return [...model.groups.values()]
    .filter((g) => (filter.prefix === undefined ? true : g.name.startsWith(filter.prefix)))
    .filter((g) => (pattern === undefined ? true : g.name.toLowerCase().includes(pattern)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function setRetention(model: LogsModel, name: string | undefined, days: number | undefined): void {
  const group = getGroup(model, name);
  if (days === undefined || !(RETENTION_DAYS as readonly number[]).includes(days)) {
    throw validationError(
      'retentionInDays',
      days,
      `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
    );
  }
  group.retentionInDays = days;
}

export function clearRetention(model: LogsModel, name: string | undefined): void {
  delete getGroup(model, name).retentionInDays;
}

/** Events the group still keeps: retention drops those older than its days (derived when read). */
export function retainedSince(model: LogsModel, group: LogGroupState): number {
  return group.retentionInDays === undefined
    ? Number.NEGATIVE_INFINITY
    : model.twin.clock.now() - group.retentionInDays * 86_400_000;
}

/** The group a tagging ARN names (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`, no `:*`). */
export function groupByArn(model: LogsModel, arn: string | undefined): LogGroupState {
  const m = /^arn:[^:]+:logs:([^:]*):(\d*):log-group:(.+)$/.exec(arn ?? '');
  if (!m || m[3]!.endsWith(':*')) throw invalidParameter(`Invalid resourceArn: ${arn ?? ''}`);
  if (m[1] !== model.region || m[2] !== model.accountId) throw groupNotFound();
  return getGroup(model, m[3]);
}
