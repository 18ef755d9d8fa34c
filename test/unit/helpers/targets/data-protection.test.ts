import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CannotTellError } from '../../../../helpers/errors.ts';
import { resolveDataProtection, runnerOf } from '../../../../helpers/targets/data-protection.ts';
import type { ResolvedTargets } from '../../../../helpers/targets/resolve.ts';
import type { Targets } from '../../../../helpers/targets/schema.ts';
import { awsError, mockedClients } from '../support.ts';

/**
 * The data-protection names of targets: keys by alias, the topic and queue
 * by name, roles by name. A name AWS does not know is a targets problem
 * naming the field (exit 2); a look-up the runner may not make is
 * cannot-tell, never "absent".
 */

const kms = mockClient(KMSClient);
const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
const iam = mockClient(IAMClient);
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const keyArn = (alias: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${alias.replace('alias/', 'id-')}`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/lab/${name}`;

const QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders-queue`;

beforeEach(() => {
  kms
    .on(DescribeKeyCommand)
    .callsFake(async ({ KeyId }: { KeyId: string }) => ({ KeyMetadata: { KeyId, Arn: keyArn(KeyId) } }));
  sns.on(GetTopicAttributesCommand).resolves({ Attributes: {} });
  sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: QUEUE_URL });
  iam
    .on(GetRoleCommand)
    .callsFake(async ({ RoleName }: { RoleName: string }) => ({ Role: { Arn: roleArn(RoleName) } }));
});
afterEach(() => {
  for (const m of [kms, sns, sqs, iam]) m.reset();
});

// biome-ignore lint/suspicious/noExplicitAny: fixtures reach into targets as plain data
function targets(dp: any = {}): Targets {
  return {
    region: REGION,
    accounts: { lab: { id: ACCOUNT } },
    dataProtection: {
      topic: 'orders-topic',
      queue: 'orders-queue',
      eventsKey: 'alias/events',
      receiptKey: 'alias/receipts',
      receiptBucket: 'receipts-bucket',
      keys: [],
      readers: [],
      pipelineRoles: [],
      ...dp,
    },
  } as unknown as Targets;
}

function emptyIds(): ResolvedTargets['ids'] {
  return { key: {}, role: {} } as unknown as ResolvedTargets['ids'];
}

async function resolve(t: Targets, ids = emptyIds()) {
  const problems: string[] = [];
  await resolveDataProtection(t, mockedClients(), ids, { lab: ACCOUNT }, problems);
  return { ids, problems };
}

describe('resolveDataProtection', () => {
  test('every name becomes the ARN or URL AWS knows it by', async () => {
    const { ids, problems } = await resolve(
      targets({
        keys: [
          {
            alias: 'alias/extra',
            decrypt: { allow: ['role:Auditor', 'runner'], deny: ['role:Intern'] },
            generateDataKey: { allow: ['role:Writer', 'service:sns.amazonaws.com'], deny: ['role:Guest'] },
          },
        ],
        readers: ['Reader'],
        pipelineRoles: ['Processor'],
      }),
    );
    expect(problems).toEqual([]);
    expect(ids.key).toEqual({
      'alias/events': keyArn('alias/events'),
      'alias/receipts': keyArn('alias/receipts'),
      'alias/extra': keyArn('alias/extra'),
    });
    expect(ids.topicArn).toBe(`arn:aws:sns:${REGION}:${ACCOUNT}:orders-topic`);
    expect(ids.queueUrl).toBe(QUEUE_URL);
    // Roles named in key expectations are resolved too; the runner and services are not roles.
    expect(ids.role).toEqual({
      Reader: roleArn('Reader'),
      Processor: roleArn('Processor'),
      Auditor: roleArn('Auditor'),
      Intern: roleArn('Intern'),
      Writer: roleArn('Writer'),
      Guest: roleArn('Guest'),
    });
    expect(iam.commandCalls(GetRoleCommand).map((c) => c.args[0].input.RoleName)).toEqual([
      'Reader',
      'Processor',
      'Auditor',
      'Intern',
      'Writer',
      'Guest',
    ]);
    expect(sns.commandCalls(GetTopicAttributesCommand)[0]!.args[0].input).toEqual({
      TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:orders-topic`,
    });
    expect(sqs.commandCalls(GetQueueUrlCommand)[0]!.args[0].input).toEqual({ QueueName: 'orders-queue' });
  });

  test('a key or role already resolved is not looked up again', async () => {
    const ids = emptyIds();
    ids.key['alias/events'] = 'arn:known-key';
    ids.role.Reader = 'arn:known-role';
    await resolve(targets({ readers: ['Reader', 'Other'] }), ids);
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input.KeyId)).toEqual([
      'alias/receipts',
    ]);
    expect(iam.commandCalls(GetRoleCommand).map((c) => c.args[0].input.RoleName)).toEqual(['Other']);
    expect(ids.key['alias/events']).toBe('arn:known-key');
    expect(ids.role.Reader).toBe('arn:known-role');
  });

  test('names AWS does not know are problems naming the field, the thing and the account', async () => {
    kms.on(DescribeKeyCommand, { KeyId: 'alias/missing' }).rejects(awsError('NotFoundException', 400));
    sns.on(GetTopicAttributesCommand).rejects(awsError('NotFoundException', 404));
    sqs
      .on(GetQueueUrlCommand)
      .rejects(awsError('QueueDoesNotExist', 400, 'The specified queue does not exist.'));
    iam.on(GetRoleCommand, { RoleName: 'Ghost' }).rejects(awsError('NoSuchEntityException', 404));
    const { ids, problems } = await resolve(
      targets({
        keys: [
          {
            alias: 'alias/missing',
            decrypt: { allow: [], deny: [] },
            generateDataKey: { allow: [], deny: [] },
          },
        ],
        pipelineRoles: ['Ghost'],
      }),
    );
    expect(problems).toEqual([
      `dataProtection.keys[0].alias: no KMS key alias/missing in account ${ACCOUNT} (${REGION})`,
      `dataProtection.topic: no topic orders-topic in account ${ACCOUNT} (${REGION})`,
      `dataProtection.queue: no queue orders-queue in account ${ACCOUNT} (${REGION})`,
      `dataProtection.pipelineRoles[0]: no role Ghost in account ${ACCOUNT} (${REGION})`,
    ]);
    expect(ids.key['alias/missing']).toBeUndefined();
    expect(ids.key['alias/events']).toBe(keyArn('alias/events'));
    expect(ids.topicArn).toBeUndefined();
    expect(ids.queueUrl).toBeUndefined();
    expect(ids.role).toEqual({});
  });

  test('an unknown events or receipt key names its own field', async () => {
    kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException', 400));
    const { problems } = await resolve(targets());
    expect(problems).toEqual([
      `dataProtection.eventsKey: no KMS key alias/events in account ${ACCOUNT} (${REGION})`,
      `dataProtection.receiptKey: no KMS key alias/receipts in account ${ACCOUNT} (${REGION})`,
    ]);
  });

  test('the field of an unknown role names the reader or the key that names it', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntityException', 404));
    const { problems } = await resolve(
      targets({
        readers: ['R'],
        keys: [
          { alias: 'alias/a', decrypt: { allow: [], deny: [] }, generateDataKey: { allow: [], deny: [] } },
          {
            alias: 'alias/b',
            decrypt: { allow: ['role:K'], deny: [] },
            generateDataKey: { allow: [], deny: [] },
          },
        ],
      }),
    );
    expect(problems).toEqual([
      `dataProtection.readers[0]: no role R in account ${ACCOUNT} (${REGION})`,
      `dataProtection.keys[1]: no role K in account ${ACCOUNT} (${REGION})`,
    ]);
  });

  test('a look-up the runner may not make is cannot-tell naming what it looked up, not a problem', async () => {
    kms.on(DescribeKeyCommand).rejects(awsError('AccessDeniedException', 400));
    const error = await resolve(targets()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as CannotTellError).message).toMatch(
      /^could not look up KMS key alias\/events: AccessDenied/,
    );
    expect((error as CannotTellError).kind).toBe('denied');
  });

  test('a throttled role look-up is cannot-tell too', async () => {
    iam.on(GetRoleCommand).rejects(awsError('Throttling', 400));
    const error = await resolve(targets({ readers: ['Reader'] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as CannotTellError).message).toMatch(/^could not look up role Reader: Throttling/);
  });
});

