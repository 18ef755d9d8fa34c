import { promises as dns } from 'node:dns';
import { connect } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
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
import type { Attempt, AttemptResult, ProbeEvent, ProbeReport } from './attempts.ts';
import { classify, isServiceHiccup } from './classify.ts';

/**
 * meshcheck's reach probe: a Lambda function the suite deploys into lab
 * subnets. It tries what it is told (S3, STS, DynamoDB, an internet host,
 * a DNS name), each with a short timeout, and reports what happened. A call
 * with no network path hangs in a VPC; the timeout turns that into
 * `timeout`, which is evidence, not a verdict.
 */
// The bundled SDK warns about Node versions on first use; the warning would crowd the log tail the report shows.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function handler(event: ProbeEvent): Promise<ProbeReport> {
  const timeoutMs = event.timeoutMs ?? 3_000;
  const attempts = event.attempts ?? [];
  const versions = new Map<string, string>();
  const results = new Map<Attempt, AttemptResult>();
  const lanes = new Map<string, Attempt[]>();
  for (const attempt of attempts)
    lanes.set(attempt.lane ?? attempt.name, [...(lanes.get(attempt.lane ?? attempt.name) ?? []), attempt]);
  await Promise.all(
    [...lanes.values()].map(async (lane) => {
      for (const attempt of lane) {
        const result = await run(attempt, timeoutMs, versions);
        results.set(attempt, result);
        console.log(
          JSON.stringify({ attempt: attempt.name, outcome: result.outcome, latencyMs: result.latencyMs }),
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

async function run(
  attempt: Attempt,
  timeoutMs: number,
  versions: Map<string, string>,
): Promise<AttemptResult> {
  const started = Date.now();
  const base = { name: attempt.name, kind: attempt.kind };
  try {
    // The SDK's own retries would also repeat timeouts, tripling the wait on a missing path;
    // only a service's 5xx or throttling is worth another try.
    const found = await pRetry(() => withTimeout(perform(attempt, timeoutMs, versions), timeoutMs + 500), {
      retries: 4,
      minTimeout: 50,
      maxTimeout: 200,
      shouldRetry: ({ error }) => isServiceHiccup(error),
    });
    return { ...base, outcome: 'ok', latencyMs: Date.now() - started, ...found };
  } catch (error) {
    const { outcome, errorCode } = classify(error);
    return {
      ...base,
      outcome,
      errorCode,
      message: (error as Error).message?.slice(0, 300),
      latencyMs: Date.now() - started,
    };
  }
}

const handlerFor = (timeoutMs: number) =>
  new NodeHttpHandler({
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    throwOnRequestTimeout: true,
  });

/** `versions` remembers what each PutObject made, so a delete in a versioned bucket removes it for good. */
async function perform(
  attempt: Attempt,
  timeoutMs: number,
  versions: Map<string, string>,
): Promise<Partial<AttemptResult>> {
  const common = { maxAttempts: 1, requestHandler: handlerFor(timeoutMs) };
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
    case 'dynamodb': {
      const out = await new DynamoDBClient(common).send(new ListTablesCommand({ Limit: 10 }));
      return { detail: `${out.TableNames?.length ?? 0} tables` };
    }
    case 'dns': {
      const answers = await dns.lookup(attempt.hostname, { all: true, family: 4 });
      return { addresses: answers.map((a) => a.address) };
    }
    case 'internet':
      return reachTcp(attempt.host, attempt.port ?? 443, timeoutMs);
  }
}

function reachTcp(host: string, port: number, timeoutMs: number): Promise<Partial<AttemptResult>> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
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
