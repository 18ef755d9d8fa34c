import { type FlowLog, paginateDescribeFlowLogs } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../clients.ts';
import { reading } from '../errors.ts';
import { DEFAULT_FLOW_LOG_FORMAT, type FlowLogTarget } from '../targets/index.ts';

/**
 * Flow logs as EC2 describes them, and which of them is the one targets
 * mean: the same watched resource and the same destination.
 */

/** Every flow log on a VPC, subnet or network interface (filter `resource-id`, API_DescribeFlowLogs). */
export async function listFlowLogs(clients: AwsClients, resourceId: string): Promise<FlowLog[]> {
  return reading(`describe the flow logs of ${resourceId}`, async () => {
    const out: FlowLog[] = [];
    for await (const page of paginateDescribeFlowLogs(
      { client: clients.ec2 },
      { Filter: [{ Name: 'resource-id', Values: [resourceId] }] },
    ))
      out.push(...(page.FlowLogs ?? []));
    return out;
  });
}

const bucketArn = (bucket: string, prefix?: string) =>
  `arn:aws:s3:::${bucket}${prefix ? `/${prefix.replace(/^\/+|\/+$/g, '')}` : ''}`;

/**
 * Whether a flow log delivers where targets say: the log group by name
 * (LogGroupName, or the group of its LogDestination ARN), or the bucket and folder by ARN (LogDestination
 * `arn:aws:s3:::bucket[/folder]`, a trailing slash aside).
 */
export function deliversTo(flowLog: FlowLog, destination: FlowLogTarget['destination']): boolean {
  if ('logGroup' in destination) {
    // A flow log made with a LogDestination ARN may describe its group by that ARN alone.
    const group = flowLog.LogGroupName ?? /:log-group:([^:]+)/.exec(flowLog.LogDestination ?? '')?.[1];
    return (
      (flowLog.LogDestinationType ?? 'cloud-watch-logs') === 'cloud-watch-logs' &&
      group === destination.logGroup
    );
  }
  return (
    flowLog.LogDestinationType === 's3' &&
    (flowLog.LogDestination ?? '').replace(/\/+$/, '') === bucketArn(destination.bucket, destination.prefix)
  );
}

/**
 * The flow log targets mean, among those on the resource: delivering where
 * targets say, the healthiest first (ACTIVE and capturing ALL), so a
 * second, broken flow log beside a good one does not hide it or fail it.
 */
export function flowLogFor(
  flowLogs: FlowLog[],
  target: Pick<FlowLogTarget, 'destination'>,
): FlowLog | undefined {
  const score = (f: FlowLog) => (f.FlowLogStatus === 'ACTIVE' ? 2 : 0) + (f.TrafficType === 'ALL' ? 1 : 0);
  return flowLogs.filter((f) => deliversTo(f, target.destination)).sort((a, b) => score(b) - score(a))[0];
}

/** A record format with its whitespace normalised; the documented default when EC2 names none. */
export function normalisedFormat(format: string | undefined): string {
  return (format ?? DEFAULT_FLOW_LOG_FORMAT).trim().split(/\s+/).join(' ');
}

/** A bucket and key prefix as a person writes them, `s3://bucket/prefix/`. */
export function s3Url(bucket: string | undefined, prefix?: string): string {
  return ['s3:/', bucket, prefix ? `${prefix.replace(/\/+$/, '')}/` : ''].join('/');
}

/** How a report names where a flow log delivers. */
export function destinationOf(f: FlowLog): string {
  return f.LogDestinationType === 's3'
    ? (f.LogDestination ?? '')
    : `log group ${f.LogGroupName ?? f.LogDestination}`;
}
