import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runtimeOf } from '../../../twin/runtime/index.ts';
import { findPython } from '../../../twin/runtime/python/interpreter.ts';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';
import { buildVpc, type TestVpc } from '../../unit/twin/runtime/vpc.ts';
import { executionRole, zipOf } from './support.ts';

/**
 * Python functions through the unchanged Lambda client: the handler runs
 * unchanged in a local python3 with boto3, answers its result or the
 * Python runtime's error payload, logs START … REPORT with its own lines
 * to CloudWatch Logs, calls the twin with boto3 as its execution role, and
 * is judged by its network position. Skipped, with the reason, on a
 * machine without python3 and boto3.
 */
const python = await findPython();
const NO_PYTHON = 'no python3 with boto3 on PATH (Debian: apt-get install python3-boto3)';

const HANDLER = `
import json
import logging
import os
import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def lambda_handler(event, context):
    print("event", json.dumps(event))
    logger.info("remaining %s", context.get_remaining_time_in_millis() > 0)
    if event.get("fail"):
        raise ValueError("asked to fail")
    if event.get("whoami"):
        sts = boto3.client("sts", config=boto3.session.Config(connect_timeout=1, read_timeout=1, retries={"max_attempts": 0}))
        return {"arn": sts.get_caller_identity()["Arn"]}
    if event.get("url"):
        import urllib.request
        try:
            with urllib.request.urlopen(event["url"], timeout=1) as answer:
                return {"status": answer.status, "body": answer.read().decode()}
        except Exception as e:
            return {"error": type(e).__name__, "reason": str(getattr(e, "reason", e))}
    if event.get("bucket"):
        boto3.client("s3").put_object(Bucket=event["bucket"], Key="from-python.json", Body=json.dumps(event))
        return {"put": True}
    return {
        "echo": event,
        "requestId": context.aws_request_id,
        "function": context.function_name,
        "memory": context.memory_limit_in_mb,
        "region": os.environ["AWS_REGION"],
    }
`;

let twin: TestTwin;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;
let roleArn: string;
let vpc: TestVpc;
const clock = new ManualClock(Date.now());
const ZIP = zipOf({ 'lambda_function.py': HANDLER });

async function deploy(
  name: string,
  extra: Partial<ConstructorParameters<typeof CreateFunctionCommand>[0]> = {},
): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'python3.12',
      Handler: 'lambda_function.lambda_handler',
      Role: roleArn,
      Code: { ZipFile: ZIP },
      Timeout: 10,
      ...extra,
    }),
  );
  clock.advance(delay(twin.server.twin.profile, 'lambdaActivationMs'));
}

