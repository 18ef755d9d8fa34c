import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteFunctionCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListTagsCommand,
} from '@aws-sdk/client-lambda';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, test, vi } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import {
  recordForSweep,
  sweepAll,
  sweepObjects,
  sweepProbes,
  sweepReceipts,
} from '../../../helpers/sweep.ts';
import type { Targets } from '../../../helpers/targets/index.ts';

const s3 = mockClient(S3Client);
const clients = {
  s3: new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
} as unknown as AwsClients;

beforeEach(async () => {
  s3.reset();
  s3.on(DeleteObjectCommand).resolves({});
  process.env.MESHCHECK_LEDGER_DIR = await mkdtemp(join(tmpdir(), 'meshcheck-ledger-test-'));
});

describe('sweepReceipts: the receipts a run caused, and no other run’s', () => {
  test('a run removes exactly the receipts it recorded, version and all, and forgets them', async ({
    expect,
  }) => {
    await recordForSweep({ bucket: 'b', key: 'receipts/a.txt', versionId: 'v1' }, 'mc-20260301-aaaaaa');
    await recordForSweep({ bucket: 'b', key: 'receipts/b.txt' }, 'mc-20260301-aaaaaa');
    await recordForSweep({ bucket: 'b', key: 'receipts/c.txt' }, 'mc-20260301-bbbbbb');
    const swept = await sweepReceipts(clients, { runId: 'mc-20260301-aaaaaa' });
    expect(swept.map((s) => s.id)).toEqual(['s3://b/receipts/a.txt#v1', 's3://b/receipts/b.txt']);
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'b', Key: 'receipts/a.txt', VersionId: 'v1' },
      { Bucket: 'b', Key: 'receipts/b.txt' },
    ]);
    expect(await readdir(process.env.MESHCHECK_LEDGER_DIR!)).toEqual(['mc-20260301-bbbbbb.jsonl']);
  });

  test('cleanup spares a run younger than the bound and removes a crashed older one', async ({ expect }) => {
    await recordForSweep({ bucket: 'b', key: 'receipts/c.txt' }, 'mc-20260301-bbbbbb');
    expect(await sweepReceipts(clients, { olderThanMs: 3_600_000 })).toEqual([]);
    const swept = await sweepReceipts(clients, { olderThanMs: 0 });
    expect(swept).toEqual([{ kind: 's3-receipt', id: 's3://b/receipts/c.txt', runId: 'mc-20260301-bbbbbb' }]);
  });

  test('another lab’s receipts stay in the ledger for its own cleanup', async ({ expect }) => {
    await recordForSweep({ bucket: 'b', key: 'receipts/a.txt' }, 'mc-20260301-aaaaaa');
    await recordForSweep({ bucket: 'elsewhere', key: 'receipts/z.txt' }, 'mc-20260301-aaaaaa');
    await recordForSweep({ bucket: 'elsewhere', key: 'receipts/y.txt' }, 'mc-20260301-aaaaaa');
    const swept = await sweepReceipts(clients, { olderThanMs: 0, buckets: ['b'] });
    expect(swept.map((s) => s.id)).toEqual(['s3://b/receipts/a.txt']);
    const again = await sweepReceipts(clients, { olderThanMs: 0 });
    expect(again.map((s) => s.id)).toEqual([
      's3://elsewhere/receipts/z.txt',
      's3://elsewhere/receipts/y.txt',
    ]);
  });

  test('a key recorded when its order went out and again when found is deleted once, by version', async ({
    expect,
  }) => {
    await recordForSweep({ bucket: 'b', key: 'receipts/a.txt' }, 'mc-20260301-aaaaaa');
    await recordForSweep({ bucket: 'b', key: 'receipts/a.txt', versionId: 'v1' }, 'mc-20260301-aaaaaa');
    await recordForSweep({ bucket: 'b', key: 'receipts/never-found.txt' }, 'mc-20260301-aaaaaa');
    await recordForSweep({ bucket: 'b', key: 'receipts/never-found.txt' }, 'mc-20260301-aaaaaa');
    const swept = await sweepReceipts(clients, { runId: 'mc-20260301-aaaaaa' });
    expect(swept.map((s) => s.id)).toEqual(['s3://b/receipts/a.txt#v1', 's3://b/receipts/never-found.txt']);
  });

  test('no ledger on this machine yet is nothing to sweep; other files beside the ledgers are left alone', async ({
    expect,
  }) => {
    process.env.MESHCHECK_LEDGER_DIR = join(process.env.MESHCHECK_LEDGER_DIR!, 'not-made-yet');
    expect(await sweepReceipts(clients)).toEqual([]);
    await recordForSweep({ bucket: 'b', key: 'receipts/a.txt' }, 'mc-20260301-aaaaaa');
    await writeFile(join(process.env.MESHCHECK_LEDGER_DIR, 'notes.txt'), 'not a ledger');
    expect((await sweepReceipts(clients)).map((s) => s.runId)).toEqual(['mc-20260301-aaaaaa']);
    expect(await readdir(process.env.MESHCHECK_LEDGER_DIR)).toEqual(['notes.txt']);
  });

  test('a run that recorded a receipt within the bound is still going: none of its receipts are swept', async ({
    expect,
  }) => {
    const file = join(process.env.MESHCHECK_LEDGER_DIR!, 'mc-20260301-aaaaaa.jsonl');
    await writeFile(
      file,
      `${JSON.stringify({ bucket: 'b', key: 'old', recordedAt: Date.now() - 7_200_000 })}\n${JSON.stringify({ bucket: 'b', key: 'new', recordedAt: Date.now() })}\n`,
    );
    expect(await sweepReceipts(clients, { olderThanMs: 3_600_000 })).toEqual([]);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  test('a delete the runner may not make is not swallowed', async ({ expect }) => {
    s3.on(DeleteObjectCommand).rejects(
      Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
    await recordForSweep({ bucket: 'b', key: 'receipts/a.txt' }, 'mc-20260301-aaaaaa');
    await expect(sweepReceipts(clients, { runId: 'mc-20260301-aaaaaa' })).rejects.toThrow('denied');
  });

  test('a crashed run whose every receipt is older than the bound is swept (the bound itself is old enough)', async ({
    expect,
  }) => {
    const file = join(process.env.MESHCHECK_LEDGER_DIR!, 'mc-20260301-aaaaaa.jsonl');
    const now = Date.now();
    await writeFile(
      file,
      `${JSON.stringify({ bucket: 'b', key: 'old', recordedAt: now - 7_200_000 })}\n${JSON.stringify({ bucket: 'b', key: 'edge', recordedAt: now - 3_600_000 })}\n`,
    );
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
    try {
      const swept = await sweepReceipts(clients, { olderThanMs: 3_600_000 });
      expect(swept.map((s) => s.id)).toEqual(['s3://b/old', 's3://b/edge']);
    } finally {
      vi.useRealTimers();
    }
  });

  test('two versions of one key are two deletes', async ({ expect }) => {
    await recordForSweep({ bucket: 'b', key: 'receipts/a.txt', versionId: 'v1' }, 'mc-20260301-aaaaaa');
    await recordForSweep({ bucket: 'b', key: 'receipts/a.txt', versionId: 'v2' }, 'mc-20260301-aaaaaa');
    const swept = await sweepReceipts(clients, { runId: 'mc-20260301-aaaaaa' });
    expect(swept.map((s) => s.id)).toEqual(['s3://b/receipts/a.txt#v1', 's3://b/receipts/a.txt#v2']);
  });

  test('a receipt already gone is not an error', async ({ expect }) => {
    s3.on(DeleteObjectCommand).rejects(
      Object.assign(new Error('gone'), { name: 'NoSuchKey', $metadata: {} }),
    );
    await recordForSweep({ bucket: 'b', key: 'receipts/a.txt' }, 'mc-20260301-aaaaaa');
    expect(await sweepReceipts(clients, { runId: 'mc-20260301-aaaaaa' })).toHaveLength(1);
  });
});

describe('sweepProbes: the probe functions a run created, by its tag', () => {
  const lambda = mockClient(LambdaClient);
  const lambdaClients = { lambda: new LambdaClient({ region: 'us-east-1' }) } as unknown as AwsClients;
  const fn = (name: string, lastModified?: string) => ({
    FunctionName: name,
    FunctionArn: `arn:aws:lambda:us-east-1:111122223333:function:${name}`,
    ...(lastModified && { LastModified: lastModified }),
  });
  const tagged = (arn: string, tags: Record<string, string>) => {
    lambda.on(ListTagsCommand, { Resource: arn }).resolves({ Tags: tags });
  };
  beforeEach(() => {
    lambda.reset();
    lambda.on(DeleteFunctionCommand).resolves({});
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:00:00.000Z'));
  });
  afterEach(() => vi.useRealTimers());

  test('deletes every page’s functions tagged with the run, and only those', async ({ expect }) => {
    lambda
      .on(ListFunctionsCommand)
      .resolvesOnce({ Functions: [fn('meshcheck-r1-prod'), fn('orders-processor')], NextMarker: 'm2' })
      .resolvesOnce({
        Functions: [
          fn('meshcheck-r1-dev'),
          fn('meshcheck-r2-dev'),
          fn('meshcheck-untagged'),
          fn('meshcheck-no-tags'),
          { FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:nameless' },
        ],
        NextMarker: 'm3',
      })
      .resolvesOnce({});
    tagged(fn('meshcheck-r1-prod').FunctionArn, { 'meshcheck:run': 'r1' });
    tagged(fn('orders-processor').FunctionArn, { 'meshcheck:run': 'r1' });
    tagged(fn('meshcheck-r1-dev').FunctionArn, { 'meshcheck:run': 'r1' });
    tagged(fn('meshcheck-r2-dev').FunctionArn, { 'meshcheck:run': 'r2' });
    tagged(fn('meshcheck-untagged').FunctionArn, { team: 'x' });
    lambda.on(ListTagsCommand, { Resource: fn('meshcheck-no-tags').FunctionArn }).resolves({});

    const swept = await sweepProbes(lambdaClients, { runId: 'r1' });

    expect(swept).toEqual([
      { kind: 'lambda-function', id: 'meshcheck-r1-prod', runId: 'r1' },
      { kind: 'lambda-function', id: 'meshcheck-r1-dev', runId: 'r1' },
    ]);
    expect(lambda.commandCalls(ListFunctionsCommand).map((c) => c.args[0].input)).toEqual([
      {},
      { Marker: 'm2' },
      { Marker: 'm3' },
    ]);
    expect(lambda.commandCalls(DeleteFunctionCommand).map((c) => c.args[0].input)).toEqual([
      { FunctionName: 'meshcheck-r1-prod' },
      { FunctionName: 'meshcheck-r1-dev' },
    ]);
    // A function not named by the suite is never even asked about.
    expect(lambda.commandCalls(ListTagsCommand).map((c) => c.args[0].input.Resource)).not.toContain(
      fn('orders-processor').FunctionArn,
    );
  });

  test('without a run id, every run’s tagged probe goes; a function without an ARN is left alone', async ({
    expect,
  }) => {
    lambda.on(ListFunctionsCommand).resolves({
      Functions: [fn('meshcheck-r1-prod'), fn('meshcheck-r2-dev'), { FunctionName: 'meshcheck-no-arn' }],
    });
    tagged(fn('meshcheck-r1-prod').FunctionArn, { 'meshcheck:run': 'r1' });
    tagged(fn('meshcheck-r2-dev').FunctionArn, { 'meshcheck:run': 'r2' });
    lambda
      .on(ListTagsCommand, { Resource: undefined })
      .rejects(new Error('asked about a function with no ARN'));

    const swept = await sweepProbes(lambdaClients);

    expect(swept.map((s) => [s.id, s.runId])).toEqual([
      ['meshcheck-r1-prod', 'r1'],
      ['meshcheck-r2-dev', 'r2'],
    ]);
  });

  test('cleanup spares a probe younger than the bound (the bound itself is old enough)', async ({
    expect,
  }) => {
    lambda.on(ListFunctionsCommand).resolves({
      Functions: [
        fn('meshcheck-r1-young', '2026-03-01T11:59:59.001Z'),
        fn('meshcheck-r1-edge', '2026-03-01T11:59:59.000Z'),
        fn('meshcheck-r1-old', '2026-03-01T10:00:00.000Z'),
        fn('meshcheck-r1-undated'),
      ],
    });
    for (const name of ['young', 'edge', 'old', 'undated'])
      tagged(fn(`meshcheck-r1-${name}`).FunctionArn, { 'meshcheck:run': 'r1' });

    const swept = await sweepProbes(lambdaClients, { olderThanMs: 1_000 });

    expect(swept.map((s) => s.id)).toEqual(['meshcheck-r1-edge', 'meshcheck-r1-old', 'meshcheck-r1-undated']);
  });
});

describe('sweepObjects: every version of the run-scoped objects under meshcheck/<run>/', () => {
  beforeEach(() => {
    s3.on(DeleteObjectsCommand).resolves({});
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:00:00.000Z'));
  });
  afterEach(() => vi.useRealTimers());

  test('one run’s objects and delete markers, page after page, deleted by version', async ({ expect }) => {
    s3.on(ListObjectVersionsCommand)
      .resolvesOnce({
        Versions: [{ Key: 'meshcheck/r1/probe.txt', VersionId: 'v1' }],
        DeleteMarkers: [{ Key: 'meshcheck/r1/probe.txt', VersionId: 'v2' }],
        NextKeyMarker: 'meshcheck/r1/probe.txt',
        NextVersionIdMarker: 'v2',
      })
      .resolvesOnce({ Versions: [{ Key: 'meshcheck/r1/d6.txt', VersionId: 'v3' }] });

    const swept = await sweepObjects(clients, 'lab-bucket', { runId: 'r1' });

    expect(s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'lab-bucket', Prefix: 'meshcheck/r1/' },
      {
        Bucket: 'lab-bucket',
        Prefix: 'meshcheck/r1/',
        KeyMarker: 'meshcheck/r1/probe.txt',
        VersionIdMarker: 'v2',
      },
    ]);
    expect(s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: 'lab-bucket',
        Delete: {
          Objects: [
            { Key: 'meshcheck/r1/probe.txt', VersionId: 'v1' },
            { Key: 'meshcheck/r1/probe.txt', VersionId: 'v2' },
          ],
          Quiet: true,
        },
      },
      {
        Bucket: 'lab-bucket',
        Delete: { Objects: [{ Key: 'meshcheck/r1/d6.txt', VersionId: 'v3' }], Quiet: true },
      },
    ]);
    expect(swept).toEqual([
      { kind: 's3-object', id: 's3://lab-bucket/meshcheck/r1/probe.txt#v1', runId: 'r1' },
      { kind: 's3-object', id: 's3://lab-bucket/meshcheck/r1/probe.txt#v2', runId: 'r1' },
      { kind: 's3-object', id: 's3://lab-bucket/meshcheck/r1/d6.txt#v3', runId: 'r1' },
    ]);
  });

  test('a key marker with no version marker pages on by key alone', async ({ expect }) => {
    s3.on(ListObjectVersionsCommand).resolvesOnce({ NextKeyMarker: 'meshcheck/r1/a' }).resolvesOnce({});
    await sweepObjects(clients, 'b', { runId: 'r1' });
    expect(s3.commandCalls(ListObjectVersionsCommand)[1]!.args[0].input).toEqual({
      Bucket: 'b',
      Prefix: 'meshcheck/r1/',
      KeyMarker: 'meshcheck/r1/a',
    });
  });

  test('cleanup looks under every run, names each object’s run, spares the young', async ({ expect }) => {
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [
        { Key: 'meshcheck/r1/a', VersionId: 'v1', LastModified: new Date('2026-03-01T11:59:59.001Z') },
        { Key: 'meshcheck/r2/b', VersionId: 'v2', LastModified: new Date('2026-03-01T11:59:59.000Z') },
        { Key: 'meshcheck/r3/c', VersionId: 'v3' },
      ],
    });

    const swept = await sweepObjects(clients, 'b', { olderThanMs: 1_000 });

    expect(s3.commandCalls(ListObjectVersionsCommand)[0]!.args[0].input.Prefix).toBe('meshcheck/');
    expect(swept.map((s) => [s.id, s.runId])).toEqual([
      ['s3://b/meshcheck/r2/b#v2', 'r2'],
      ['s3://b/meshcheck/r3/c#v3', 'r3'],
    ]);
  });

  test('nothing to remove sends no delete', async ({ expect }) => {
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [{ Key: 'meshcheck/r1/a', VersionId: 'v1', LastModified: new Date('2026-03-01T11:59:00Z') }],
    });
    expect(await sweepObjects(clients, 'b', { olderThanMs: 3_600_000 })).toEqual([]);
    expect(await sweepObjects(clients, 'b')).toHaveLength(1);
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(1);
  });
});

