import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  S3Client,
} from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, test } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { BlockedError, CannotTellError } from '../../../helpers/errors.ts';
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

/** Who made an S3 call: the access key of the client that sent it (each assumed role gets its own). */
async function caller(getClient: () => { config: { credentials: unknown } }): Promise<string> {
  const credentials = getClient().config.credentials as () => Promise<{ accessKeyId: string }>;
  return (await credentials()).accessKeyId;
}
const READER = 'arn:aws:iam::111111111111:role/Finance';
const SEARCH_RUN = 'mc-20260301-eeeeee';
const AUDITOR = 'arn:aws:iam::111111111111:role/Audit';

describe('OrderTrails: who reads, and what each stage waits on', () => {
  beforeEach(() => {
    sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => ({
      Credentials: {
        AccessKeyId: `key-of-${input.RoleArn.split('/').pop()}`,
        SecretAccessKey: 's',
        SessionToken: 't',
        Expiration: new Date(),
      },
    }));
  });

  test('each reader reads the receipt in its own role’s session, in the order targets name them', async ({
    expect,
  }) => {
    s3.on(HeadObjectCommand).resolves({ VersionId: 'v1' });
    s3.on(GetObjectCommand).callsFake(async (_input, getClient) => {
      const who = await caller(getClient as never);
      if (who === 'key-of-Finance') return { Body: { transformToString: async () => 'Item: apple' } };
      throw denied();
    });
    const trails = new OrderTrails(
      pipeline({
        readers: [
          { role: 'Finance', arn: READER },
          { role: 'Audit', arn: AUDITOR },
        ],
      }),
    );
    const reads = await trails.of(apple).asReaders;
    expect(reads).toEqual([
      { role: 'Finance', read: { outcome: 'ok', body: 'Item: apple' } },
      { role: 'Audit', read: { outcome: 'denied', code: 'AccessDenied', message: 'no' } },
    ]);
    expect(await trails.of(apple).asRunner).toMatchObject({ outcome: 'denied' });
    expect(
      sts
        .commandCalls(AssumeRoleCommand)
        .map((c) => c.args[0].input.RoleArn)
        .sort(),
    ).toEqual([AUDITOR, READER, ROLE]);
  });

  test('an order asked for twice is published once; every trail is listed', async ({ expect }) => {
    s3.on(HeadObjectCommand).resolves({});
    const trails = new OrderTrails(pipeline());
    const first = trails.of(apple);
    expect(trails.of({ ...apple })).toBe(first);
    trails.of({ name: 'kiwi', quantity: 1, price: 2 });
    expect(trails.all()).toHaveLength(2);
    // Every stage ended, so that no session is still being made when the next test counts its own.
    await Promise.allSettled(trails.all().flatMap((t) => [t.receipt, t.asRunner, t.asReaders]));
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  test('the receipt found is recorded with its version for the sweep', async ({ expect }) => {
    s3.on(HeadObjectCommand).resolves({ VersionId: 'v7' });
    await new OrderTrails(pipeline({ runId: 'mc-20260301-dddddd' })).of(apple).receipt;
    const ledger = await readFile(
      join(process.env.MESHCHECK_LEDGER_DIR!, 'mc-20260301-dddddd.jsonl'),
      'utf8',
    );
    expect(
      ledger
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toMatchObject([
      { bucket: 'b', key: 'receipts/m1.txt' },
      { bucket: 'b', key: 'receipts/m1.txt', versionId: 'v7' },
    ]);
  });

  test('a receipt the suite could not look for blocks the reads as cannot-tell, not as "no receipt"', async ({
    expect,
  }) => {
    s3.on(HeadObjectCommand).rejects(denied());
    const trail = new OrderTrails(pipeline()).of(apple);
    const read = await trail.asReaders.catch((e) => e);
    expect(read).toBeInstanceOf(BlockedError);
    expect(read.message).toBe('blocked: could not tell whether apple got a receipt — see D7 apple');
  });

  test('receipts found by search: nothing is recorded before one is found, and it is read as the first reader', async ({
    expect,
  }) => {
    const now = new Date(Date.now() + 1_000);
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'out/apple-42.txt', LastModified: now }] });
    s3.on(GetObjectCommand).callsFake(async (_input, getClient) => {
      const who = await caller(getClient as never);
      if (who === 'key-of-Finance')
        return { Body: { transformToString: async () => `apple, run ${SEARCH_RUN}` } };
      throw denied();
    });
    s3.on(HeadObjectCommand).resolves({ VersionId: 'v3' });
    const trails = new OrderTrails(
      pipeline({
        runId: SEARCH_RUN,
        naming: { searchPrefix: 'out/' },
        readers: [
          { role: 'Finance', arn: READER },
          { role: 'Audit', arn: AUDITOR },
        ],
      }),
    );
    const trail = trails.of(apple);
    await trail.published;
    const ledger = join(process.env.MESHCHECK_LEDGER_DIR!, `${SEARCH_RUN}.jsonl`);
    expect(await readFile(ledger, 'utf8').catch(() => 'no ledger')).toBe('no ledger');
    const receipt = await trail.receipt;
    expect(receipt).toMatchObject({ key: 'out/apple-42.txt', matchedBy: 'reference', versionId: 'v3' });
    expect(s3.commandCalls(ListObjectsV2Command)[0]!.args[0].input).toMatchObject({
      Bucket: 'b',
      Prefix: 'out/',
    });
    const after = await readFile(ledger, 'utf8');
    expect(
      after
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toMatchObject([{ bucket: 'b', key: 'out/apple-42.txt', versionId: 'v3' }]);
    // Another order of the run cannot take the same receipt.
    const kiwi = trails.of({ ...apple, name: 'apple-again' });
    await expect(kiwi.receipt).rejects.toThrow(/the receipt for apple-again/);
  });

  test('receipts found by search with no reader named is cannot-tell saying so', async ({ expect }) => {
    const trail = new OrderTrails(pipeline({ naming: { searchPrefix: 'out/' }, readers: [] })).of(apple);
    const error = await trail.receipt.catch((e) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error.message).toBe('receipts found by search need a reader in dataProtection.readers');
  });

  test('reader sessions are made once for all orders', async ({ expect }) => {
    s3.on(HeadObjectCommand).resolves({});
    s3.on(GetObjectCommand).rejects(denied());
    const trails = new OrderTrails(pipeline({ readers: [{ role: 'Finance', arn: READER }] }));
    await trails.of(apple).asReaders;
    await trails.of({ name: 'kiwi', quantity: 1, price: 2 }).asReaders;
    await trails.runnerSession();
    await trails.runnerSession();
    expect(
      sts
        .commandCalls(AssumeRoleCommand)
        .map((c) => c.args[0].input.RoleArn)
        .sort(),
    ).toEqual([READER, ROLE]);
  });
});

