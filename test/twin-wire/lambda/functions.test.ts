import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';
import { executionRole, zipOf } from './support.ts';

/**
 * Functions through the unchanged Lambda client: Pending → Active on the
 * twin's clock and the SDK waiter, invocation results and errors, updates.
 */
let twin: TestTwin;
let lambda: LambdaClient;
let iam: IAMClient;
let roleArn: string;
const clock = new ManualClock(Date.now());
const activation = () => delay(twin.server.twin.profile, 'lambdaActivationMs');

const ECHO = zipOf({
  'index.mjs': `export const handler = async (event, context) => {
    console.log('event', JSON.stringify(event));
    if (event.fail) throw new TypeError('asked to fail');
    return { echo: event, requestId: context.awsRequestId, fn: context.functionName };
  };`,
});

async function createActive(
  name: string,
  extra: Partial<ConstructorParameters<typeof CreateFunctionCommand>[0]> = {},
) {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: roleArn,
      Code: { ZipFile: ECHO },
      ...extra,
    }),
  );
  clock.advance(activation());
}

const invokeJson = async (name: string, event: unknown, logType?: 'Tail') => {
  const out = await lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: logType }),
  );
  return {
    ...out,
    json: JSON.parse(Buffer.from(out.Payload ?? []).toString()),
    log: Buffer.from(out.LogResult ?? '', 'base64').toString(),
  };
};

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  lambda = new LambdaClient(twin.clientConfig());
  iam = new IAMClient(twin.clientConfig());
  roleArn = await executionRole(iam, 'echo-role', { managed: ['AWSLambdaBasicExecutionRole'] });
});
afterAll(() => twin.close());

