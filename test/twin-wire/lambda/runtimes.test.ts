import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  InvalidParameterValueException,
  LambdaClient,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scheduleOf } from '../../../twin/services/lambda/model/runtimes.ts';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';
import { executionRole, zipOf } from './support.ts';

/**
 * Lambda's runtime deprecation blocks through the unchanged SDK and the AWS
 * CLI. The twin's clock starts ten days before Node.js 20's "Block
 * function create" day, when such a function could still be made, then
 * stands a day past its "Block function update" day (both from the table);
 * Node.js 22 is supported.
 */
/** Node.js 20, blocked on purpose: the refusal under test. */
const NODE_20 = 'nodejs20.x';
const BLOCKED =
  'The runtime parameter of nodejs20.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.';
const DAY = 86_400_000;
const { blockCreate, blockUpdate } = scheduleOf(NODE_20)!;
const clock = new ManualClock(Date.parse(`${blockCreate}T12:00:00Z`) - 10 * DAY);
let twin: TestTwin;
let lambda: LambdaClient;
let roleArn: string;
let dir: string;
const ZIP = zipOf({ 'index.mjs': 'export const handler = async () => "ok";' });

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  lambda = new LambdaClient(twin.clientConfig());
  roleArn = await executionRole(new IAMClient(twin.clientConfig()), 'runtime-role');
  dir = await mkdtemp(join(tmpdir(), 'lambda-runtimes-'));
  await writeFile(join(dir, 'function.zip'), ZIP);
  // Made while Node.js 20 could still be created: the function an account still has after the blocks.
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'legacy-20',
      Runtime: NODE_20,
      Handler: 'index.handler',
      Role: roleArn,
      Code: { ZipFile: ZIP },
    }),
  );
  clock.advance(Date.parse(`${blockUpdate}T12:00:00Z`) + DAY - clock.now());
});
afterAll(async () => {
  await twin.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the SDK', () => {
  test('CreateFunction on nodejs20.x is InvalidParameterValueException (400) with Lambda’s message', async () => {
    const err = await lambda
      .send(
        new CreateFunctionCommand({
          FunctionName: 'new-20',
          Runtime: NODE_20,
          Handler: 'index.handler',
          Role: roleArn,
          Code: { ZipFile: ZIP },
        }),
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(InvalidParameterValueException);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe(BLOCKED);
  });

  test('UpdateFunctionCode of a nodejs20.x function is refused; UpdateFunctionConfiguration to nodejs20.x too', async () => {
    const code = await lambda
      .send(new UpdateFunctionCodeCommand({ FunctionName: 'legacy-20', ZipFile: ZIP }))
      .catch((e) => e);
    expect(code).toBeInstanceOf(InvalidParameterValueException);
    expect(code.message).toBe(BLOCKED);
    const config = await lambda
      .send(new UpdateFunctionConfigurationCommand({ FunctionName: 'legacy-20', Runtime: NODE_20 }))
      .catch((e) => e);
    expect(config).toBeInstanceOf(InvalidParameterValueException);
    expect(config.message).toBe(BLOCKED);
  });

  test('CreateFunction on nodejs22.x is accepted', async () => {
    const out = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'new-22',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: roleArn,
        Code: { ZipFile: ZIP },
      }),
    );
    expect(out.Runtime).toBe('nodejs22.x');
    clock.advance(delay(twin.server.twin.profile, 'lambdaActivationMs'));
  });
});

describe.runIf(hasAwsCli)('AWS CLI 2.9', () => {
  test('lambda create-function on Node.js 20 fails with InvalidParameterValueException', async () => {
    const out = await aws(twin, [
      'lambda',
      'create-function',
      '--function-name',
      'cli-20',
      '--runtime',
      NODE_20,
      '--handler',
      'index.handler',
      '--role',
      roleArn,
      '--zip-file',
      `fileb://${join(dir, 'function.zip')}`,
    ]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('(InvalidParameterValueException)');
    expect(out.stderr).toContain(BLOCKED);
  });

  test('lambda update-function-configuration to Node.js 20 and update-function-code of a Node.js 20 function are refused', async () => {
    const config = await aws(twin, [
      'lambda',
      'update-function-configuration',
      '--function-name',
      'new-22',
      '--runtime',
      NODE_20,
    ]);
    expect(config.code).not.toBe(0);
    expect(config.stderr).toContain('(InvalidParameterValueException)');
    expect(config.stderr).toContain(BLOCKED);
    const code = await aws(twin, [
      'lambda',
      'update-function-code',
      '--function-name',
      'legacy-20',
      '--zip-file',
      `fileb://${join(dir, 'function.zip')}`,
    ]);
    expect(code.code).not.toBe(0);
    expect(code.stderr).toContain(BLOCKED);
  });

  test('lambda create-function --runtime nodejs22.x succeeds', async () => {
    const out = await aws(twin, [
      'lambda',
      'create-function',
      '--function-name',
      'cli-22',
      '--runtime',
      'nodejs22.x',
      '--handler',
      'index.handler',
      '--role',
      roleArn,
      '--zip-file',
      `fileb://${join(dir, 'function.zip')}`,
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json).toMatchObject({ FunctionName: 'cli-22', Runtime: 'nodejs22.x' });
  });
});
