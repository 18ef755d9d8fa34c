import { type AttributeValue, paginateScan } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { AwsClients } from '../clients.ts';
import { LabDeviationError, reading } from '../errors.ts';
import { eventually } from '../eventually.ts';
import type { WriterTarget } from '../targets/index.ts';
import { getKeySchema } from './reach.ts';
import type { WriterInvocation } from './writer.ts';
import { matchWrites, type ObjectSeen, type PlainItem, type Writes } from './writer-match.ts';

/**
 * Looks in the writer's table and bucket for what one invocation wrote
 * (helpers/application/writer-match.ts says how it is told apart), until
 * both are found or the targets' bound passes. Reads only: the item and
 * the object are the lab's application data, written by the lab's own
 * function, and stay where they are (a run adds one of each, as the seed's
 * "Test Lambda" step does).
 */

/**
 * How far the window reaches beyond the invocation on each side: the clocks of the runner (NTP),
 * Lambda (Amazon Time Sync) and S3 agree to well under a second; five cover a runner a little off
 * without letting in an invocation made seconds before ours.
 */
export const CLOCK_ALLOWANCE_MS = 5_000;

export interface WritesSeen extends Writes {
  partitionKey: string;
  window: { from: number; to: number };
  scanned: number;
  listed: number;
}

/**
 * @example const seen = await waitForWrites(clients, writer, call, { timeoutMs: 60_000 });
 */
export async function waitForWrites(
  clients: AwsClients,
  writer: WriterTarget,
  call: WriterInvocation,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<WritesSeen> {
  const { partition } = await getKeySchema(clients, writer.table);
  const window = { from: call.sentAt - CLOCK_ALLOWANCE_MS, to: call.returnedAt + CLOCK_ALLOWANCE_MS };
  const bodies = new Map<string, string>();
  let last: WritesSeen | undefined;
  const look = async (): Promise<WritesSeen> => {
    const items = await scanItems(clients, writer.table);
    const listed = await listObjects(clients, writer.bucket, writer.prefix);
    // Only objects of the window are read, each once.
    const objects: ObjectSeen[] = [];
    for (const o of listed.filter((x) => x.lastModified >= Math.floor(window.from / 1000) * 1000)) {
      if (o.lastModified > window.to) continue;
      const id = `${o.key}@${o.lastModified}`;
      if (!bodies.has(id)) bodies.set(id, await readBody(clients, writer.bucket, o.key));
      objects.push({ ...o, body: bodies.get(id)! });
    }
    const writes = matchWrites({
      items,
      objects,
      window,
      partitionKey: partition.name,
      timeAttribute: writer.timeAttribute,
      requestId: call.requestId,
      ownLog: call.logTail,
    });
    last = { ...writes, partitionKey: partition.name, window, scanned: items.length, listed: listed.length };
    return last;
  };
  try {
    return await eventually(`what ${call.functionName}'s request ${call.requestId} wrote`, look, {
      timeoutMs: options.timeoutMs,
      until: (w) => w.item.state !== 'none' && w.object.state !== 'none',
      overshoot: 0.1,
      since: call.returnedAt,
      minIntervalMs: 500,
      maxIntervalMs: 5_000,
      show: (w) => `item ${w.item.state}, object ${w.object.state}`,
      reproduce: `aws dynamodb scan --table-name ${writer.table} --consistent-read; aws s3api list-objects-v2 --bucket ${writer.bucket} --prefix '${writer.prefix}'`,
      ...(options.signal && { signal: options.signal }),
    });
  } catch (error) {
    // The bound passed with a side still missing: that is the checks' verdict to give, from what was seen.
    if (error instanceof LabDeviationError && last) return last;
    throw error;
  }
}

/** Every item of the table, strongly consistent, its scalar attributes as strings. */
async function scanItems(clients: AwsClients, table: string): Promise<PlainItem[]> {
  return reading(`scan table ${table}`, async () => {
    const items: PlainItem[] = [];
    for await (const page of paginateScan(
      { client: clients.dynamodb },
      { TableName: table, ConsistentRead: true },
    ))
      items.push(...(page.Items ?? []).map(plainItem));
    return items;
  });
}

export function plainItem(item: Record<string, AttributeValue>): PlainItem {
  return Object.fromEntries(
    Object.entries(item).map(([k, v]) => {
      if (v.S !== undefined) return [k, v.S];
      if (v.N !== undefined) return [k, v.N];
      if (v.B !== undefined) return [k, Buffer.from(v.B).toString('base64')];
      if (v.BOOL !== undefined) return [k, String(v.BOOL)];
      return [k, JSON.stringify(v)];
    }),
  );
}

async function listObjects(
  clients: AwsClients,
  bucket: string,
  prefix: string,
): Promise<{ key: string; lastModified: number }[]> {
  return reading(`list s3://${bucket}/${prefix}`, async () => {
    const out: { key: string; lastModified: number }[] = [];
    for await (const page of paginateListObjectsV2(
      { client: clients.s3 },
      { Bucket: bucket, Prefix: prefix },
    ))
      for (const o of page.Contents ?? [])
        if (o.Key && o.LastModified) out.push({ key: o.Key, lastModified: o.LastModified.getTime() });
    return out;
  });
}

async function readBody(clients: AwsClients, bucket: string, key: string): Promise<string> {
  return reading(`read s3://${bucket}/${key}`, async () => {
    const out = await clients.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=0-65535' }),
    );
    return (await out.Body?.transformToString()) ?? '';
  });
}