describe('the function lifecycle', () => {
  test('a new function is Pending, Invoke conflicts, and the waiter returns once the clock passes activation', async () => {
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'lifecycle',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: roleArn,
        Code: { ZipFile: ECHO },
      }),
    );
    expect(created).toMatchObject({
      State: 'Pending',
      StateReasonCode: 'Creating',
      Version: '$LATEST',
      CodeSize: ECHO.length,
    });
    const early = await lambda.send(new InvokeCommand({ FunctionName: 'lifecycle' })).catch((e) => e);
    expect(early).toBeInstanceOf(ResourceConflictException);
    expect(early.message).toBe(
      'The operation cannot be performed at this time. The function is currently in the following state: Pending',
    );
    const waiting = waitUntilFunctionActiveV2(
      { client: lambda, maxWaitTime: 20, minDelay: 1, maxDelay: 1 },
      { FunctionName: 'lifecycle' },
    );
    setTimeout(() => clock.advance(activation()), 200);
    expect((await waiting).state).toBe('SUCCESS');
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'lifecycle' }));
    expect(got.Configuration).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(got.Code?.RepositoryType).toBe('S3');
  });

  test('an update is InProgress until the clock moves; a second update meanwhile conflicts', async () => {
    await createActive('updating');
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'updating', Timeout: 9 }),
    );
    expect(updated).toMatchObject({
      Timeout: 9,
      LastUpdateStatus: 'InProgress',
      LastUpdateStatusReasonCode: 'Creating',
    });
    const second = await lambda
      .send(new UpdateFunctionConfigurationCommand({ FunctionName: 'updating', Timeout: 8 }))
      .catch((e) => e);
    expect(second).toBeInstanceOf(ResourceConflictException);
    expect(second.message).toContain(
      'An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:updating',
    );
    const waiting = waitUntilFunctionUpdatedV2(
      { client: lambda, maxWaitTime: 20, minDelay: 1, maxDelay: 1 },
      { FunctionName: 'updating' },
    );
    setTimeout(() => clock.advance(activation()), 200);
    expect((await waiting).state).toBe('SUCCESS');
  });

  test('an unknown function is ResourceNotFoundException naming its ARN, with status 404', async () => {
    const err = await lambda.send(new InvokeCommand({ FunctionName: 'nope' })).catch((e) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(err.message).toBe('Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope');
    expect(err.$metadata.httpStatusCode).toBe(404);
  });

  test('ListFunctions pages with NextMarker and DeleteFunction removes a function', async () => {
    for (const name of ['list-a', 'list-b', 'list-c']) await createActive(name);
    const first = await lambda.send(new ListFunctionsCommand({ MaxItems: 2 }));
    expect(first.Functions).toHaveLength(2);
    const rest = await lambda.send(new ListFunctionsCommand({ Marker: first.NextMarker }));
    const names = [...(first.Functions ?? []), ...(rest.Functions ?? [])].map((f) => f.FunctionName);
    expect(names).toEqual(expect.arrayContaining(['list-a', 'list-b', 'list-c']));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'list-b' }));
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: 'list-b' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('Invoke', () => {
  beforeAll(() => createActive('echo'));

  test('a result comes back with the log tail: START, the handler line, END and REPORT', async () => {
    const out = await invokeJson('echo', { fruit: 'apple' }, 'Tail');
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.json).toEqual({ echo: { fruit: 'apple' }, requestId: out.$metadata.requestId, fn: 'echo' });
    const id = out.$metadata.requestId;
    expect(out.log).toMatch(new RegExp(`^START RequestId: ${id} Version: \\$LATEST\\n`, 'm'));
    expect(out.log).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\tevent {"fruit":"apple"}\\n`, 'm'),
    );
    expect(out.log).toMatch(new RegExp(`^END RequestId: ${id}\\n`, 'm'));
    expect(out.log).toMatch(
      new RegExp(
        `^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB`,
        'm',
      ),
    );
  });

  test('a handler error is 200 with FunctionError Unhandled and the error payload', async () => {
    const out = await invokeJson('echo', { fail: true }, 'Tail');
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(out.json).toMatchObject({ errorType: 'TypeError', errorMessage: 'asked to fail' });
    expect(out.json.trace[0]).toBe('TypeError: asked to fail');
    expect(out.log).toContain(
      '\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"asked to fail"',
    );
  });

  test('Event answers 202 at once and DryRun 204', async () => {
    const event = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: Buffer.from('{}') }),
    );
    expect(event.StatusCode).toBe(202);
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
  });

  test('a payload that is not JSON is InvalidRequestContentException', async () => {
    const err = await lambda
      .send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('not json') }))
      .catch((e) => e);
    expect(err.name).toBe('InvalidRequestContentException');
  });
});

describe('who may create and invoke', () => {
  test('a role Lambda may not assume is refused with AWS’s words', async () => {
    const untrusted = await executionRole(iam, 'untrusted', {
      trust: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    const err = await lambda
      .send(
        new CreateFunctionCommand({
          FunctionName: 'untrusted',
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: untrusted,
          Code: { ZipFile: ECHO },
        }),
      )
      .catch((e) => e);
    expect(err.name).toBe('InvalidParameterValueException');
    expect(err.message).toBe('The role defined for the function cannot be assumed by Lambda.');
  });

  test('a user without iam:PassRole cannot create; without lambda:InvokeFunction cannot invoke', async () => {
    await createActive('guarded');
    await iam.send(new CreateUserCommand({ UserName: 'dev' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'dev',
        PolicyName: 'p',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'lambda:CreateFunction', Resource: '*' }],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'dev' }));
    const dev = new LambdaClient({
      ...twin.clientConfig(),
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    const create = await dev
      .send(
        new CreateFunctionCommand({
          FunctionName: 'dev-fn',
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: roleArn,
          Code: { ZipFile: ECHO },
        }),
      )
      .catch((e) => e);
    expect(create.name).toBe('AccessDeniedException');
    expect(create.message).toContain(`is not authorized to perform: iam:PassRole on resource: ${roleArn}`);
    const invoke = await dev.send(new InvokeCommand({ FunctionName: 'guarded' })).catch((e) => e);
    expect(invoke.name).toBe('AccessDeniedException');
    expect(invoke.$metadata.httpStatusCode).toBe(403);
    expect(invoke.message).toContain(
      'lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:guarded',
    );
  });
});
