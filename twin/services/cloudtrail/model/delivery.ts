/**
 * A logging trail delivers on the twin's scheduler, every
 * `cloudTrailVisibleMs` ("CloudTrail typically delivers logs within an
 * average of about 5 minutes of an API call"):
 * - to S3, as gzip JSON `{"Records":[…]}` named
 *   `[prefix/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`
 *   ("CloudTrail log file examples", "Finding your CloudTrail log files"),
 *   written as cloudtrail.amazonaws.com through S3's own checks;
 * - to CloudWatch Logs, one event per record, in the stream
 *   `<account>_CloudTrail_<region>`, as the trail's role.
 * A failure shows in GetTrailStatus (LatestDeliveryError,
 * LatestCloudWatchLogsDeliveryError) and delivery goes on. StopLogging
 * stops it; the calls made before the stop are still delivered.
 */
import { gzipSync } from 'fflate';
import type { ApiCall } from '../../../core/audit.ts';
import { AwsError } from '../../../core/errors.ts';
import { delay } from '../../../state/profile.ts';
import type { Twin } from '../../../twin.ts';
import { deliverLogEvents } from '../../logs/lookups.ts';
import { putObjectAs } from '../../s3/lookups.ts';
import {
  cloudTrailPrincipal,
  deliveryRoleSession,
  logPrefix,
  parseGroupArn,
  streamName,
  trusts,
} from './destinations.ts';
import { eventRecord, seenBy } from './events.ts';
import { selects } from './selectors.ts';
import type { TrailRecord } from './state.ts';

/** Events of global services, which a trail takes from any Region when IncludeGlobalServiceEvents. */
const GLOBAL_SOURCES = new Set(['iam.amazonaws.com', 'sts.amazonaws.com', 'cloudfront.amazonaws.com']);

export function inScope(trail: TrailRecord, call: ApiCall): boolean {
  if (!seenBy(call, trail.accountId)) return false;
  const region =
    trail.isMultiRegionTrail ||
    call.region === trail.homeRegion ||
    (trail.includeGlobalServiceEvents && GLOBAL_SOURCES.has(call.eventSource));
  return region && selects(trail, call);
}

function stamp(ms: number): { day: string; minute: string } {
  const iso = new Date(ms).toISOString();
  return { day: iso.slice(0, 10).replaceAll('-', '/'), minute: `${iso.slice(0, 16).replace(/[-:]/g, '')}Z` };
}

/** The S3 key of one log file. */
export function logFileKey(twin: Twin, trail: TrailRecord, region: string, at: number): string {
  const { day, minute } = stamp(at);
  const file = `${trail.accountId}_CloudTrail_${region}_${minute}_${twin.ids.hex(16)}.json.gz`;
  return `${logPrefix(trail, region)}${day}/${file}`;
}

function toS3(twin: Twin, trail: TrailRecord, region: string, calls: ApiCall[]): void {
  const now = twin.clock.now();
  const records = calls.map((c) => eventRecord(c, trail.accountId));
  trail.status.latestDeliveryAttemptTime = now;
  try {
    putObjectAs(twin, {
      bucket: trail.s3BucketName,
      key: logFileKey(twin, trail, region, now),
      body: Buffer.from(gzipSync(new TextEncoder().encode(JSON.stringify({ Records: records })))),
      contentType: 'application/json',
      principal: cloudTrailPrincipal(trail.accountId),
      sourceArn: trail.arn,
      sourceAccount: trail.accountId,
      acl: 'bucket-owner-full-control',
    });
    trail.status.latestDeliveryTime = now;
    delete trail.status.latestDeliveryError;
  } catch (error) {
    trail.status.latestDeliveryError = error instanceof AwsError ? error.code : String(error);
  }
}

function toLogs(twin: Twin, trail: TrailRecord, region: string, calls: ApiCall[]): void {
  const group = parseGroupArn(trail.cloudWatchLogsLogGroupArn);
  if (!group || !trail.cloudWatchLogsRoleArn) return;
  const session = deliveryRoleSession(twin, trail.cloudWatchLogsRoleArn);
  if (!session) {
    trail.status.latestCloudWatchLogsDeliveryError = `role ${trail.cloudWatchLogsRoleArn} does not exist`;
    return;
  }
  // CloudTrail assumes the role for each delivery ("Sending events to CloudWatch Logs", CloudTrail User
  // Guide: the role CloudTrail assumes to deliver), so a trust changed after UpdateTrail stops delivery;
  // STS's refusal is AccessDenied, the code CloudTrail reports, as for S3 deliveries above.
  if (!trusts(twin, trail, trail.cloudWatchLogsRoleArn)) {
    trail.status.latestCloudWatchLogsDeliveryError = 'AccessDenied';
    return;
  }
  const result = deliverLogEvents(
    twin,
    {
      accountId: group.accountId,
      region: group.region,
      logGroupName: group.name,
      logStreamName: streamName(trail.accountId, region),
      principal: session,
    },
    calls.map((c) => ({ timestamp: c.time, message: JSON.stringify(eventRecord(c, trail.accountId)) })),
  );
  if (result.delivered) {
    trail.status.latestCloudWatchLogsDeliveryTime = twin.clock.now();
    delete trail.status.latestCloudWatchLogsDeliveryError;
  } else trail.status.latestCloudWatchLogsDeliveryError = result.because;
}

function deliver(twin: Twin, trail: TrailRecord, calls: ApiCall[]): void {
  const byRegion = new Map<string, ApiCall[]>();
  for (const c of calls) byRegion.set(c.region, [...(byRegion.get(c.region) ?? []), c]);
  for (const [region, list] of byRegion) {
    toS3(twin, trail, region, list);
    toLogs(twin, trail, region, list);
  }
}

function tick(twin: Twin, trail: TrailRecord, generation: number): void {
  const status = trail.status;
  if (trail.deleted || status.generation !== generation) return;
  const end = status.logging ? twin.calls.length : (status.stopAt ?? status.cursor);
  const calls = twin.calls.slice(status.cursor, end).filter((c) => inScope(trail, c));
  status.cursor = end;
  if (calls.length) deliver(twin, trail, calls);
  if (status.logging) schedule(twin, trail, generation);
}

function schedule(twin: Twin, trail: TrailRecord, generation: number): void {
  twin.scheduler.after(delay(twin.profile, 'cloudTrailVisibleMs'), () => tick(twin, trail, generation));
}

/** StartLogging: calls from now on are delivered. */
export function startLogging(twin: Twin, trail: TrailRecord): void {
  const status = trail.status;
  if (status.logging) return;
  status.logging = true;
  status.startedAt = twin.clock.now();
  status.cursor = twin.calls.length;
  delete status.stopAt;
  status.generation += 1;
  schedule(twin, trail, status.generation);
}

/** StopLogging: what was called before now is still delivered, nothing after. */
export function stopLogging(twin: Twin, trail: TrailRecord): void {
  const status = trail.status;
  status.stoppedAt = twin.clock.now();
  if (!status.logging) return;
  status.logging = false;
  // The tick already scheduled drains the calls made before the stop, then ends.
  status.stopAt = twin.calls.length;
}