describe('runnerOf', () => {
  const session = `arn:aws:sts::${ACCOUNT}:assumed-role/Operator/run-1`;

  test('a role session is given its role, path included, as IAM has it', async () => {
    iam
      .on(GetRoleCommand, { RoleName: 'Operator' })
      .resolves({ Role: { Arn: roleArn('Operator') } } as never);
    expect(await runnerOf(mockedClients(), session)).toEqual({ arn: session, roleArn: roleArn('Operator') });
  });

  test('a runner that may not read its own role is taken at its word, in its own partition', async () => {
    iam.on(GetRoleCommand).rejects(awsError('AccessDenied', 403));
    const gov = `arn:aws-us-gov:sts::${ACCOUNT}:assumed-role/Operator/run-1`;
    expect(await runnerOf(mockedClients(), gov)).toEqual({
      arn: gov,
      roleArn: `arn:aws-us-gov:iam::${ACCOUNT}:role/Operator`,
    });
  });

  test('a user or the root is itself, with no role and no IAM call', async () => {
    for (const arn of [`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:root`, '']) {
      expect(await runnerOf(mockedClients(), arn)).toEqual({ arn });
    }
    // Not a session: an ARN merely containing one, or a session without its session name.
    for (const arn of [`x${session}`, `arn:aws:sts::${ACCOUNT}:assumed-role/Operator`]) {
      expect(await runnerOf(mockedClients(), arn)).toEqual({ arn });
    }
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(0);
  });
});
