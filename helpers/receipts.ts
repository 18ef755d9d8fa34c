import {
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { AwsClients } from './clients.ts';
import { CannotTellError, cannotTell, classify, reading } from './errors.ts';
import { eventually } from './eventually.ts';

/**
 * The fruit pipeline seen from outside: publish an order to the topic, wait
 * for the receipt the processor writes, and try to read it as someone.
 */
export interface Order {
  name: string;
  quantity: number;
  price: number;
}

export interface Published {
  order: Order;
  messageId: string;
  publishedAt: number;
}

/** Publishes an order carrying the run id, as the write-up's console step does. */
export async function publishOrder(
  clients: AwsClients,
  topicArn: string,
  order: Order,
  runId: string,
): Promise<Published> {
  const publishedAt = Date.now();
  const { MessageId } = await reading(`publish the ${order.name} order`, () =>
    clients.sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ ...order, reference: runId }) }),
    ),
  );
  return { order, messageId: MessageId!, publishedAt };
}

export interface Receipt {
  key: string;
  /** The version the processor wrote (the bucket may be versioned): what the run's sweep removes. */
  versionId?: string;
  /** How it was known to be this order's: its computed key, or (search) what its content names. */
  matchedBy: 'key' | Match;
  serverSideEncryption?: string;
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  /** Milliseconds from publishing to the receipt being there. */
  afterMs: number;
}

/** The receipt of a published order, waited for within `timeoutMs` (HeadObject: needs no decrypt). */
export async function waitForReceipt(
  clients: AwsClients,
  bucket: string,
  key: string,
  published: Published,
  timeoutMs: number,
): Promise<Receipt> {
  const head = await eventually<HeadObjectCommandOutput | undefined>(
    `the receipt for ${published.order.name} (s3://${bucket}/${key})`,
    async () => {
      try {
        return await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (classify(error) === 'not-found') return undefined;
        throw cannotTell(`look for s3://${bucket}/${key}`, error);
      }
    },
    {
      timeoutMs,
      minIntervalMs: 250,
      maxIntervalMs: 5_000,
      show: () => 'no object yet',
      reproduce: `aws s3api head-object --bucket ${bucket} --key ${key}`,
    },
  );
  return {
    key,
    matchedBy: 'key',
    ...(head!.VersionId && { versionId: head!.VersionId }),
    serverSideEncryption: head!.ServerSideEncryption,
    kmsKeyId: head!.SSEKMSKeyId,
    bucketKeyEnabled: head!.BucketKeyEnabled,
    afterMs: Date.now() - published.publishedAt,
  };
}

export type ReadOutcome =
  | { outcome: 'ok'; body: string }
  | { outcome: 'denied'; code: string; message: string };

/** Tries to read an object; a denial is a valid answer, anything else unreadable is "cannot tell". */
export async function tryReading(
  clients: AwsClients,
  bucket: string,
  key: string,
  as: string,
): Promise<ReadOutcome> {
  try {
    const out = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { outcome: 'ok', body: await out.Body!.transformToString() };
  } catch (error) {
    if (classify(error) === 'denied')
      return { outcome: 'denied', code: (error as Error).name, message: (error as Error).message };
    throw cannotTell(`read s3://${bucket}/${key} as ${as}`, error);
  }
}

/** How a lab names its receipts (targets' `receiptKeyTemplate` or `receiptSearchPrefix`). */
export type ReceiptNaming = { template: string } | { searchPrefix: string };

export const DEFAULT_RECEIPT_KEY_TEMPLATE = 'receipts/{messageId}.txt';

export function receiptNamingOf(dp: {
  receiptKeyTemplate?: string;
  receiptSearchPrefix?: string;
}): ReceiptNaming {
  if (dp.receiptSearchPrefix !== undefined) return { searchPrefix: dp.receiptSearchPrefix };
  return { template: dp.receiptKeyTemplate ?? DEFAULT_RECEIPT_KEY_TEMPLATE };
}

/** The key a template gives an order: `{messageId}`, `{reference}` (the run id) and `{fruit}` filled in. */
export function receiptKeyFrom(template: string, order: Order, messageId: string, runId: string): string {
  return template
    .replaceAll('{messageId}', messageId)
    .replaceAll('{reference}', runId)
    .replaceAll('{fruit}', order.name);
}

