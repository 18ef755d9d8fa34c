import {
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  PutEventSelectorsCommand,
  PutInsightSelectorsCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateFlowLogsCommand, DeleteFlowLogsCommand, DescribeFlowLogsCommand } from '@aws-sdk/client-ec2';
import {
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { flowLogFor } from '../../helpers/observability/flow-logs.ts';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';
import { flowLogAccount, flowLogResourceId } from '../../helpers/targets/observability.ts';
import { flowLogRow } from '../../helpers/targets/rows.ts';
import type { Break, Drift, Operator } from './types.ts';

/**
 * Drifts of the trail and the flow logs: each changes one setting an
 * operator could change, through the public API, found from the targets.
 */
const trailOf = (lab: ResolvedTargets) => lab.observability!.trail!;
const hasTrail = (lab: ResolvedTargets) => Boolean(lab.observability?.trail && lab.ids.trail);

/**
 * The live check of this run's S3 data events in the trail's log group
 * (O20, suites/observability/delivery.test.ts): it runs where the trail
 * delivers to a log group and logs the data events of the bucket it calls
 * (the probe's, else the first data-event bucket).
 */
function dataEventsStop(lab: ResolvedTargets): Break[] {
  const t = trailOf(lab);
  const called = lab.endpoints?.probe?.bucket ?? t.dataEventBuckets[0];
  return t.logGroup && called && t.dataEventBuckets.includes(called) ? [{ id: 'O20' }] : [];
}

export const logFileValidationOff: Drift = {
  id: 'obs-trail-log-file-validation-off',
  says: "the trail's log file validation is turned off",
  appliesTo: (lab) => hasTrail(lab) && trailOf(lab).logFileValidation,
  breaks: async () => [{ id: 'O3' }],
  async apply(lab, op) {
    await op('lab').cloudtrail.send(
      new UpdateTrailCommand({ Name: lab.ids.trail!, EnableLogFileValidation: false }),
    );
  },
};

/**
 * StopLogging: the trail stops (O1) and this run's data events never
 * arrive (O20). What it delivered before the stop keeps its time
 * ("LatestDeliveryTime", API_GetTrailStatus), so the recent-delivery checks
 * (O7, O8) still pass within their bound; the drift waits for the trail to
 * have delivered once, as a trail stopped in a lab that has run a while has.
 */
export const loggingStopped: Drift = {
  id: 'obs-trail-logging-stopped',
  says: 'the trail stops logging',
  appliesTo: hasTrail,
  breaks: async (lab) => [{ id: 'O1' }, ...dataEventsStop(lab)],
  async apply(lab, op) {
    const cloudtrail = op('lab').cloudtrail;
    const delivered = async () => {
      const s = await cloudtrail.send(new GetTrailStatusCommand({ Name: lab.ids.trail! }));
      return (
        Boolean(s.LatestDeliveryTime) &&
        (!trailOf(lab).logGroup || Boolean(s.LatestCloudWatchLogsDeliveryTime))
      );
    };
    for (let i = 0; i < 100 && !(await delivered()); i++) await new Promise((r) => setTimeout(r, 200));
    await cloudtrail.send(new StopLoggingCommand({ Name: lab.ids.trail! }));
  },
};

/** S3 data events are removed from the trail's selectors, classic or advanced; management events stay as they were. */
export const dataEventsRemoved: Drift = {
  id: 'obs-trail-s3-data-events-removed',
  says: 'the trail no longer logs S3 data events',
  appliesTo: (lab) => hasTrail(lab) && trailOf(lab).dataEventBuckets.length > 0,
  breaks: async (lab) => [
    ...trailOf(lab).dataEventBuckets.map((bucket) => ({ id: 'O6', row: bucket })),
    ...dataEventsStop(lab),
  ],
  async apply(lab, op) {
    const cloudtrail = op('lab').cloudtrail;
    const now = await cloudtrail.send(new GetEventSelectorsCommand({ TrailName: lab.ids.trail! }));
    const isData = (fields: { Field?: string; Equals?: string[] }[] = []) =>
      fields.some((f) => f.Field === 'eventCategory' && f.Equals?.includes('Data'));
    await cloudtrail.send(
      new PutEventSelectorsCommand(
        now.AdvancedEventSelectors?.length
          ? {
              TrailName: lab.ids.trail!,
              AdvancedEventSelectors: now.AdvancedEventSelectors.filter((s) => !isData(s.FieldSelectors)),
            }
          : {
              TrailName: lab.ids.trail!,
              EventSelectors: (now.EventSelectors ?? []).map((s) => ({ ...s, DataResources: [] })),
            },
      ),
    );
  },
};

/** UpdateTrail with an empty log group and role removes the CloudWatch Logs integration (API_UpdateTrail). */
export const cloudWatchLogsRemoved: Drift = {
  id: 'obs-trail-cloudwatch-logs-removed',
  says: 'the trail no longer delivers to CloudWatch Logs',
  appliesTo: (lab) => hasTrail(lab) && Boolean(trailOf(lab).logGroup),
  breaks: async (lab) => [{ id: 'O8' }, ...dataEventsStop(lab)],
  async apply(lab, op) {
    await op('lab').cloudtrail.send(
      new UpdateTrailCommand({
        Name: lab.ids.trail!,
        CloudWatchLogsLogGroupArn: '',
        CloudWatchLogsRoleArn: '',
      }),
    );
  },
};

/**
 * The trail's bucket is opened to everyone to read its logs. S3 refuses a
 * public policy while BlockPublicPolicy is on ("Blocking public access to
 * your Amazon S3 storage"), so the operator turns that off first: O9 fails
 * with O10.
 */
export const trailBucketOpened: Drift = {
  id: 'obs-trail-bucket-open-to-everyone',
  says: "the trail's bucket policy lets anyone read the logs (Block Public Access turned off to allow it)",
  appliesTo: hasTrail,
  breaks: async () => [{ id: 'O9' }, { id: 'O10' }],
  async apply(lab, op) {
    const s3 = op('lab').s3;
    const Bucket = trailOf(lab).bucket;
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: true,
        },
      }),
    );
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket }));
    const policy = JSON.parse(Policy ?? '{"Version":"2012-10-17","Statement":[]}');
    policy.Statement.push({
      Sid: 'AnyoneMayReadTheLogs',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${Bucket}/*`,
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(policy) }));
  },
};

export const singleRegion: Drift = {
  id: 'obs-trail-single-region',
  says: 'the trail is made single-Region',
  appliesTo: (lab) => hasTrail(lab) && trailOf(lab).multiRegion,
  breaks: async () => [{ id: 'O2' }],
  async apply(lab, op) {
    await op('lab').cloudtrail.send(
      new UpdateTrailCommand({ Name: lab.ids.trail!, IsMultiRegionTrail: false }),
    );
  },
};

/**
 * KMS events are left out of the management events, the one exclusion AWS
 * offers besides RDS Data API ("ExcludeManagementEventSources", API_EventSelector;
 * `eventSource NotEquals kms.amazonaws.com` in advanced selectors, "Logging
 * management events").
 */
export const kmsEventsExcluded: Drift = {
  id: 'obs-trail-kms-events-excluded',
  says: "the trail's management events leave out KMS",
  appliesTo: (lab) => hasTrail(lab) && trailOf(lab).managementEvents !== 'none',
  breaks: async () => [{ id: 'O4' }],
  async apply(lab, op) {
    const cloudtrail = op('lab').cloudtrail;
    const now = await cloudtrail.send(new GetEventSelectorsCommand({ TrailName: lab.ids.trail! }));
    const kms = 'kms.amazonaws.com';
    const isManagement = (fields: { Field?: string; Equals?: string[] }[] = []) =>
      fields.some((f) => f.Field === 'eventCategory' && f.Equals?.includes('Management'));
    await cloudtrail.send(
      new PutEventSelectorsCommand(
        now.AdvancedEventSelectors?.length
          ? {
              TrailName: lab.ids.trail!,
              AdvancedEventSelectors: now.AdvancedEventSelectors.map((s) =>
                isManagement(s.FieldSelectors)
                  ? {
                      ...s,
                      FieldSelectors: [
                        ...(s.FieldSelectors ?? []),
                        { Field: 'eventSource', NotEquals: [kms] },
                      ],
                    }
                  : s,
              ),
            }
          : {
              TrailName: lab.ids.trail!,
              EventSelectors: (now.EventSelectors ?? []).map((s) => ({
                ...s,
                ExcludeManagementEventSources: [...(s.ExcludeManagementEventSources ?? []), kms],
              })),
            },
      ),
    );
  },
};

/** An empty list of Insights selectors turns Insights off (API_PutInsightSelectors). */
export const insightsOff: Drift = {
  id: 'obs-trail-insights-off',
  says: "the trail's Insights are turned off",
  appliesTo: (lab) => hasTrail(lab) && trailOf(lab).insights.length > 0,
  breaks: async () => [{ id: 'O5' }],
  async apply(lab, op) {
    await op('lab').cloudtrail.send(
      new PutInsightSelectorsCommand({ TrailName: lab.ids.trail!, InsightSelectors: [] }),
    );
  },
};

/**
 * The trail's bucket policy loses the statement that lets CloudTrail write:
 * the policy check fails (O10), and so does the next delivery, which
 * GetTrailStatus reports as LatestDeliveryError (O7). The drift waits for
 * that delivery, as the change shows only then.
 */
export const trailBucketDropsCloudTrail: Drift = {
  id: 'obs-trail-bucket-drops-cloudtrail-write',
  says: "the trail's bucket policy no longer lets CloudTrail write",
  appliesTo: hasTrail,
  breaks: async () => [{ id: 'O7' }, { id: 'O10' }],
  async apply(lab, op) {
    const { s3, cloudtrail } = op('lab');
    const Bucket = trailOf(lab).bucket;
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket }));
    const policy = JSON.parse(Policy!) as { Statement: { Principal?: unknown; Action?: unknown }[] };
    policy.Statement = policy.Statement.filter(
      (s) =>
        !(
          JSON.stringify(s.Principal ?? '').includes('cloudtrail.amazonaws.com') &&
          JSON.stringify(s.Action).includes('PutObject')
        ),
    );
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(policy) }));
    for (let i = 0; i < 100; i++) {
      const s = await cloudtrail.send(new GetTrailStatusCommand({ Name: lab.ids.trail! }));
      if (s.LatestDeliveryError) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  },
};