describe('sweepAll: probes, run-scoped objects in each bucket once, and the receipts the run recorded', () => {
  const lambda = mockClient(LambdaClient);
  const both = {
    s3: clients.s3,
    lambda: new LambdaClient({ region: 'us-east-1' }),
  } as unknown as AwsClients;
  beforeEach(() => {
    lambda.reset();
    s3.on(DeleteObjectsCommand).resolves({});
    s3.on(ListObjectVersionsCommand).callsFake((input: { Bucket: string; Prefix: string }) => ({
      Versions: [{ Key: `${input.Prefix}x`, VersionId: `in-${input.Bucket}` }],
    }));
    lambda
      .on(ListFunctionsCommand)
      .resolves({ Functions: [{ FunctionName: 'meshcheck-r1-p', FunctionArn: 'arn:p' }] });
    lambda.on(ListTagsCommand).resolves({ Tags: { 'meshcheck:run': 'r1' } });
    lambda.on(DeleteFunctionCommand).resolves({});
  });

  test('a lab with a probe and a receipt bucket', async ({ expect }) => {
    await recordForSweep({ bucket: 'receipts', key: 'receipts/kiwi.txt', versionId: 'v9' }, 'r1');
    await recordForSweep({ bucket: 'other-lab', key: 'receipts/pear.txt' }, 'r1');
    await recordForSweep({ bucket: 'receipts', key: 'receipts/fig.txt' }, 'r2');
    const targets = {
      endpoints: { probe: { bucket: 'probe-bucket' } },
      dataProtection: { receiptBucket: 'receipts' },
    } as unknown as Targets;

    const swept = await sweepAll(both, targets, { runId: 'r1' });

    expect(swept.map((s) => s.id)).toEqual([
      'meshcheck-r1-p',
      's3://probe-bucket/meshcheck/r1/x#in-probe-bucket',
      's3://receipts/meshcheck/r1/x#in-receipts',
      's3://receipts/receipts/kiwi.txt#v9',
    ]);
  });

  test('one bucket named twice is swept once; no probe in targets, no Lambda call', async ({ expect }) => {
    const targets = {
      endpoints: {},
      dataProtection: { receiptBucket: 'shared' },
    } as unknown as Targets;
    const probeSameBucket = {
      endpoints: { probe: { bucket: 'shared' } },
      dataProtection: { receiptBucket: 'shared' },
    } as unknown as Targets;

    expect((await sweepAll(both, targets, { runId: 'r1' })).map((s) => s.id)).toEqual([
      's3://shared/meshcheck/r1/x#in-shared',
    ]);
    expect(lambda.calls()).toHaveLength(0);
    s3.resetHistory();
    await sweepAll(both, probeSameBucket, { runId: 'r1' });
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(1);
  });

  test('a lab with neither sweeps nothing', async ({ expect }) => {
    await recordForSweep({ bucket: 'receipts', key: 'k' }, 'r1');
    expect(await sweepAll(both, {} as Targets, { runId: 'r1' })).toEqual([]);
    expect(s3.calls()).toHaveLength(0);
  });
});