/** A run id as helpers/run.ts makes them (`mc-20260301-a1b2c3`): what tells one run's receipts from another's. */
const RUN_ID = /\bmc-\d{8}-[0-9a-f]{6}\b/g;

/** What a receipt's content names that ties it to an order: its message id, its run, or only its values. */
export type Match = 'message-id' | 'reference' | 'content';

/**
 * Whether `body` is the receipt of this order: it names the order's message
 * id; or it names this run's id and the fruit; or — for processors that
 * echo neither — it names no run at all and says the fruit, quantity and
 * price. A receipt naming another run's id is never this run's.
 *
 * @example
 *   receiptMatch('Item: apple\nReference: mc-20260301-a1b2c3', { order, messageId, runId }) // 'reference'
 */
export function receiptMatch(
  body: string,
  mine: { order: Order; messageId: string; runId: string },
): Match | undefined {
  if (body.includes(mine.messageId)) return 'message-id';
  const runs = new Set(body.match(RUN_ID) ?? []);
  if (runs.size && !runs.has(mine.runId)) return undefined;
  const says = readReceipt(body);
  if (!namesFruit(body, says, mine.order.name)) return undefined;
  if (runs.has(mine.runId)) return 'reference';
  return receiptDiscrepancies(body, mine.order).length === 0 ? 'content' : undefined;
}

/** The values a receipt states, by label: JSON fields, or `Label: value` lines. */
export interface ReceiptValues {
  item?: string;
  quantity?: number;
  price?: number;
  total?: number;
}

const LABELS: [keyof ReceiptValues, RegExp][] = [
  ['item', /^(item|fruit|name|product)$/],
  ['quantity', /^(quantity|qty|count)$/],
  ['price', /^(unit ?price|price|price each|unit cost)$/],
  ['total', /^(total|total price|amount)$/],
];

/**
 * Reads a receipt as values, not text: a JSON object's fields, or lines
 * such as `Quantity: 3`. Numbers are numbers (`1.50` is 1.5); a label
 * appearing twice with different values leaves it unknown.
 */
export function readReceipt(body: string): ReceiptValues {
  const json = jsonObject(body);
  const pairs: [string, unknown][] = json ? Object.entries(json) : [];
  if (!json)
    for (const line of body.split(/\r?\n/)) {
      const m = /^\s*([A-Za-z][A-Za-z _-]*?)\s*[:=]\s*(.*?)\s*$/.exec(line);
      if (m) pairs.push([m[1]!, m[2]!]);
    }
  const out: ReceiptValues = {};
  const conflicting = new Set<string>();
  for (const [label, raw] of pairs) {
    const name = label
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .replace(/[_-]/g, ' ')
      .toLowerCase()
      .trim();
    const field = LABELS.find(([, re]) => re.test(name))?.[0];
    if (!field) continue;
    const value = field === 'item' ? String(raw).trim() : numberOf(raw);
    if (value === undefined) continue;
    if (field in out && out[field] !== value) conflicting.add(field);
    (out as Record<string, unknown>)[field] = value;
  }
  for (const field of conflicting) delete (out as Record<string, unknown>)[field];
  return out;
}

