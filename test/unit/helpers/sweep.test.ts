import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, test } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { recordForSweep, sweepReceipts } from '../../../helpers/sweep.ts';

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
    const swept = await sweepReceipts(clients, { olderThanMs: 0, buckets: ['b'] });
    expect(swept.map((s) => s.id)).toEqual(['s3://b/receipts/a.txt']);
    const again = await sweepReceipts(clients, { olderThanMs: 0 });
    expect(again.map((s) => s.id)).toEqual(['s3://elsewhere/receipts/z.txt']);
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

  test('a receipt already gone is not an error', async ({ expect }) => {
    s3.on(DeleteObjectCommand).rejects(
      Object.assign(new Error('gone'), { name: 'NoSuchKey', $metadata: {} }),
    );
    await recordForSweep({ bucket: 'b', key: 'receipts/a.txt' }, 'mc-20260301-aaaaaa');
    expect(await sweepReceipts(clients, { runId: 'mc-20260301-aaaaaa' })).toHaveLength(1);
  });
});
