import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  InvalidRuntimeException,
  InvokeCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { PYTHON_MISSING } from '../../../twin/runtime/python/interpreter.ts';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';
import { executionRole, zipOf } from './support.ts';

/**
 * On a machine with no python3 that has boto3, a Python function is still
 * created (Lambda accepts it), and Invoke answers a clear error naming
 * what is missing, as an AWS error the SDK and the CLI show: the twin
 * never answers as if the function ran. The twin looks python3 up on its
 * own PATH, which this file empties for the invocations.
 */
let twin: TestTwin;
let lambda: LambdaClient;
let dir: string;
const clock = new ManualClock(Date.now());
const realPath = process.env.PATH;

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  lambda = new LambdaClient(twin.clientConfig());
  const role = await executionRole(new IAMClient(twin.clientConfig()), 'py-missing-role');
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'py-nowhere',
      Runtime: 'python3.13',
      Handler: 'lambda_function.lambda_handler',
      Role: role,
      Code: {
        ZipFile: zipOf({ 'lambda_function.py': 'def lambda_handler(event, context):\n    return 1\n' }),
      },
    }),
  );
  clock.advance(delay(twin.server.twin.profile, 'lambdaActivationMs'));
  dir = await mkdtemp(join(tmpdir(), 'py-missing-'));
});
afterEach(() => {
  process.env.PATH = realPath;
});
afterAll(async () => {
  await twin.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a Python function with no python3 and boto3 on the twin’s PATH', () => {
  test('Invoke answers InvalidRuntimeException naming what is missing (SDK)', async () => {
    process.env.PATH = dir;
    const err = await lambda.send(new InvokeCommand({ FunctionName: 'py-nowhere' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRuntimeException);
    expect((err as InvalidRuntimeException).message).toBe(PYTHON_MISSING);
    expect((err as InvalidRuntimeException).$metadata.httpStatusCode).toBe(502);
  });

  test('the AWS CLI shows the same error', async ({ skip }) => {
    skip(!hasAwsCli, 'Debian’s AWS CLI (/usr/bin/aws) is not installed');
    process.env.PATH = dir;
    const out = await aws(twin, [
      'lambda',
      'invoke',
      '--function-name',
      'py-nowhere',
      '--cli-read-timeout',
      '10',
      join(dir, 'out.json'),
    ]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(`(InvalidRuntimeException) when calling the Invoke operation`);
    expect(out.stderr).toContain('none was found on PATH');
  }, 60_000);
});
