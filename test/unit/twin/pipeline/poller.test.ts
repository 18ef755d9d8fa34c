import { beforeEach, describe, expect, test, vi } from 'vitest';
import { AwsError } from '../../../../twin/core/errors.ts';
import {
  type EventSourceMappingView,
  pipelineStats,
  pollEventSourcesSoon,
  setPipelineSeams,
} from '../../../../twin/pipeline/index.ts';
import type { KeyUse } from '../../../../twin/services/kms/lookups.ts';
import { delay } from '../../../../twin/state/profile.ts';
import { A, type Fixture, fixture, policy } from '../sqs/fixtures.ts';

/**
 * Lambda's SQS event source poller, with Lambda stood in for through the
 * pipeline's seam: mappings are given, invokes are recorded and answer as
 * told. The poll runs as the function's execution role, so the role's
 * policies (and the queue's key) decide whether the function ever runs.
 */
const kms = vi.hoisted(() => ({ refuse: new Set<string>() }));
vi.mock('../../../../twin/services/kms/lookups.ts', () => ({
  useKeyOnBehalf(use: KeyUse) {
    if (kms.refuse.has(`${use.principal.arn} ${use.operation}`))
      throw new AwsError(
        'AccessDeniedException',
        `User: ${use.principal.arn} is not authorized to perform: kms:${use.operation}`,
      );
    return { keyArn: use.keyId, keyId: use.keyId };
  },
}));

const FUNCTION = `arn:aws:lambda:us-east-1:${A}:function:consumer`;
const ROLE = `arn:aws:iam::${A}:role/consumer-role`;
const SESSION = `arn:aws:sts::${A}:assumed-role/consumer-role/consumer`;

let f: Fixture;
let hop: number;
let url: string;
let invokes: { Records: Record<string, unknown>[] }[];
let failNext: number;
let throttleNext: number;
let mapping: EventSourceMappingView;

async function role(...managed: string[]): Promise<void> {
  await f.iam('CreateRole', {
    RoleName: 'consumer-role',
    AssumeRolePolicyDocument: policy({
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
    }),
  });
  for (const name of managed)
    await f.iam('AttachRolePolicy', {
      RoleName: 'consumer-role',
      PolicyArn: `arn:aws:iam::aws:policy/service-role/${name}`,
    });
}

beforeEach(async () => {
  kms.refuse.clear();
  f = fixture();
  hop = delay(f.twin.profile, 'pipelineHopMs');
  invokes = [];
  failNext = 0;
  throttleNext = 0;
  url = (
    await f.sqs<{ QueueUrl: string }>('CreateQueue', {
      QueueName: 'jobs',
      Attributes: { VisibilityTimeout: '30' },
    })
  ).QueueUrl;
  mapping = {
    uuid: 'esm-1',
    functionArn: FUNCTION,
    eventSourceArn: f.queueArn('jobs'),
    batchSize: 10,
    enabled: true,
    roleArn: ROLE,
  };
  setPipelineSeams(f.twin, {
    listEventSourceMappings: () => [mapping],
    invokeFunction: async (_twin, request) => {
      if (throttleNext > 0) {
        throttleNext -= 1;
        throw new AwsError('TooManyRequestsException', 'Rate Exceeded.');
      }
      invokes.push(JSON.parse(request.payload.toString('utf8')));
      if (failNext > 0) {
        failNext -= 1;
        return {
          statusCode: 200,
          functionError: 'Unhandled',
          payload: Buffer.from('{"errorMessage":"boom"}'),
          logTail: '',
        };
      }
      return { statusCode: 200, payload: Buffer.from('null'), logTail: '' };
    },
  });
});

const send = (MessageBody: string, extra: object = {}) =>
  f.sqs('SendMessage', { QueueUrl: url, MessageBody, ...extra });
const remaining = async () =>
  (
    await f.sqs<{ Attributes: Record<string, string> }>('GetQueueAttributes', {
      QueueUrl: url,
      AttributeNames: ['All'],
    })
  ).Attributes;