/** The flow log a flow-log drift changes: the first to a log group, else the first. */
const changedFlowLog = (lab: ResolvedTargets) => {
  const logs = lab.observability?.flowLogs ?? [];
  return logs.find((f) => 'logGroup' in f.destination) ?? logs[0];
};

/**
 * A flow log's settings cannot be changed ("You can't change the
 * configuration or the flow log record format of a flow log after you
 * create it", VPC User Guide, "Work with flow logs"), so an operator deletes
 * it and creates it again, with `changes`.
 */
async function recreateFlowLog(
  lab: ResolvedTargets,
  op: Operator,
  changes: { TrafficType?: 'ACCEPT'; LogFormat?: string },
): Promise<void> {
  const f = changedFlowLog(lab)!;
  const ec2 = op(flowLogAccount(lab, f)).ec2;
  const resourceId = flowLogResourceId(lab.ids, f);
  const { FlowLogs = [] } = await ec2.send(
    new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [resourceId] }] }),
  );
  const old = flowLogFor(FlowLogs, f)!;
  await ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [old.FlowLogId!] }));
  const type = resourceId.startsWith('vpc-')
    ? 'VPC'
    : resourceId.startsWith('subnet-')
      ? 'Subnet'
      : 'NetworkInterface';
  await ec2.send(
    new CreateFlowLogsCommand({
      ResourceType: type,
      ResourceIds: [resourceId],
      TrafficType: old.TrafficType as 'ALL',
      LogDestinationType: old.LogDestinationType,
      ...(old.LogDestinationType === 's3'
        ? { LogDestination: old.LogDestination }
        : { LogGroupName: old.LogGroupName, DeliverLogsPermissionArn: old.DeliverLogsPermissionArn }),
      ...(old.LogFormat && { LogFormat: old.LogFormat }),
      ...(old.MaxAggregationInterval && { MaxAggregationInterval: old.MaxAggregationInterval }),
      ...(old.DestinationOptions && { DestinationOptions: old.DestinationOptions }),
      ...(old.DeliverCrossAccountRole && { DeliverCrossAccountRole: old.DeliverCrossAccountRole }),
      ...changes,
    }),
  );
}

