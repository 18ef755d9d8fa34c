import { promises as dns } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { connect, type Socket } from 'node:net';
import {
  type AttributeValue,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import pRetry from 'p-retry';
import type { Attempt, AttemptResult, ProbeEvent, ProbeReport, ScalarAttribute } from './attempts.ts';
import { readFailure } from './classify.ts';

/**
 * meshcheck's reach probe: a Lambda function the suite deploys into lab
 * subnets. It tries what it is told (S3, STS, DynamoDB, an internet host,
 * a DNS name) and reports what happened. It times the TCP connect apart
 * from the answer: in a VPC a call with no network path is a connect that
 * never completes (`timeout`, evidence, not a verdict), while a slow
 * service has accepted the connection and is given more time.
 */
// The bundled SDK warns about Node versions on first use; the warning would crowd the log tail the report shows.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function handler(event: ProbeEvent): Promise<ProbeReport> {
  const bounds: Bounds = {
    connectMs: event.timeoutMs ?? 3_000,
    answerMs: event.answerTimeoutMs ?? 2_000,
  };
  const attempts = event.attempts ?? [];
  const versions = new Map<string, string>();
  const results = new Map<Attempt, AttemptResult>();
  const lanes = new Map<string, Attempt[]>();
  for (const attempt of attempts)
    lanes.set(attempt.lane ?? attempt.name, [...(lanes.get(attempt.lane ?? attempt.name) ?? []), attempt]);
  await Promise.all(
    [...lanes.values()].map(async (lane) => {
      for (const attempt of lane) {
        const result = await run(attempt, bounds, versions);
        results.set(attempt, result);
        console.log(
          JSON.stringify({
            attempt: attempt.name,
            outcome: result.outcome,
            latencyMs: result.latencyMs,
            connectMs: result.connectMs,
            tries: result.tries,
          }),
        );
      }
    }),
  );
  return {
    probe: 'meshcheck-s3-reach',
    region: process.env.AWS_REGION,
    results: attempts.map((a) => results.get(a)!),
  };
}

/** How long a connect may take (then: no path), and the first wait for an answer once connected. */
interface Bounds {
  connectMs: number;
  answerMs: number;
}

/** A failed try, with whether its connection had opened. */
class Failed extends Error {
  constructor(
    readonly thrown: unknown,
    readonly connected: boolean,
  ) {
    super((thrown as Error)?.message ?? String(thrown));
  }
}

/** Slow answers get three tries (2, 4, 8 s with the default bound); hiccups five. */
const SLOW_TRIES = 3;
const TRIES = 5;

async function run(attempt: Attempt, bounds: Bounds, versions: Map<string, string>): Promise<AttemptResult> {
  const started = Date.now();
  const base = { name: attempt.name, kind: attempt.kind };
  let tries = 0;
  let connected = false;
  let connectMs: number | undefined;
  try {
    // The SDK's own retries would also repeat timeouts; only the probe decides what is worth another try.
    const found = await pRetry(
      async (n) => {
        tries = n;
        const watch = new ConnectWatch();
        const answerMs = bounds.answerMs * 2 ** (n - 1);
        try {
          return await withTimeout(
            perform(attempt, { connectMs: bounds.connectMs, answerMs, watch }, versions),
            bounds.connectMs + answerMs + 500,
          );
        } catch (error) {
          throw new Failed(error, watch.connected);
        } finally {
          connected ||= watch.connected;
          connectMs = watch.connectMs ?? connectMs;
        }
      },
      {
        retries: TRIES - 1,
        minTimeout: 50,
        maxTimeout: 200,
        shouldRetry: ({ error, attemptNumber }) => {
          const f = error as Failed;
          const failure = readFailure(f.thrown, f.connected);
          return failure.retry && (failure.errorCode !== 'SlowAnswer' || attemptNumber < SLOW_TRIES);
        },
      },
    );
    return {
      ...base,
      outcome: 'ok',
      latencyMs: Date.now() - started,
      connected,
      tries,
      ...found,
      ...(connectMs !== undefined && { connectMs }),
    };
  } catch (error) {
    const f = error instanceof Failed ? error : new Failed(error, false);
    const { outcome, errorCode, retry } = readFailure(f.thrown, f.connected);
    return {
      ...base,
      outcome,
      errorCode,
      ...(retry && { unsettled: true }),
      message: (f.thrown as Error)?.message?.slice(0, 300),
      latencyMs: Date.now() - started,
      connected,
      tries,
      ...(connectMs !== undefined && { connectMs }),
    };
  }
}

/**
 * Agents that note when their TCP connection opens ('connect' fires at the
 * end of the handshake, before TLS), so a timeout can be read as "no
 * path" (never connected) or "slow answer" (connected).
 */
class ConnectWatch {
  connected = false;
  connectMs: number | undefined;
  private readonly started = Date.now();
  readonly httpAgent = this.watch(new HttpAgent({ keepAlive: false }));
  readonly httpsAgent = this.watch(new HttpsAgent({ keepAlive: false }));

  private watch<A extends HttpAgent>(agent: A): A {
    const open = agent as unknown as { createConnection: (...args: unknown[]) => Socket };
    const create = open.createConnection.bind(agent);
    open.createConnection = (...args: unknown[]) => {
      const socket = create(...args);
      socket.once('connect', () => {
        this.connected = true;
        this.connectMs = Date.now() - this.started;
      });
      return socket;
    };
    return agent;
  }
}

