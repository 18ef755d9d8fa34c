import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, test } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { BlockedError } from '../../../helpers/errors.ts';
import { OrderTrails, type Pipeline } from '../../../helpers/order-trails.ts';

const creds = { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const sts = mockClient(STSClient);
const clients = {
  s3: new S3Client(creds),
  sns: new SNSClient(creds),
  sts: new STSClient(creds),
} as unknown as AwsClients;
const RUN = 'mc-20260301-a1b2c3';
const ROLE = 'arn:aws:iam::111111111111:role/Runner';
const apple = { name: 'apple', quantity: 3, price: 1.2 };
const denied = () =>
  Object.assign(new Error('no'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });

const pipeline = (over: Partial<Pipeline> = {}): Pipeline => ({
  clients,
  region: 'us-east-1',
  runId: RUN,
  topicArn: 'arn:aws:sns:us-east-1:111111111111:t',
  bucket: 'b',
  naming: { template: 'receipts/{messageId}.txt' },
  receiptTimeoutMs: 400,
  runner: { arn: 'arn:aws:sts::111111111111:assumed-role/Runner/ci', roleArn: ROLE },
  readers: [],
  ...over,
});

beforeAll(async () => {
  process.env.MESHCHECK_LEDGER_DIR = await mkdtemp(join(tmpdir(), 'meshcheck-ledger-test-'));
});
beforeEach(() => {
  s3.reset();
  sns.reset();
  sts.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm1' });
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date() },
  });
});

describe('OrderTrails: one broken stage is one failure', () => {
  test('no receipt: the runner’s read and the refusal control are blocked by D7, at once', async ({
    expect,
  }) => {
    s3.on(HeadObjectCommand).rejects(new NoSuchKey({ message: 'no', $metadata: {} }));
    const trails = new OrderTrails(pipeline());
    const trail = trails.of(apple);
    const read = await trail.asRunner.catch((e) => e);
    expect(read).toBeInstanceOf(BlockedError);
    expect(read.message).toBe('blocked: no receipt for apple — see D7 apple');
    const started = Date.now();
    const control = await trails.runnerRefusals().catch((e) => e);
    expect(control).toBeInstanceOf(BlockedError);
    expect(control.by).toBe('D7');
    expect(Date.now() - started, 'no wait past the receipt bound').toBeLessThan(1_000);
  });

  test('a computed receipt key is recorded for the sweep as soon as its order is out', async ({ expect }) => {
    s3.on(HeadObjectCommand).rejects(new NoSuchKey({ message: 'no', $metadata: {} }));
    await new OrderTrails(pipeline({ runId: 'mc-20260301-cccccc' })).of(apple).published;
    const ledger = await readFile(
      join(process.env.MESHCHECK_LEDGER_DIR!, 'mc-20260301-cccccc.jsonl'),
      'utf8',
    );
    expect(JSON.parse(ledger)).toMatchObject({ bucket: 'b', key: 'receipts/m1.txt' });
  });

  test('the runner read the receipt: the refusal control is blocked by D8', async ({ expect }) => {
    s3.on(HeadObjectCommand).resolves({ ServerSideEncryption: 'aws:kms' });
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => 'Item: apple' } as never });
    const trails = new OrderTrails(pipeline());
    trails.of(apple);
    const control = await trails.runnerRefusals().catch((e) => e);
    expect(control).toBeInstanceOf(BlockedError);
    expect(control.by).toBe('D8');
  });

  test('the runner is refused in a session named after the run, which is the control', async ({ expect }) => {
    s3.on(HeadObjectCommand).resolves({ ServerSideEncryption: 'aws:kms', BucketKeyEnabled: true });
    s3.on(GetObjectCommand).rejects(denied());
    const trails = new OrderTrails(pipeline());
    trails.of(apple);
    const refused = await trails.runnerRefusals();
    expect(refused.map((r) => r.key)).toEqual(['receipts/m1.txt']);
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toMatchObject({
      RoleArn: ROLE,
      RoleSessionName: `meshcheck-${RUN}`,
    });
    expect((await trails.runnerSession()).sessionArn).toBe(
      `arn:aws:sts::111111111111:assumed-role/Runner/meshcheck-${RUN}`,
    );
  });

  test('a runner already in the run’s session reads as itself; one whose role does not trust itself says why', async ({
    expect,
  }) => {
    const own = `arn:aws:sts::111111111111:assumed-role/Runner/meshcheck-${RUN}`;
    expect(
      (await new OrderTrails(pipeline({ runner: { arn: own, roleArn: ROLE } })).runnerSession()).sessionArn,
    ).toBe(own);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    sts.on(AssumeRoleCommand).rejects(denied());
    const session = await new OrderTrails(pipeline()).runnerSession();
    expect(session.sessionArn).toBeUndefined();
    expect(session.why).toContain(`${ROLE} may not assume itself`);
    const user = await new OrderTrails(
      pipeline({ runner: { arn: 'arn:aws:iam::111111111111:user/ci' } }),
    ).runnerSession();
    expect(user.why).toContain('is not a role session');
  });
});
