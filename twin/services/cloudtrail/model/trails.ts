import type { CreateTrailRequest, Tag, UpdateTrailRequest } from '@aws-sdk/client-cloudtrail';
import { combination, homeRegion, trailExists, trailNotFound } from '../errors.ts';
import { checkBucket, checkCloudWatch } from './destinations.ts';
import type { CloudTrailModel } from './index.ts';
import { checkTrailName, parseTrailArn, trailArn } from './names.ts';
import type { TrailRecord } from './state.ts';

/** How the model of another Region (multi-Region trails) or account is reached; given by the service definition. */
export interface TrailScope {
  model: CloudTrailModel;
  /** Every CloudTrail model of the same account, any Region. */
  siblings(): CloudTrailModel[];
}

/** The trails an account sees in a Region: its own, and the shadows of its multi-Region trails. */
export function visibleTrails(scope: TrailScope): TrailRecord[] {
  const own = [...scope.model.trails.values()];
  const shadows = scope
    .siblings()
    .filter((m) => m !== scope.model)
    .flatMap((m) => [...m.trails.values()].filter((t) => t.isMultiRegionTrail));
  return [...own, ...shadows];
}

/** A trail by name or ARN, as GetTrail / GetTrailStatus find it; TrailNotFoundException otherwise. */
export function findTrail(scope: TrailScope, nameOrArn: string | undefined): TrailRecord {
  const { model } = scope;
  const ref = nameOrArn ?? '';
  const parsed = parseTrailArn(ref);
  const name = parsed ? parsed.name : checkTrailName(ref);
  const found = visibleTrails(scope).find((t) => (parsed ? t.arn === ref : t.name === name));
  if (!found)
    throw trailNotFound(parsed ? ref : trailArn(model.region, model.accountId, name), model.accountId);
  return found;
}

/** A trail to change: only from its home Region. */
export function ownTrail(scope: TrailScope, nameOrArn: string | undefined): TrailRecord {
  const trail = findTrail(scope, nameOrArn);
  if (trail.homeRegion !== scope.model.region) throw homeRegion();
  return trail;
}

function checkCombination(
  trail: Pick<TrailRecord, 'isMultiRegionTrail' | 'includeGlobalServiceEvents'>,
): void {
  if (trail.isMultiRegionTrail && !trail.includeGlobalServiceEvents)
    throw combination('Multi-Region trail must include global service events.');
}

/** Checks a trail's destinations as CreateTrail and UpdateTrail do. */
function checkDestinations(model: CloudTrailModel, trail: TrailRecord): void {
  checkBucket(model.twin, trail);
  checkCloudWatch(model.twin, trail);
}

/**
 * CreateTrail: the trail is made with logging off ("Creates a trail …
 * StartLogging to start logging", API_CreateTrail; the console starts it,
 * the API does not) and all management events selected.
 */
export function createTrail(scope: TrailScope, input: CreateTrailRequest): TrailRecord {
  const { model } = scope;
  const name = checkTrailName(input.Name);
  if (visibleTrails(scope).some((t) => t.name === name)) throw trailExists(name, model.accountId);
  const trail: TrailRecord = {
    name,
    arn: trailArn(model.region, model.accountId, name),
    accountId: model.accountId,
    homeRegion: model.region,
    s3BucketName: input.S3BucketName ?? '',
    ...(input.S3KeyPrefix && { s3KeyPrefix: input.S3KeyPrefix }),
    ...(input.SnsTopicName && { snsTopicName: input.SnsTopicName }),
    includeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? true,
    isMultiRegionTrail: input.IsMultiRegionTrail ?? false,
    logFileValidationEnabled: input.EnableLogFileValidation ?? false,
    ...(input.CloudWatchLogsLogGroupArn && { cloudWatchLogsLogGroupArn: input.CloudWatchLogsLogGroupArn }),
    ...(input.CloudWatchLogsRoleArn && { cloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn }),
    ...(input.KmsKeyId && { kmsKeyId: input.KmsKeyId }),
    insightSelectors: [],
    tags: (input.TagsList ?? []) as Tag[],
    status: { logging: false, cursor: model.twin.calls.length, generation: 0 },
  };
  checkCombination(trail);
  checkDestinations(model, trail);
  model.trails.set(name, trail);
  return trail;
}

/** UpdateTrail: changes what is given, then checks the result as CreateTrail would. */
export function updateTrail(scope: TrailScope, input: UpdateTrailRequest): TrailRecord {
  const trail = ownTrail(scope, input.Name);
  const next: TrailRecord = { ...trail };
  const set = <K extends keyof TrailRecord>(key: K, value: TrailRecord[K] | undefined) => {
    if (value === undefined) return;
    if (value === '') delete next[key];
    else next[key] = value;
  };
  set('s3BucketName', input.S3BucketName);
  set('s3KeyPrefix', input.S3KeyPrefix);
  set('snsTopicName', input.SnsTopicName);
  set('includeGlobalServiceEvents', input.IncludeGlobalServiceEvents);
  set('isMultiRegionTrail', input.IsMultiRegionTrail);
  set('logFileValidationEnabled', input.EnableLogFileValidation);
  set('cloudWatchLogsLogGroupArn', input.CloudWatchLogsLogGroupArn);
  set('cloudWatchLogsRoleArn', input.CloudWatchLogsRoleArn);
  set('kmsKeyId', input.KmsKeyId);
  checkCombination(next);
  checkDestinations(scope.model, next);
  Object.assign(trail, next);
  for (const key of Object.keys(trail) as (keyof TrailRecord)[]) if (!(key in next)) delete trail[key];
  return trail;
}

export function deleteTrail(scope: TrailScope, nameOrArn: string | undefined): void {
  const trail = ownTrail(scope, nameOrArn);
  trail.deleted = true;
  trail.status.logging = false;
  scope.model.trails.delete(trail.name);
}