export const flowLogAcceptOnly: Drift = {
  id: 'obs-flow-log-accept-only',
  says: 'a flow log is recreated capturing accepted traffic only',
  appliesTo: (lab) => Boolean(changedFlowLog(lab)),
  breaks: async (lab) => [{ id: 'O11', row: flowLogRow(changedFlowLog(lab)!) }],
  apply: (lab, op) => recreateFlowLog(lab, op, { TrafficType: 'ACCEPT' }),
};

// biome-ignore lint/suspicious/noTemplateCurlyInString: AWS's LogFormat syntax, not a template
const TCP_FLAGS = '${tcp-flags}';

/**
 * The record format gains a field at its end (records stay readable by
 * position, so only the format check fails).
 */
export const flowLogFormatChanged: Drift = {
  id: 'obs-flow-log-format-changed',
  says: 'a flow log is recreated with a record format that adds the TCP flags',
  appliesTo: (lab) => Boolean(changedFlowLog(lab)) && !changedFlowLog(lab)!.format.includes('tcp-flags'),
  breaks: async (lab) => [{ id: 'O12', row: flowLogRow(changedFlowLog(lab)!) }],
  apply: (lab, op) => recreateFlowLog(lab, op, { LogFormat: `${changedFlowLog(lab)!.format} ${TCP_FLAGS}` }),
};

export const observabilityDrifts: Drift[] = [
  logFileValidationOff,
  loggingStopped,
  dataEventsRemoved,
  cloudWatchLogsRemoved,
  trailBucketOpened,
  singleRegion,
  kmsEventsExcluded,
  insightsOff,
  trailBucketDropsCloudTrail,
  flowLogAcceptOnly,
  flowLogFormatChanged,
];
