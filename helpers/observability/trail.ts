import {
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  type GetTrailStatusResponse,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import {
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import type { AwsClients } from '../clients.ts';
import { classify, LabDeviationError, reading } from '../errors.ts';
import type { Selectors } from './selectors.ts';

/**
 * A trail's settings, status and selectors, and its bucket's protection, as
 * CloudTrail and S3 report them. A trail that is gone is a deviation; one
 * the runner may not read is cannot-tell.
 */

/** Rejects with LabDeviationError when CloudTrail no longer knows the trail (TrailNotFoundException). */
async function onTrail<T>(what: string, trailArn: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (classify(error) === 'not-found') throw new LabDeviationError(`no trail ${trailArn}`);
    return reading(`${what} of ${trailArn}`, () => Promise.reject(error));
  }
}

/** @example const trail = await getTrail(clients, ids.trail!); trail.IsMultiRegionTrail */
export async function getTrail(clients: AwsClients, trailArn: string): Promise<Trail> {
  const out = await onTrail('read the settings', trailArn, () =>
    clients.cloudtrail.send(new GetTrailCommand({ Name: trailArn })),
  );
  return out.Trail ?? {};
}

export async function getTrailStatus(clients: AwsClients, trailArn: string): Promise<GetTrailStatusResponse> {
  return onTrail('read the status', trailArn, () =>
    clients.cloudtrail.send(new GetTrailStatusCommand({ Name: trailArn })),
  );
}

export async function getEventSelectors(clients: AwsClients, trailArn: string): Promise<Selectors> {
  const out = await onTrail('read the event selectors', trailArn, () =>
    clients.cloudtrail.send(new GetEventSelectorsCommand({ TrailName: trailArn })),
  );
  return {
    ...(out.EventSelectors && { EventSelectors: out.EventSelectors }),
    ...(out.AdvancedEventSelectors && { AdvancedEventSelectors: out.AdvancedEventSelectors }),
  };
}

/**
 * The Insights types a trail logs; none when CloudTrail answers
 * InsightNotEnabledException ("If Insights event selectors are not enabled
 * on the trail, the operation returns InsightNotEnabledException",
 * API_GetInsightSelectors).
 */
export async function listInsightTypes(clients: AwsClients, trailArn: string): Promise<string[]> {
  try {
    const out = await clients.cloudtrail.send(new GetInsightSelectorsCommand({ TrailName: trailArn }));
    return (out.InsightSelectors ?? []).map((s) => s.InsightType ?? '');
  } catch (error) {
    if ((error as { name?: string }).name === 'InsightNotEnabledException') return [];
    if (classify(error) === 'not-found') throw new LabDeviationError(`no trail ${trailArn}`);
    return reading(`read the Insights selectors of ${trailArn}`, () => Promise.reject(error));
  }
}

export interface BucketProtection {
  /** The bucket's Block Public Access settings; every flag false when it has none. */
  publicAccessBlock: Required<PublicAccessBlockConfiguration>;
  /** `Enabled`, `Suspended`, or `never enabled`. */
  versioning: string;
}

/** A bucket's Block Public Access settings and versioning state; a bucket that is gone is a deviation. */
export async function getBucketProtection(clients: AwsClients, bucket: string): Promise<BucketProtection> {
  const orAbsent = async <T>(what: string, read: () => Promise<T>, absent: T): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchBucket')
        throw new LabDeviationError(`no bucket ${bucket}`);
      // NoSuchPublicAccessBlockConfiguration: the bucket has none, so nothing is blocked at its level.
      if (classify(error) === 'not-found') return absent;
      return reading(`read the ${what} of ${bucket}`, () => Promise.reject(error));
    }
  };
  const none = {
    BlockPublicAcls: false,
    IgnorePublicAcls: false,
    BlockPublicPolicy: false,
    RestrictPublicBuckets: false,
  };
  const [block, versioning] = await Promise.all([
    orAbsent(
      'Block Public Access settings',
      async () =>
        (await clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })))
          .PublicAccessBlockConfiguration ?? none,
      none,
    ),
    orAbsent(
      'versioning',
      async () => (await clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status,
      undefined,
    ),
  ]);
  return {
    publicAccessBlock: { ...none, ...block } as Required<PublicAccessBlockConfiguration>,
    versioning: versioning ?? 'never enabled',
  };
}

/** Minutes since `at`, or undefined when there is no time (never delivered). */
export function minutesSince(at: Date | undefined, now = Date.now()): number | undefined {
  return at === undefined ? undefined : (now - at.getTime()) / 60_000;
}

/**
 * Whether CloudTrail's latest delivery to a destination succeeded, recently:
 * an error fails in CloudTrail's words (LatestDeliveryError,
 * LatestCloudWatchLogsDeliveryError: API_GetTrailStatus) whatever the
 * times say. "CloudTrail typically delivers logs within an average of about
 * 5 minutes of an API call. This time is not guaranteed" (CloudTrail User
 * Guide, "How CloudTrail works"): a trail that started logging less than 15
 * minutes ago and has not delivered yet is `notYet` — nothing to judge, so
 * the check says so and is skipped, neither passed nor failed (a lab built
 * minutes before the run, as on a freshly started twin).
 */
export function judgeDelivery(
  what: string,
  d: { latest: Date | undefined; error: string | undefined; startedAt: Date | undefined },
  withinMinutes: number,
  now = Date.now(),
): { ok: boolean; says: string; notYet?: true } {
  if (d.error) return { ok: false, says: `${what}: CloudTrail's latest delivery failed: ${d.error}` };
  const age = minutesSince(d.latest, now);
  const started = minutesSince(d.startedAt, now);
  if (age === undefined && started !== undefined && started < Math.min(15, withinMinutes))
    return {
      ok: false,
      notYet: true,
      says: `${what}: the trail started logging ${started.toFixed(1)} min ago and its first delivery is not due yet (CloudTrail delivers within about 5 minutes)`,
    };
  if (age === undefined) return { ok: false, says: `${what}: never delivered` };
  return {
    ok: age <= withinMinutes,
    says: `${what}: latest delivery ${age.toFixed(1)} min ago (${d.latest!.toISOString()}), must be within ${withinMinutes} min`,
  };
}

/** A CloudWatch Logs group ARN as CloudTrail holds it (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*`). */
export function parseLogGroupArn(
  arn: string | undefined,
): { region: string; account: string; name: string } | undefined {
  const m = /^arn:aws[\w-]*:logs:([a-z0-9-]+):(\d{12}):log-group:(.+?)(?::\*)?$/.exec(arn ?? '');
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}
