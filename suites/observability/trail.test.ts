import { describe } from 'vitest';
import { getBucketPolicy } from '../../helpers/data-protection.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import {
  CLOUDTRAIL,
  trailBucketRequests,
  trailBucketStrangers,
  wrongVerdicts,
} from '../../helpers/observability/bucket-policy.ts';
import { s3Url } from '../../helpers/observability/flow-logs.ts';
import { getRolePolicies, roleRefuses, roleTrusts } from '../../helpers/observability/roles.ts';
import { managementEventsOf, s3DataEventsOf } from '../../helpers/observability/selectors.ts';
import {
  getBucketProtection,
  getEventSelectors,
  getTrail,
  getTrailStatus,
  judgeDelivery,
  listInsightTypes,
  parseLogGroupArn,
} from '../../helpers/observability/trail.ts';
import { check, eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { observabilityContext } from './context.ts';

/**
 * Observability, the trail: it exists and logs what targets intend, delivers
 * to its bucket and log group, and its bucket keeps the logs safe.
 */
const { lab, region, account, trail, trailArn, skipWithoutTrail } = observabilityContext();
const phase5 = (item: string) => seed('mesh', `PHASE 5 — CloudTrail: ${item}`);
const dataEventRows = (trail?.dataEventBuckets ?? []).map((bucket) => ({ bucket }));

describe.concurrent('O · The trail logs what the lab intends', { tags: ['config'] }, () => {
  check({ id: 'O1', seed: phase5('Create trail') }, 'the trail exists and is logging', async (ctx) => {
    skipWithoutTrail(ctx.skip);
    const status = await getTrailStatus(lab.clients(), trailArn);
    await attachEvidence(ctx.annotate, 'config', `IsLogging ${status.IsLogging}`, {
      trailArn,
      isLogging: status.IsLogging,
      startLoggingTime: status.StartLoggingTime,
      stopLoggingTime: status.StopLoggingTime,
    });
    ctx.expect(status.IsLogging, `${trail!.name} must be logging (GetTrailStatus IsLogging)`).toBe(true);
  });

  check(
    { id: 'O2', seed: seed('mesh', 'Final success checklist — CloudTrail logs everything') },
    'the trail is multi-Region as intended',
    async (ctx) => {
      skipWithoutTrail(ctx.skip);
      const t = await getTrail(lab.clients(), trailArn);
      await attachEvidence(ctx.annotate, 'config', `IsMultiRegionTrail ${t.IsMultiRegionTrail}`, t);
      ctx.expect(t.IsMultiRegionTrail ?? false, `${trail!.name} multi-Region`).toBe(trail!.multiRegion);
    },
  );

  check(
    { id: 'O3', seed: seed('mesh', 'Final success checklist — CloudTrail logs everything') },
    'the trail validates its log files as intended',
    async (ctx) => {
      skipWithoutTrail(ctx.skip);
      const t = await getTrail(lab.clients(), trailArn);
      await attachEvidence(
        ctx.annotate,
        'config',
        `LogFileValidationEnabled ${t.LogFileValidationEnabled}`,
        t,
      );
      ctx
        .expect(t.LogFileValidationEnabled ?? false, `${trail!.name} log file validation`)
        .toBe(trail!.logFileValidation);
    },
  );

  check(
    { id: 'O4', seed: phase5('Enable management events') },
    'the trail logs management events as intended',
    async (ctx) => {
      skipWithoutTrail(ctx.skip);
      const selectors = await getEventSelectors(lab.clients(), trailArn);
      const management = managementEventsOf(selectors);
      await attachEvidence(ctx.annotate, 'config', `management events: ${management.is}`, {
        ...management,
        selectors,
      });
      ctx
        .expect(
          management.is,
          `${trail!.name} management events (logged: ${management.logged.join(', ') || 'none'}; not logged: ${management.missed.join(', ') || 'none'})`,
        )
        .toBe(trail!.managementEvents);
    },
  );

  check(
    { id: 'O5', seed: phase5('Enable Insight events') },
    'the trail logs the intended Insights',
    async (ctx) => {
      skipWithoutTrail(ctx.skip);
      const types = await listInsightTypes(lab.clients(), trailArn);
      await attachEvidence(ctx.annotate, 'config', `Insights: ${types.join(', ') || 'none'}`, types);
      ctx.expect([...types].sort(), `${trail!.name} Insights types`).toEqual([...trail!.insights].sort());
    },
  );

  eachRow(dataEventRows, 'no trail, or no buckets for S3 data events, in targets', (r) => r.bucket)(
    { id: 'O6', seed: phase5('Enable S3 data events') },
    'the trail logs S3 data events (reads and writes) for $bucket',
    async (row, ctx) => {
      const selectors = await getEventSelectors(lab.clients(), trailArn);
      const logged = s3DataEventsOf(selectors, row.bucket);
      await attachEvidence(ctx.annotate, 'config', `GetObject ${logged.read}, PutObject ${logged.write}`, {
        logged,
        selectors,
      });
      ctx
        .expect(logged, `${trail!.name} S3 data events for ${row.bucket}`)
        .toEqual({ read: true, write: true });
    },
  );
});

describe.concurrent('O · The trail delivers, and its bucket keeps the logs safe', {
  tags: ['config'],
}, () => {
  check(
    { id: 'O7', seed: phase5('Select S3 bucket for logs') },
    'the trail delivers to its bucket, recently, without error',
    async (ctx) => {
      skipWithoutTrail(ctx.skip);
      const [t, status] = await Promise.all([
        getTrail(lab.clients(), trailArn),
        getTrailStatus(lab.clients(), trailArn),
      ]);
      const where = s3Url(t.S3BucketName, t.S3KeyPrefix);
      const latest = { latest: status.LatestDeliveryTime, error: status.LatestDeliveryError };
      await attachEvidence(
        ctx.annotate,
        'config',
        latest.error ?? `latest delivery ${latest.latest?.toISOString() ?? 'never'}`,
        {
          bucket: t.S3BucketName,
          prefix: t.S3KeyPrefix,
          ...latest,
          startLoggingTime: status.StartLoggingTime,
        },
      );
      ctx.expect(t.S3BucketName, `${trail!.name} bucket`).toBe(trail!.bucket);
      ctx.expect(t.S3KeyPrefix || undefined, `${trail!.name} key prefix`).toBe(trail!.bucketPrefix);
      const delivery = judgeDelivery(
        where,
        { ...latest, startedAt: status.StartLoggingTime },
        trail!.deliveryWithinMinutes,
      );
      if (delivery.notYet) return ctx.skip(delivery.says);
      ctx.expect(delivery.ok, delivery.says).toBe(true);
    },
  );

  check(
    { id: 'O8', seed: phase5('Enable CloudWatch logs; auto-create IAM role') },
    'the trail delivers to its log group through a role CloudTrail can assume, recently, without error',
    async (ctx) => {
      skipWithoutTrail(ctx.skip);
      const clients = lab.clients();
      const [t, status] = await Promise.all([getTrail(clients, trailArn), getTrailStatus(clients, trailArn)]);
      const group = parseLogGroupArn(t.CloudWatchLogsLogGroupArn);
      if (!trail!.logGroup) {
        await attachEvidence(ctx.annotate, 'config', `log group ${group?.name ?? 'none'}`, t);
        ctx.expect(group?.name, `targets say ${trail!.name} delivers to S3 only`).toBeUndefined();
        return;
      }
      ctx.expect(group?.name, `${trail!.name} CloudWatch Logs group`).toBe(trail!.logGroup);
      ctx.expect(t.CloudWatchLogsRoleArn, `${trail!.name} CloudWatch Logs role`).toBeDefined();
      const role = await getRolePolicies(clients, t.CloudWatchLogsRoleArn!);
      const trust = roleTrusts(role, CLOUDTRAIL, { 'aws:SourceAccount': account, 'aws:SourceArn': trailArn });
      const stream = `arn:aws:logs:${group!.region}:${group!.account}:log-group:${group!.name}:log-stream:${account}_CloudTrail_${region}`;
      const refused = roleRefuses(role, [
        ['logs:CreateLogStream', [stream]],
        ['logs:PutLogEvents', [stream]],
      ]);
      const latest = {
        latest: status.LatestCloudWatchLogsDeliveryTime,
        error: status.LatestCloudWatchLogsDeliveryError,
      };
      await attachEvidence(
        ctx.annotate,
        'config',
        latest.error ?? `latest delivery ${latest.latest?.toISOString() ?? 'never'}`,
        { group, roleArn: role.roleArn, trust, refused, status },
      );
      ctx
        .expect(
          trust.allowed,
          `${role.roleArn} must trust ${CLOUDTRAIL} for this trail: refused ${trust.because}`,
        )
        .toBe(true);
      ctx
        .expect(
          refused,
          `${role.roleArn} must let CloudTrail write to ${group!.name}; refuses ${refused.join(', ')}`,
        )
        .toEqual([]);
      const delivery = judgeDelivery(
        `log group ${group!.name}`,
        { ...latest, startedAt: status.StartLoggingTime },
        trail!.deliveryWithinMinutes,
      );
      if (delivery.notYet) return ctx.skip(delivery.says);
      ctx.expect(delivery.ok, delivery.says).toBe(true);
    },
  );

  check(
    { id: 'O9', seed: seed('mesh', 'PHASE 4 — Second bucket: block public access, enable versioning') },
    "the trail's bucket blocks public access and keeps versions",
    async (ctx) => {
      skipWithoutTrail(ctx.skip);
      const protection = await getBucketProtection(lab.clients(), trail!.bucket);
      const open = Object.entries(protection.publicAccessBlock)
        .filter(([, on]) => !on)
        .map(([flag]) => flag);
      await attachEvidence(
        ctx.annotate,
        'config',
        `public access: ${open.length ? `${open.join(', ')} off` : 'blocked'}; versioning ${protection.versioning}`,
        protection,
      );
      ctx.expect(open, `${trail!.bucket} Block Public Access settings that are off`).toEqual([]);
      ctx.expect(protection.versioning, `${trail!.bucket} versioning`).toBe('Enabled');
    },
  );

  check(
    { id: 'O10', seed: seed('mesh', 'PHASE 4 — Second bucket: add CloudTrail write policy') },
    "the trail's bucket policy lets CloudTrail write only as AWS documents, and nobody else in",
    async (ctx) => {
      skipWithoutTrail(ctx.skip);
      const policy = await getBucketPolicy(lab.clients(), trail!.bucket);
      const where = { bucket: trail!.bucket, prefix: trail!.bucketPrefix, account, region };
      const wrong = wrongVerdicts(trailBucketRequests(policy, { ...where, trailArn }));
      const strangers = trailBucketStrangers(policy, where);
      await attachEvidence(
        ctx.annotate,
        'config',
        wrong.length || strangers.length ? [...wrong, ...strangers].join('; ') : 'as documented',
        { wrong, strangers, policy },
      );
      ctx.expect(wrong, `${trail!.bucket}'s policy and CloudTrail: ${wrong.join('; ')}`).toEqual([]);
      ctx.expect(strangers, `${trail!.bucket}'s policy lets in ${strangers.join('; ')}`).toEqual([]);
    },
  );
});
