import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ServiceDefinition } from '../../../../twin/core/service.ts';
import { iam } from '../../../../twin/services/iam/api.ts';
import { invokeFunction, listEventSourceMappings } from '../../../../twin/services/lambda/lookups.ts';
import { sqs } from '../../../../twin/services/sqs/api.ts';
import { functionInput, type LambdaLab, lambdaLab } from './fixtures.ts';

/**
 * SQS event source mappings: their states on the clock, the checks Lambda
 * makes of the queue and the role, and what the SQS poller reads and calls
 * (lookups.ts).
 */
let lab: LambdaLab;
let queueArn: string;
let reader: string;

beforeAll(async () => {
  lab = await lambdaLab();
  const { QueueUrl } = await lab.callService<{ QueueUrl: string }>(
    sqs as ServiceDefinition<unknown>,
    'CreateQueue',
    {
      QueueName: 'orders',
    },
  );
  const attrs = await lab.callService<{ Attributes: Record<string, string> }>(
    sqs as ServiceDefinition<unknown>,
    'GetQueueAttributes',
    {
      QueueUrl,
      AttributeNames: ['QueueArn'],
    },
  );
  queueArn = attrs.Attributes.QueueArn!;
  const role = await lab.callService<{ Role: { Arn: string } }>(
    iam as ServiceDefinition<unknown>,
    'CreateRole',
    {
      RoleName: 'queue-reader',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    },
  );
  await lab.callService(iam as ServiceDefinition<unknown>, 'AttachRolePolicy', {
    RoleName: 'queue-reader',
    PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
  });
  reader = role.Role.Arn;
  await lab.call('CreateFunction', functionInput('consumer', reader));
  await lab.call('CreateFunction', functionInput('bare-consumer', lab.bareRole));
  await lab.advance(lab.activation());
});
afterAll(() => lab.twin.dispose());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: { code: string; message: string }) => e,
  );

describe('a mapping’s life', () => {
  let uuid: string;

  test('Creating, then Enabled once the clock has moved; the poller sees it only when Enabled', async () => {
    const created = await lab.call<{ UUID: string; State: string; BatchSize: number }>(
      'CreateEventSourceMapping',
      {
        EventSourceArn: queueArn,
        FunctionName: 'consumer',
        BatchSize: 5,
      },
    );
    uuid = created.UUID;
    expect(created).toMatchObject({ State: 'Creating', BatchSize: 5 });
    expect(listEventSourceMappings(lab.twin)).toEqual([
      expect.objectContaining({
        uuid,
        state: 'Creating',
        enabled: false,
        eventSourceArn: queueArn,
        roleArn: reader,
      }),
    ]);
    await lab.advance(lab.activation());
    expect(await lab.call('GetEventSourceMapping', { UUID: uuid })).toMatchObject({ State: 'Enabled' });
    expect(listEventSourceMappings(lab.twin)[0]).toMatchObject({
      state: 'Enabled',
      enabled: true,
      batchSize: 5,
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:consumer',
    });
  });

  test('an update passes through Updating; disabling stops the poller', async () => {
    const updated = await lab.call('UpdateEventSourceMapping', { UUID: uuid, Enabled: false });
    expect(updated).toMatchObject({ State: 'Updating' });
    const busy = await failure(lab.call('DeleteEventSourceMapping', { UUID: uuid }));
    expect(busy?.code).toBe('ResourceInUseException');
    await lab.advance(lab.activation());
    expect(listEventSourceMappings(lab.twin)[0]).toMatchObject({ state: 'Disabled', enabled: false });
  });

  test('ListEventSourceMappings by function, and DeleteEventSourceMapping answers Deleting', async () => {
    const listed = await lab.call<{ EventSourceMappings: { UUID: string }[] }>('ListEventSourceMappings', {
      FunctionName: 'consumer',
    });
    expect(listed.EventSourceMappings.map((m) => m.UUID)).toEqual([uuid]);
    expect(await lab.call('DeleteEventSourceMapping', { UUID: uuid })).toMatchObject({ State: 'Deleting' });
    expect(await failure(lab.call('GetEventSourceMapping', { UUID: uuid }))).toMatchObject({
      code: 'ResourceNotFoundException',
    });
  });
});

describe('what Lambda checks', () => {
  test.for([
    [
      'a queue that does not exist',
      'consumer',
      'arn:aws:sqs:us-east-1:123456789012:missing',
      {},
      /NonExistentQueue/,
    ],
    [
      'a role that may not read the queue',
      'bare-consumer',
      undefined,
      {},
      /^The function execution role does not have permissions to call ReceiveMessage on SQS$/,
    ],
    [
      'a batch over 10 without a batching window',
      'consumer',
      undefined,
      { BatchSize: 20 },
      /^Maximum batch window in seconds must be greater than 0/,
    ],
  ] as const)('refuses %s', async ([, fn, arn, extra, message]) => {
    const err = await failure(
      lab.call('CreateEventSourceMapping', { EventSourceArn: arn ?? queueArn, FunctionName: fn, ...extra }),
    );
    expect(err?.code).toBe('InvalidParameterValueException');
    expect(err?.message).toMatch(message);
  });
});

describe('invoking for the poller', () => {
  test('invokeFunction runs the function and returns its response and log tail', async () => {
    const result = await invokeFunction(lab.twin, {
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:consumer',
      payload: Buffer.from(JSON.stringify({ name: 'queue' })),
      invocationType: 'RequestResponse',
    });
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.payload.toString())).toEqual({ hello: 'queue' });
    expect(Buffer.from(result.logTail, 'base64').toString()).toMatch(/^START RequestId: /);
  });

  test('a function that is gone is ResourceNotFoundException', async () => {
    const err = await failure(
      invokeFunction(lab.twin, {
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:gone',
        payload: Buffer.from('{}'),
        invocationType: 'RequestResponse',
      }),
    );
    expect(err).toMatchObject({ code: 'ResourceNotFoundException' });
  });
});
