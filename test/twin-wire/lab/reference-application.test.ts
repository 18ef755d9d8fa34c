import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { type AwsClients, clientsFor } from '../../../helpers/clients.ts';
import { LAB_ACCOUNT, REGION } from '../../../lab/reference/accounts.ts';
import { referenceLab } from '../../../lab/reference/index.ts';
import type { Credential } from '../../../twin/core/principal.ts';
import { serve, type TwinServer } from '../../../twin/server.ts';
import { rootCredential } from '../../../twin/twin.ts';

/**
 * The reference lab's own proof that its application works as seed 000's
 * "Test Lambda" step says, independent of the suite: EventWriterLambda,
 * invoked with `{}` through the SDK, puts one AppEvents item and uploads the
 * same item as `logs/event-<EventID>.json` to cloud-app-data, and Lambda logs
 * the invocation to /aws/lambda/EventWriterLambda.
 */
let server: TwinServer;
let lab: AwsClients;
let runner: AwsClients;
beforeAll(async () => {
  let runnerKeys: Credential | undefined;
  server = await serve({
    build: async (origin) => {
      const built = await referenceLab({ origin });
      runnerKeys = built.runner;
      return built.twin;
    },
  });
  const as = (c: Credential) =>
    clientsFor({
      region: REGION,
      endpoint: server.endpoint,
      credentials: {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken && { sessionToken: c.sessionToken }),
      },
    });
  lab = as(rootCredential(LAB_ACCOUNT));
  runner = as(runnerKeys!);
}, 120_000);
afterAll(() => server?.close());

const items = async () => (await lab.dynamodb.send(new ScanCommand({ TableName: 'AppEvents' }))).Items ?? [];
const objects = async () =>
  (await lab.s3.send(new ListObjectsV2Command({ Bucket: 'cloud-app-data', Prefix: 'logs/' }))).Contents ?? [];

describe('the reference lab’s event writer', () => {
  test('one invoke writes one item and the same item as one object, and logs its REPORT line', {
    timeout: 60_000,
  }, async ({ expect }) => {
    expect(await items(), 'the table starts empty').toEqual([]);
    // The object the operator's refused read is tried on (targets: operators[].liveTry) lies elsewhere.
    const before = (await objects()).map((o) => o.Key);
    expect(before).toEqual([]);

    const sent = Date.now();
    const out = await lab.lambda.send(
      new InvokeCommand({ FunctionName: 'EventWriterLambda', Payload: new TextEncoder().encode('{}') }),
    );
    const returned = Date.now();
    const payload = JSON.parse(new TextDecoder().decode(out.Payload));
    expect(out.FunctionError, JSON.stringify(payload)).toBeUndefined();
    expect(payload).toEqual({
      statusCode: 200,
      body: JSON.stringify('Event written to DynamoDB and uploaded to S3!'),
    });

    const written = await items();
    expect(written).toHaveLength(1);
    const item = written[0]!;
    const eventId = item.EventID!.S!;
    // Python's str(datetime.utcnow().timestamp()): epoch seconds with a fraction, taken during the invoke.
    expect(eventId).toMatch(/^\d{10}\.\d+$/);
    expect(Number(eventId) * 1000).toBeGreaterThanOrEqual(Math.floor(sent / 1000) * 1000);
    expect(Number(eventId) * 1000).toBeLessThanOrEqual(returned);
    const at = Date.parse(item.Timestamp!.S!);
    expect(item.Timestamp!.S).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(at).toBeGreaterThanOrEqual(sent - 1000);
    expect(at).toBeLessThanOrEqual(returned);
    expect(item.Message).toEqual({ S: 'Test Event' });

    const listed = (await objects()).map((o) => o.Key).filter((k) => !before.includes(k));
    expect(listed).toEqual([`logs/event-${eventId}.json`]);
    const object = await lab.s3.send(
      new GetObjectCommand({ Bucket: 'cloud-app-data', Key: `logs/event-${eventId}.json` }),
    );
    // The body is the seed's json.dumps(item), separators and all.
    expect(await object.Body!.transformToString()).toBe(
      `{"EventID": "${eventId}", "Timestamp": "${item.Timestamp!.S}", "Message": "Test Event"}`,
    );
    expect(object.ServerSideEncryption, 'the bucket’s default encryption').toBe('AES256');

    const { events } = await lab.logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/lambda/EventWriterLambda', filterPattern: 'REPORT' }),
    );
    expect(events?.map((e) => e.message?.split('\t')[0]?.trim())).toEqual([
      `REPORT RequestId: ${out.$metadata.requestId}`,
    ]);
  });

  test('LabOperatorRole, assumed by the runner, may describe the table and list the bucket, and IAM refuses it a read', async ({
    expect,
  }) => {
    const { Credentials: c } = await runner.sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${LAB_ACCOUNT}:role/LabOperatorRole`,
        RoleSessionName: 'operator-proof',
      }),
    );
    const operator = clientsFor({
      region: REGION,
      endpoint: server.endpoint,
      credentials: {
        accessKeyId: c!.AccessKeyId!,
        secretAccessKey: c!.SecretAccessKey!,
        sessionToken: c!.SessionToken!,
      },
    });
    await expect(
      operator.dynamodb.send(new DescribeTableCommand({ TableName: 'AppEvents' })),
    ).resolves.toMatchObject({ Table: { TableStatus: 'ACTIVE' } });
    const { Contents } = await operator.s3.send(
      new ListObjectsV2Command({ Bucket: 'cloud-app-data', Prefix: 'operator/' }),
    );
    expect(Contents?.map((o) => o.Key)).toEqual(['operator/meshcheck-operator-try.json']);
    await expect(
      operator.s3.send(
        new GetObjectCommand({ Bucket: 'cloud-app-data', Key: 'operator/meshcheck-operator-try.json' }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
