import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { FlowLog } from '@aws-sdk/client-ec2';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { gunzipSync } from 'fflate';
import type { AwsClients } from '../clients.ts';
import { reading } from '../errors.ts';
import type { FlowLogTarget } from '../targets/index.ts';
import { flowLogFor, listFlowLogs } from './flow-logs.ts';
import { type FlowRecord, parseFlowRecord } from './flow-records.ts';

/**
 * Where a flow log's records are read: its CloudWatch Logs group (a stream
 * per network interface, "CreateFlowLogs", EC2 API Reference) or its S3
 * bucket (gzip text files under
 * `[prefix/]AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/`, named
 * `<account>_vpcflowlogs_<region>_<flow-log-id>_<time>_<hash>.log.gz`, a
 * header line of field names then records; "Flow log files", VPC User
 * Guide), read with the bucket owner's clients.
 */

/** The flow log on `resourceId` that delivers where `destination` says, if any (the healthiest such). */
export async function findFlowLog(
  clients: AwsClients,
  resourceId: string,
  destination: FlowLogTarget['destination'],
): Promise<FlowLog | undefined> {
  return flowLogFor(await listFlowLogs(clients, resourceId), { destination });
}

export interface RecordSource {
  /** Every record of the window read so far (a source remembers what it has read). */
  read(): Promise<FlowRecord[]>;
  /** How a person looks: the AWS CLI command. */
  reproduce: string;
}

/**
 * The records of a CloudWatch Logs group that mention any of `addresses`,
 * since `sinceMs`: one FilterLogEvents over the group, every page.
 */
export function logGroupRecords(
  { logs }: AwsClients,
  options: { logGroup: string; fields: string[]; addresses: string[]; sinceMs: number },
): RecordSource {
  // Terms in double quotes match exactly and may hold dots; `?` ORs them ("Filter pattern syntax", CloudWatch Logs User Guide).
  const filterPattern = options.addresses.map((a) => `?"${a}"`).join(' ');
  return {
    reproduce: `aws logs filter-log-events --log-group-name ${options.logGroup} --start-time ${options.sinceMs} --filter-pattern '${filterPattern}'`,
    read: () =>
      reading(`read flow log records in ${options.logGroup}`, async () => {
        const records: FlowRecord[] = [];
        let nextToken: string | undefined;
        do {
          const page = await logs.send(
            new FilterLogEventsCommand({
              logGroupName: options.logGroup,
              startTime: options.sinceMs,
              filterPattern,
              ...(nextToken && { nextToken }),
            }),
          );
          for (const e of page.events ?? []) {
            const eni = /eni-[0-9a-f]+/.exec(e.logStreamName ?? '')?.[0];
            const r = parseFlowRecord(options.fields, e.message ?? '', eni);
            if (r) records.push(r);
          }
          nextToken = page.nextToken;
        } while (nextToken);
        return records;
      }),
  };
}

/** The UTC days from `sinceMs` to now, as S3 key parts `yyyy/mm/dd`. */
export function daysSince(sinceMs: number, nowMs = Date.now()): string[] {
  const days: string[] = [];
  for (let d = Math.floor(sinceMs / 86_400_000); d <= Math.floor(nowMs / 86_400_000); d++)
    days.push(new Date(d * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '/'));
  return days;
}

/**
 * The records a flow log wrote to its bucket since `sinceMs`: each new log
 * file of that flow log (by the id in its name) read once, unzipped, its
 * header skipped.
 */
export function bucketRecords(
  { s3 }: AwsClients,
  options: {
    bucket: string;
    prefix?: string | undefined;
    account: string;
    region: string;
    flowLogId: string;
    fields: string[];
    sinceMs: number;
  },
): RecordSource {
  const base = `${options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : ''}AWSLogs/${options.account}/vpcflowlogs/${options.region}/`;
  const mine = `${options.account}_vpcflowlogs_${options.region}_${options.flowLogId}_`;
  const read = new Map<string, FlowRecord[]>();
  const listKeys = async (prefix: string): Promise<string[]> => {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: options.bucket,
          Prefix: prefix,
          ...(token && { ContinuationToken: token }),
        }),
      );
      for (const o of page.Contents ?? [])
        if (o.Key?.includes(mine) && (o.LastModified?.getTime() ?? 0) >= options.sinceMs) keys.push(o.Key);
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  };
  const readFile = async (key: string): Promise<FlowRecord[]> => {
    const out = await s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
    const text = new TextDecoder().decode(gunzipSync(await out.Body!.transformToByteArray()));
    return text.split('\n').flatMap((line) => parseFlowRecord(options.fields, line) ?? []);
  };
  return {
    reproduce: `aws s3 ls s3://${options.bucket}/${base} --recursive | grep ${options.flowLogId}`,
    read: () =>
      reading(`read flow log files in s3://${options.bucket}/${base}`, async () => {
        for (const day of daysSince(options.sinceMs))
          for (const key of await listKeys(`${base}${day}/`))
            if (!read.has(key)) read.set(key, await readFile(key));
        return [...read.values()].flat();
      }),
  };
}