describe('OrderTrails.runnerRefusals: the control D10 looks for', () => {
  test('with no order out there is nothing to look for: cannot-tell', async ({ expect }) => {
    const error = await new OrderTrails(pipeline()).runnerRefusals().catch((e) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error).not.toBeInstanceOf(BlockedError);
  });

  test('reads that could not be made are cannot-tell naming why, each', async ({ expect }) => {
    s3.on(HeadObjectCommand).resolves({});
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('slow down'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }),
    );
    const trails = new OrderTrails(pipeline());
    trails.of(apple);
    trails.of({ name: 'kiwi', quantity: 1, price: 2 });
    const error = await trails.runnerRefusals().catch((e) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error).not.toBeInstanceOf(BlockedError);
    expect(error.message).toMatch(
      /^the runner's reads of the receipts could not be made: could not read s3:\/\/b\/receipts\/m1\.txt as the runner: SlowDown.*; could not read/,
    );
  });

  test('one order without a receipt and one whose read failed is cannot-tell, not blocked', async ({
    expect,
  }) => {
    s3.on(HeadObjectCommand, { Key: 'receipts/m1.txt' }).resolves({});
    s3.on(HeadObjectCommand, { Key: 'receipts/m2.txt' }).rejects(
      new NoSuchKey({ message: 'no', $metadata: {} }),
    );
    sns.on(PublishCommand).resolvesOnce({ MessageId: 'm1' }).resolves({ MessageId: 'm2' });
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('slow down'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }),
    );
    const trails = new OrderTrails(pipeline());
    trails.of(apple);
    trails.of({ name: 'kiwi', quantity: 1, price: 2 });
    const error = await trails.runnerRefusals().catch((e) => e);
    expect(error).not.toBeInstanceOf(BlockedError);
    expect(error.message).toContain('blocked: no receipt for kiwi — see D7 kiwi');
  });

  test('one refused read is the control even when another order’s receipt never came', async ({ expect }) => {
    s3.on(HeadObjectCommand, { Key: 'receipts/m1.txt' }).resolves({});
    s3.on(HeadObjectCommand, { Key: 'receipts/m2.txt' }).rejects(
      new NoSuchKey({ message: 'no', $metadata: {} }),
    );
    sns.on(PublishCommand).resolvesOnce({ MessageId: 'm1' }).resolves({ MessageId: 'm2' });
    s3.on(GetObjectCommand).rejects(denied());
    const trails = new OrderTrails(pipeline());
    trails.of(apple);
    trails.of({ name: 'kiwi', quantity: 1, price: 2 });
    expect((await trails.runnerRefusals()).map((r) => r.key)).toEqual(['receipts/m1.txt']);
  });
});