describe('with AWSLambdaSQSQueueExecutionRole', () => {
  beforeEach(() => role('AWSLambdaSQSQueueExecutionRole'));

  test('a message reaches the function one hop after it is sent, as an aws:sqs record, and is deleted', async () => {
    await send('job-1', { MessageAttributes: { kind: { DataType: 'String', StringValue: 'build' } } });
    await f.advance(hop - 1);
    expect(invokes).toHaveLength(0);
    await f.advance(1);
    expect(invokes).toHaveLength(1);
    expect(invokes[0]!.Records[0]).toMatchObject({
      body: 'job-1',
      eventSource: 'aws:sqs',
      eventSourceARN: f.queueArn('jobs'),
      awsRegion: 'us-east-1',
      md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
      receiptHandle: expect.any(String),
      attributes: { ApproximateReceiveCount: '1', SenderId: A },
      messageAttributes: {
        kind: { stringValue: 'build', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
    });
    expect(await remaining()).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
    expect(pipelineStats(f.twin).mappings['esm-1']).toMatchObject({
      invocations: 1,
      received: 1,
      deleted: 1,
      errors: 0,
    });
  });

  test('batches follow the mapping batch size and the queue drains', async () => {
    mapping.batchSize = 2;
    for (const n of [1, 2, 3]) await send(`m${n}`);
    await f.advance(hop);
    await f.advance(hop);
    expect(invokes.map((i) => i.Records.map((r) => r.body))).toEqual([['m1', 'm2'], ['m3']]);
  });

  test('a function error leaves the batch to come back after the visibility timeout, then it succeeds', async () => {
    failNext = 1;
    await send('flaky');
    await f.advance(hop);
    expect(await remaining()).toMatchObject({ ApproximateNumberOfMessagesNotVisible: '1' });
    await f.advance(29_000);
    expect(invokes).toHaveLength(1);
    await f.advance(1_000);
    expect(invokes).toHaveLength(2);
    expect(invokes[1]!.Records[0]!.attributes).toMatchObject({ ApproximateReceiveCount: '2' });
    expect(await remaining()).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  test('a function error is kept in the stats with the end of its log, after later successes too', async () => {
    failNext = 1;
    await send('flaky');
    await f.advance(hop);
    await f.advance(30_000);
    expect(pipelineStats(f.twin).mappings['esm-1']).toMatchObject({
      errors: 1,
      deleted: 1,
      lastError: { error: 'Error: boom' },
    });
  });

  test('a throttled invocation is retried with backoff while the batch is invisible, not after its timeout', async () => {
    throttleNext = 3;
    await send('busy');
    await f.advance(hop);
    expect(invokes).toHaveLength(0);
    // Waits of 1, 2 and 4 hops, then the function runs: seven hops, well inside the 30 s visibility timeout.
    for (let i = 0; i < 7; i++) await f.advance(hop);
    expect(invokes).toHaveLength(1);
    expect(pipelineStats(f.twin).mappings['esm-1']).toMatchObject({ throttles: 3, errors: 0, deleted: 1 });
    expect(await remaining()).toMatchObject({ ApproximateNumberOfMessagesNotVisible: '0' });
  });

  test('a throttle that outlasts the visibility timeout leaves the batch to come back', async () => {
    throttleNext = 1_000;
    await send('busy');
    await f.advance(hop);
    await f.advance(29_000);
    expect(invokes).toHaveLength(0);
    throttleNext = 0;
    await f.advance(1_000 + hop);
    expect(invokes).toHaveLength(1);
    expect(invokes[0]!.Records[0]!.attributes).toMatchObject({ ApproximateReceiveCount: '2' });
    // The batch given up ran nothing: one invocation, the one that succeeded.
    expect(pipelineStats(f.twin).mappings['esm-1']).toMatchObject({ errors: 1, deleted: 1, invocations: 1 });
  });

  test('after maxReceiveCount failures the message goes to the dead-letter queue', async () => {
    const dlq = (await f.sqs<{ QueueUrl: string }>('CreateQueue', { QueueName: 'jobs-dlq' })).QueueUrl;
    await f.sqs('SetQueueAttributes', {
      QueueUrl: url,
      Attributes: {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: f.queueArn('jobs-dlq'), maxReceiveCount: 2 }),
      },
    });
    failNext = 5;
    await send('poison');
    await f.advance(hop);
    await f.advance(30_000);
    await f.advance(30_000);
    expect(invokes).toHaveLength(2);
    const moved = await f.sqs<{ Messages: { Body: string }[] }>('ReceiveMessage', { QueueUrl: dlq });
    expect(moved.Messages[0]!.Body).toBe('poison');
    expect(pipelineStats(f.twin).mappings['esm-1']).toMatchObject({ invocations: 2, errors: 2, deleted: 0 });
  });

  test('a disabled mapping is not polled', async () => {
    mapping.enabled = false;
    await send('x');
    await f.advance(hop);
    expect(invokes).toHaveLength(0);
  });

  test('a role refused kms:Decrypt on an encrypted queue never runs the function', async () => {
    await f.sqs('SetQueueAttributes', { QueueUrl: url, Attributes: { KmsMasterKeyId: 'alias/jobs' } });
    kms.refuse.add(`${SESSION} Decrypt`);
    await send('secret');
    await f.advance(hop);
    expect(invokes).toHaveLength(0);
    expect(pipelineStats(f.twin).mappings['esm-1']?.lastProblem).toMatch(/^KmsAccessDenied: /);
  });
});

describe('without queue permissions on the role', () => {
  test('the poll is refused, the function never runs, and polling resumes once the role is fixed', async () => {
    await role();
    await send('waiting');
    await f.advance(hop);
    expect(invokes).toHaveLength(0);
    expect(pipelineStats(f.twin).mappings['esm-1']?.lastProblem).toBe(
      `AccessDenied: User: ${SESSION} is not authorized to perform: sqs:receivemessage on resource: ${f.queueArn('jobs')} because no identity-based policy allows the sqs:receivemessage action`,
    );
    await f.iam('AttachRolePolicy', {
      RoleName: 'consumer-role',
      PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
    });
    await f.advance(20 * hop);
    expect(invokes).toHaveLength(1);
    expect(pipelineStats(f.twin).mappings['esm-1']?.lastProblem).toBeUndefined();
  });

  test('a role that may receive but not delete runs the function, and the message comes back', async () => {
    await role();
    await f.iam('PutRolePolicy', {
      RoleName: 'consumer-role',
      PolicyName: 'receive-only',
      PolicyDocument: policy({ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: '*' }),
    });
    await send('sticky');
    await f.advance(hop);
    expect(invokes).toHaveLength(1);
    expect(pipelineStats(f.twin).mappings['esm-1']?.lastProblem).toMatch(/sqs:deletemessage/);
    expect(await remaining()).toMatchObject({ ApproximateNumberOfMessagesNotVisible: '1' });
  });
});

describe('mappings made after the messages', () => {
  test('the sweep finds messages waiting when a mapping becomes enabled later', async () => {
    await role('AWSLambdaSQSQueueExecutionRole');
    mapping.enabled = false;
    await send('early');
    await f.advance(hop);
    mapping.enabled = true;
    expect(invokes).toHaveLength(0);
    await f.advance(20 * hop);
    expect(invokes).toHaveLength(1);
  });

  test('pollEventSourcesSoon picks up messages already waiting', async () => {
    await role('AWSLambdaSQSQueueExecutionRole');
    mapping.enabled = false;
    await send('early');
    await f.advance(hop);
    mapping.enabled = true;
    pollEventSourcesSoon(f.twin);
    await f.advance(hop);
    expect(invokes).toHaveLength(1);
  });
});