function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const json = JSON.parse(body) as unknown;
    return json && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function numberOf(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const m = /^[$€£]?\s*(-?\d+(?:\.\d+)?)$/.exec(raw.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * A fruit named as a word of its own: not inside another word ("pineapple" does not name apple). Words are
 * letters and digits of any script, so a name ending in "(gold)" or "í" is still found (`\b` knows ASCII only).
 */
function namesFruit(body: string, says: ReceiptValues, fruit: string): boolean {
  if (says.item !== undefined) return says.item.toLowerCase() === fruit.toLowerCase();
  const name = fruit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${name}(?![\\p{L}\\p{N}_])`, 'iu').test(body);
}

const same = (a: number, b: number) => Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * What a receipt gets wrong about an order, as sentences; empty when it
 * names the fruit and states the quantity, price and total as values.
 */
export function receiptDiscrepancies(body: string, order: Order): string[] {
  const says = readReceipt(body);
  const wrong: string[] = [];
  if (!namesFruit(body, says, order.name))
    wrong.push(`it names ${says.item === undefined ? 'no fruit' : `"${says.item}"`}, not ${order.name}`);
  const expected: [keyof ReceiptValues, number][] = [
    ['quantity', order.quantity],
    ['price', order.price],
    ['total', order.quantity * order.price],
  ];
  for (const [field, want] of expected) {
    const seen = says[field] as number | undefined;
    if (seen === undefined) wrong.push(`it states no ${field} (want ${want})`);
    else if (!same(seen, want)) wrong.push(`its ${field} is ${seen}, not ${want}`);
  }
  return wrong;
}

export interface SearchScope {
  /** Who may list and head objects (the runner). */
  lister: AwsClients;
  /** Who may read receipts (a reader role's session): the runner cannot, by design. */
  reader: AwsClients;
  readerName: string;
  bucket: string;
  prefix: string;
  runId: string;
  /** Keys already taken by another order of this run. */
  claimed: Set<string>;
}

/**
 * The receipt of a published order in a lab that names receipts after what
 * the suite cannot know: the objects under the prefix written since the
 * order was published, read as a reader, the one whose content is this
 * order's (receiptMatch). Each object is read once per run.
 */
export async function waitForReceiptBySearch(
  scope: SearchScope,
  published: Published,
  timeoutMs: number,
): Promise<Receipt> {
  const seen = new Set<string>();
  const found = await eventually<{ key: string; match: Match } | undefined>(
    `the receipt for ${published.order.name} under s3://${scope.bucket}/${scope.prefix}`,
    () => findReceiptBySearch(scope, published, seen),
    {
      timeoutMs,
      minIntervalMs: 250,
      maxIntervalMs: 5_000,
      show: () => `${seen.size} new objects, none this order's`,
      reproduce: `aws s3api list-objects-v2 --bucket ${scope.bucket} --prefix '${scope.prefix}'`,
    },
  );
  const head = await reading(`head s3://${scope.bucket}/${found!.key}`, () =>
    scope.lister.s3.send(new HeadObjectCommand({ Bucket: scope.bucket, Key: found!.key })),
  );
  return {
    key: found!.key,
    matchedBy: found!.match,
    ...(head.VersionId && { versionId: head.VersionId }),
    serverSideEncryption: head.ServerSideEncryption,
    kmsKeyId: head.SSEKMSKeyId,
    bucketKeyEnabled: head.BucketKeyEnabled,
    afterMs: Date.now() - published.publishedAt,
  };
}

/** S3 times are to the second and clocks differ: objects from a little before publishing are candidates. */
const SKEW_MS = 5_000;

async function findReceiptBySearch(
  scope: SearchScope,
  published: Published,
  seen: Set<string>,
): Promise<{ key: string; match: Match } | undefined> {
  let token: string | undefined;
  do {
    const page = await reading(`list s3://${scope.bucket}/${scope.prefix}`, () =>
      scope.lister.s3.send(
        new ListObjectsV2Command({
          Bucket: scope.bucket,
          Prefix: scope.prefix,
          ...(token && { ContinuationToken: token }),
        }),
      ),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key!;
      if (seen.has(key) || scope.claimed.has(key) || key.startsWith('meshcheck/')) continue;
      if ((object.LastModified?.getTime() ?? 0) < published.publishedAt - SKEW_MS) continue;
      seen.add(key);
      const read = await tryReading(scope.reader, scope.bucket, key, scope.readerName);
      if (read.outcome !== 'ok')
        throw new CannotTellError(
          `could not tell which object is the ${published.order.name} receipt: ${scope.readerName} may not read s3://${scope.bucket}/${key} (${read.code})`,
          'denied',
        );
      const match = receiptMatch(read.body, {
        order: published.order,
        messageId: published.messageId,
        runId: scope.runId,
      });
      if (match && !scope.claimed.has(key)) {
        scope.claimed.add(key);
        return { key, match };
      }
    }
    token = page.NextContinuationToken;
  } while (token);
  return undefined;
}