describe('the runner’s own session', () => {
  test('named after the run, cut to 64 characters, in the role’s partition, whatever the role’s path', async ({
    expect,
  }) => {
    const longRun = `mc-20260301-a1b2c3-${'x'.repeat(60)}`;
    const roleArn = 'arn:aws-cn:iam::222222222222:role/ci/deploy/Runner';
    const session = await new OrderTrails(
      pipeline({
        runId: longRun,
        runner: { arn: 'arn:aws-cn:sts::222222222222:assumed-role/Runner/ci', roleArn },
      }),
    ).runnerSession();
    const name = `meshcheck-${longRun}`.slice(0, 64);
    expect(session.sessionArn).toBe(`arn:aws-cn:sts::222222222222:assumed-role/Runner/${name}`);
    expect(session.why).toBeUndefined();
    const already = `arn:aws-cn:sts::222222222222:assumed-role/Runner/${name}`;
    const own = await new OrderTrails(
      pipeline({ runId: longRun, runner: { arn: already, roleArn } }),
    ).runnerSession();
    expect(own).toEqual({ clients, sessionArn: already });
  });

  test('a session name that only ends like the run’s is not the run’s session', async ({ expect }) => {
    const session = await new OrderTrails(
      pipeline({
        runner: { arn: `arn:aws:sts::111111111111:assumed-role/Runner/xmeshcheck-${RUN}`, roleArn: ROLE },
      }),
    ).runnerSession();
    expect(session.sessionArn).toBe(`arn:aws:sts::111111111111:assumed-role/Runner/meshcheck-${RUN}`);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  test('a user runner reads as itself, saying why there is no run session', async ({ expect }) => {
    const session = await new OrderTrails(
      pipeline({ runner: { arn: 'arn:aws:iam::111111111111:user/ci' } }),
    ).runnerSession();
    expect(session).toEqual({
      clients,
      why: 'the runner arn:aws:iam::111111111111:user/ci is not a role session',
    });
  });

  test('an assume that fails for another reason than a denial is not hidden', async ({ expect }) => {
    sts
      .on(AssumeRoleCommand)
      .rejects(Object.assign(new Error('rate'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    const error = await new OrderTrails(pipeline()).runnerSession().catch((e) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error.message).toMatch(/^could not assume arn:aws:iam::111111111111:role\/Runner: Throttling/);
  });

  test('a denied assume says which role may not assume itself', async ({ expect }) => {
    sts.on(AssumeRoleCommand).rejects(denied());
    const session = await new OrderTrails(pipeline()).runnerSession();
    expect(session.clients).toBe(clients);
    expect(session.why).toMatch(
      /^arn:aws:iam::111111111111:role\/Runner may not assume itself \(could not assume/,
    );
  });
});
