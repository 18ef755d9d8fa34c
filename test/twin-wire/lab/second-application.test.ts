import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { type AwsClients, clientsFor } from '../../../helpers/clients.ts';
import { EVENTS_TABLE, eventsBucket, RECORDER } from '../../../lab/second/application.ts';
import { buildSecondLab, runnerSession, SECOND_LAB_REGION } from '../../../lab/second/index.ts';
import { serve, type TwinServer } from '../../../twin/server.ts';
import { rootCredential, Twin } from '../../../twin/twin.ts';

/**
 * The second lab's own proof that its event recorder works, independent of
 * the suite: invoked with a note, it books one entry (numeric sort key) in
 * its KMS-encrypted table and uploads the same entry, SSE-KMS, under
 * `events/`; and its runner, under the owner's edit of the shipped policy,
 * may invoke it and read back what it wrote, as S10–S12 will.
 */
let server: TwinServer;
let admin: AwsClients;
let runner: AwsClients;
let accountId: string;
beforeAll(async () => {
  server = await serve({ build: (origin) => new Twin({ origin }) });
  accountId = server.twin.accounts[0]!;
  const root = rootCredential(accountId);
  const keys = { accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey };
  const { runnerRoleArn, ciBot } = await buildSecondLab(server.endpoint, accountId, keys);
  const as = (credentials: typeof keys) =>
    clientsFor({ region: SECOND_LAB_REGION, endpoint: server.endpoint, credentials });
  admin = as(keys);
  runner = as(await runnerSession(server.endpoint, ciBot, runnerRoleArn));
}, 120_000);
afterAll(() => server?.close());

describe('the second lab’s event recorder', () => {
  test('invoked by the runner, books one entry and uploads it encrypted under its key; the runner reads both back', {
    timeout: 60_000,
  }, async ({ expect }) => {
    const bucket = eventsBucket(accountId);
    const { Table } = await admin.dynamodb.send(new DescribeTableCommand({ TableName: EVENTS_TABLE }));
    expect(Table?.SSEDescription).toMatchObject({ Status: 'ENABLED', SSEType: 'KMS' });

    const sent = Math.floor(Date.now() / 1000);
    const out = await runner.lambda.send(
      new InvokeCommand({
        FunctionName: RECORDER,
        Payload: new TextEncoder().encode(JSON.stringify({ note: 'nightly conformance' })),
      }),
    );
    const payload = JSON.parse(new TextDecoder().decode(out.Payload));
    expect(out.FunctionError, JSON.stringify(payload)).toBeUndefined();

    const { Items } = await runner.dynamodb.send(new ScanCommand({ TableName: EVENTS_TABLE }));
    expect(Items).toHaveLength(1);
    const entry = Items![0]!;
    expect(payload).toEqual({ booked: entry.entryId!.S });
    expect(Number(entry.bookedAt!.N)).toBeGreaterThanOrEqual(sent);
    expect(entry.note).toEqual({ S: 'nightly conformance' });

    const { Contents } = await runner.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'events/' }),
    );
    expect(Contents?.map((c) => c.Key)).toEqual([`events/${entry.entryId!.S}.json`]);
    const object = await runner.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: `events/${entry.entryId!.S}.json` }),
    );
    expect(object.ServerSideEncryption).toBe('aws:kms');
    expect(JSON.parse(await object.Body!.transformToString())).toEqual({
      entryId: entry.entryId!.S,
      bookedAt: Number(entry.bookedAt!.N),
      note: 'nightly conformance',
    });
  });
});