async function invoke(name: string, event: object = {}) {
  const out = await lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }),
  );
  return {
    out,
    body: JSON.parse(Buffer.from(out.Payload ?? []).toString()),
    tail: Buffer.from(out.LogResult ?? '', 'base64').toString(),
  };
}

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  lambda = new LambdaClient(twin.clientConfig());
  logs = new CloudWatchLogsClient(twin.clientConfig());
  const iam = new IAMClient(twin.clientConfig());
  roleArn = await executionRole(iam, 'python-role', {
    managed: ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole'],
    statements: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::python-out/*' }],
  });
  vpc = await buildVpc(twin.server.twin);
  if (python) await deploy('py-echo');
}, 60_000);
afterAll(() => twin?.close());

describe('a Python handler', () => {
  test('runs unchanged and answers its result', async ({ skip }) => {
    skip(!python, NO_PYTHON);
    const { out, body } = await invoke('py-echo', { hello: 'world' });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(body).toEqual({
      echo: { hello: 'world' },
      requestId: out.$metadata.requestId,
      function: 'py-echo',
      memory: 128,
      region: 'us-east-1',
    });
  }, 60_000);

  test('answers an exception as the Python runtime’s error payload, FunctionError Unhandled', async ({
    skip,
  }) => {
    skip(!python, NO_PYTHON);
    const { out, body, tail } = await invoke('py-echo', { fail: true });
    expect(out.FunctionError).toBe('Unhandled');
    expect(body).toMatchObject({
      errorMessage: 'asked to fail',
      errorType: 'ValueError',
      requestId: out.$metadata.requestId,
    });
    expect(body.stackTrace.join('')).toContain('lambda_function.py", line');
    expect(tail).toContain('[ERROR] ValueError: asked to fail\nTraceback (most recent call last):');
  }, 60_000);

  test('whose module cannot be imported answers the runtime’s Runtime.ImportModuleError', async ({
    skip,
  }) => {
    skip(!python, NO_PYTHON);
    await deploy('py-missing-module', { Handler: 'no_such_module.lambda_handler' });
    const { out, body, tail } = await invoke('py-missing-module');
    expect(out.FunctionError).toBe('Unhandled');
    expect(body).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Unable to import module 'no_such_module': No module named 'no_such_module'",
    });
    expect(tail).toContain(
      "[ERROR] Runtime.ImportModuleError: Unable to import module 'no_such_module': No module named 'no_such_module'",
    );
  }, 60_000);

  test('writes its prints and log records between START and REPORT to CloudWatch Logs', async ({ skip }) => {
    skip(!python, NO_PYTHON);
    const { out, tail } = await invoke('py-echo', { logged: 1 });
    const id = out.$metadata.requestId!;
    const lines = [
      `START RequestId: ${id} Version: $LATEST`,
      'event {"logged": 1}',
      expect.stringMatching(
        new RegExp(`^\\[INFO\\]\\t\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tremaining True$`),
      ),
      `END RequestId: ${id}`,
      expect.stringMatching(
        new RegExp(`^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: `),
      ),
    ];
    expect(tail.trimEnd().split('\n').slice(-5)).toEqual(lines);
    const { events = [] } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/lambda/py-echo' }),
    );
    const delivered = events.map((e) => (e.message ?? '').trimEnd());
    for (const line of lines) expect(delivered).toContainEqual(line);
  }, 60_000);

  test('calls the twin with boto3 as its execution role’s session', async ({ skip }) => {
    skip(!python, NO_PYTHON);
    const { body } = await invoke('py-echo', { whoami: true });
    expect(body).toEqual({ arn: 'arn:aws:sts::123456789012:assumed-role/python-role/py-echo' });
    const s3 = new S3Client({ ...twin.clientConfig(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'python-out' }));
    const put = await invoke('py-echo', { bucket: 'python-out' });
    expect(put.body).toEqual({ put: true });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'python-out', Key: 'from-python.json' }));
    expect(JSON.parse(await got.Body!.transformToString())).toEqual({ bucket: 'python-out' });
  }, 60_000);

  test('outside a VPC, reaches a host on the internet only as the twin’s stand-in on 127.0.0.1', async ({
    skip,
  }) => {
    skip(!python, NO_PYTHON);
    const { body } = await invoke('py-echo', { url: 'http://example.com/' });
    expect(body).toEqual({
      status: 200,
      body: 'This host is on the internet. The lab twin answers for it without contacting it.\n',
    });
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:py-echo';
    const sockets = runtimeOf(twin.server.twin)
      .environmentsOf(arn)
      .flatMap((e) => e.sockets);
    // Python resolves the name (from the twin), then connects to the address: the connection really went to 127.0.0.1.
    expect(sockets).toContainEqual({
      host: '127.0.0.1',
      port: expect.any(Number),
      standsFor: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
    });
  }, 60_000);

  test('outside a VPC, a private address never answers', async ({ skip }) => {
    skip(!python, NO_PYTHON);
    const { body } = await invoke('py-echo', { url: 'http://10.90.1.10/' });
    expect(body).toEqual({ error: 'URLError', reason: 'timed out' });
  }, 60_000);

  test('in a VPC subnet with no endpoint and no NAT, its boto3 connection never opens', async ({ skip }) => {
    skip(!python, NO_PYTHON);
    await deploy('py-isolated', {
      Timeout: 3,
      VpcConfig: { SubnetIds: [vpc.isolatedSubnet], SecurityGroupIds: [vpc.securityGroupId] },
    });
    // connect_timeout 1 s, read_timeout 1 s: a connect that never completes, not a late answer.
    const { out, body } = await invoke('py-isolated', { whoami: true });
    expect(out.FunctionError).toBe('Unhandled');
    expect(body).toMatchObject({ errorType: 'ConnectTimeoutError' });
    expect(body.errorMessage).toMatch(/^Connect timeout on endpoint URL: "http:\/\/127\.0\.0\.1:\d+\/"$/);
  }, 60_000);

  test('and with boto3’s default timeouts, the function runs out of time', async ({ skip }) => {
    skip(!python, NO_PYTHON);
    const started = Date.now();
    const { out, body } = await invoke('py-isolated', { bucket: 'python-out' });
    expect(out.FunctionError).toBe('Unhandled');
    expect(body.errorMessage).toMatch(/Task timed out after 3\.\d\d seconds$/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  }, 60_000);

  test('in a VPC subnet with a NAT, the same call succeeds', async ({ skip }) => {
    skip(!python, NO_PYTHON);
    await deploy('py-nat', {
      VpcConfig: { SubnetIds: [vpc.natSubnet], SecurityGroupIds: [vpc.securityGroupId] },
    });
    const { body } = await invoke('py-nat', { whoami: true });
    expect(body).toEqual({ arn: 'arn:aws:sts::123456789012:assumed-role/python-role/py-nat' });
  }, 60_000);
});