const handlerFor = (b: { connectMs: number; answerMs: number; watch: ConnectWatch }) =>
  new NodeHttpHandler({
    connectionTimeout: b.connectMs,
    // Counted from the request's start, so it includes the connect.
    requestTimeout: b.connectMs + b.answerMs,
    throwOnRequestTimeout: true,
    httpAgent: b.watch.httpAgent,
    httpsAgent: b.watch.httpsAgent,
  });

/** `versions` remembers what each PutObject made, so a delete in a versioned bucket removes it for good. */
async function perform(
  attempt: Attempt,
  bounds: { connectMs: number; answerMs: number; watch: ConnectWatch },
  versions: Map<string, string>,
): Promise<Partial<AttemptResult>> {
  const common = { maxAttempts: 1, requestHandler: handlerFor(bounds) };
  switch (attempt.kind) {
    case 's3': {
      const s3 = new S3Client({ ...common, ...(attempt.region && { region: attempt.region }) });
      if (attempt.operation === 'ListObjectsV2') {
        const out = await s3.send(new ListObjectsV2Command({ Bucket: attempt.bucket, MaxKeys: 5 }));
        return { detail: `${out.KeyCount ?? 0} keys` };
      }
      if (attempt.operation === 'PutObject') {
        const out = await s3.send(
          new PutObjectCommand({ Bucket: attempt.bucket, Key: attempt.key, Body: attempt.body ?? '' }),
        );
        if (out.VersionId) versions.set(`${attempt.bucket}/${attempt.key}`, out.VersionId);
        return out.VersionId ? { detail: `version ${out.VersionId}` } : {};
      }
      if (attempt.operation === 'GetObject') {
        const out = await s3.send(new GetObjectCommand({ Bucket: attempt.bucket, Key: attempt.key }));
        return { detail: (await out.Body!.transformToString()).slice(0, 200) };
      }
      const VersionId = versions.get(`${attempt.bucket}/${attempt.key}`);
      await s3.send(
        new DeleteObjectCommand({
          Bucket: attempt.bucket,
          Key: attempt.key,
          ...(VersionId && { VersionId }),
        }),
      );
      return {};
    }
    case 'sts': {
      const me = await new STSClient(common).send(new GetCallerIdentityCommand({}));
      return { detail: me.Arn };
    }
    case 'dynamodb':
      return tryDynamoDb(new DynamoDBClient(common), attempt);
    case 'dns': {
      const answers = await dns.lookup(attempt.hostname, { all: true, family: 4 });
      return { addresses: answers.map((a) => a.address) };
    }
    case 'internet':
      return reachTcp(attempt.host, attempt.port ?? 443, bounds);
    case 'tcp':
      return reachTcp(attempt.host, attempt.port, bounds);
    default:
      // An attempt this probe does not know (a suite newer than the probe) did nothing: never `ok`.
      throw Object.assign(
        new Error(`this probe does not know attempts of kind ${(attempt as Attempt).kind}`),
        {
          code: 'UnknownAttempt',
        },
      );
  }
}

async function tryDynamoDb(
  client: DynamoDBClient,
  attempt: Extract<Attempt, { kind: 'dynamodb' }>,
): Promise<Partial<AttemptResult>> {
  const TableName = attempt.table;
  const item = toItem(attempt.item ?? {});
  switch (attempt.operation ?? 'ListTables') {
    case 'ListTables': {
      const out = await client.send(new ListTablesCommand({ Limit: 10 }));
      return { detail: `${out.TableNames?.length ?? 0} tables` };
    }
    case 'PutItem':
      await client.send(new PutItemCommand({ TableName, Item: item }));
      return {};
    case 'GetItem': {
      // Strongly consistent, so the item this probe has just put is read back (DynamoDB Developer Guide,
      // "Read consistency": an eventually consistent read might not reflect a write just completed).
      const out = await client.send(new GetItemCommand({ TableName, Key: item, ConsistentRead: true }));
      return { detail: out.Item ? JSON.stringify(fromItem(out.Item)).slice(0, 200) : 'no item' };
    }
    case 'DeleteItem':
      await client.send(new DeleteItemCommand({ TableName, Key: item }));
      return {};
  }
}

/** The attempt's JSON attributes as the SDK takes them (binary values as bytes). */
function toItem(item: Record<string, ScalarAttribute>): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(item).map(([k, v]) => [k, 'B' in v ? { B: Buffer.from(v.B, 'base64') } : v]),
  );
}

/** An item read back, in the attempt's JSON (scalars only; anything else is named by its type). */
function fromItem(item: Record<string, AttributeValue>): Record<string, ScalarAttribute | string> {
  return Object.fromEntries(
    Object.entries(item).map(([k, v]) => {
      if (v.S !== undefined) return [k, { S: v.S }];
      if (v.N !== undefined) return [k, { N: v.N }];
      if (v.B !== undefined) return [k, { B: Buffer.from(v.B).toString('base64') }];
      return [k, Object.keys(v).join('')];
    }),
  );
}

function reachTcp(
  host: string,
  port: number,
  bounds: { connectMs: number; watch: ConnectWatch },
): Promise<Partial<AttemptResult>> {
  const timeoutMs = bounds.connectMs;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      bounds.watch.connected = true;
      socket.destroy();
      resolve({ detail: `connected to ${host}:${port}` });
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(
        Object.assign(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`), {
          code: 'ETIMEDOUT',
        }),
      );
    });
    socket.once('error', reject);
  });
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(Object.assign(new Error(`gave up after ${ms} ms`), { name: 'TimeoutError' })),
      ms,
    );
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
