import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';
import { buildVpc, type TestVpc } from '../../unit/twin/runtime/vpc.ts';
import { executionRole, zipOf } from './support.ts';

/**
 * What an operator types with the AWS CLI 2.9: create-function from a zip
 * file, invoke with the log tail, a VPC configuration change, and the
 * function's logs.
 */
let twin: TestTwin;
let dir: string;
let roleArn: string;
let vpc: TestVpc;
const clock = new ManualClock(Date.now());

type Json = Record<string, unknown>;

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  dir = await mkdtemp(join(tmpdir(), 'lambda-cli-'));
  roleArn = await executionRole(new IAMClient(twin.clientConfig()), 'cli-role', {
    managed: ['AWSLambdaVPCAccessExecutionRole'],
  });
  vpc = await buildVpc(twin.server.twin);
  const zip = zipOf({
    'index.js': `exports.handler = async (event) => {
      console.log('processing', event.item);
      if (event.item === 'bad') throw new Error('cannot process ' + event.item);
      return { processed: event.item };
    };`,
  });
  await writeFile(join(dir, 'function.zip'), zip);
}, 60_000);
afterAll(async () => {
  await twin.close();
  await rm(dir, { recursive: true, force: true });
});

describe.runIf(hasAwsCli)('AWS CLI 2.9', () => {
  test('lambda create-function --zip-file fileb://… answers Pending', async () => {
    const out = await aws(twin, [
      'lambda',
      'create-function',
      '--function-name',
      'cli-fn',
      '--runtime',
      'nodejs22.x',
      '--handler',
      'index.handler',
      '--role',
      roleArn,
      '--zip-file',
      `fileb://${join(dir, 'function.zip')}`,
      '--timeout',
      '5',
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json).toMatchObject({
      FunctionName: 'cli-fn',
      State: 'Pending',
      Runtime: 'nodejs22.x',
      Timeout: 5,
    });
    clock.advance(delay(twin.server.twin.profile, 'lambdaActivationMs'));
  });

  test('lambda invoke --log-type Tail writes the response and shows the decoded-able log tail', async () => {
    const outfile = join(dir, 'out.json');
    const out = await aws(twin, [
      'lambda',
      'invoke',
      '--function-name',
      'cli-fn',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      '{"item":"apple"}',
      '--log-type',
      'Tail',
      outfile,
    ]);
    expect(out.code, out.stderr).toBe(0);
    const json = out.json as Json;
    expect(json).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(JSON.parse(await readFile(outfile, 'utf8'))).toEqual({ processed: 'apple' });
    const tail = Buffer.from(String(json.LogResult), 'base64').toString();
    expect(tail).toMatch(/\tINFO\tprocessing apple\n/);
    expect(tail).toMatch(/REPORT RequestId: [0-9a-f-]+\tDuration: /);
  });

  test('a failing invocation shows FunctionError Unhandled; an unknown function is ResourceNotFoundException', async () => {
    const outfile = join(dir, 'err.json');
    const failed = await aws(twin, [
      'lambda',
      'invoke',
      '--function-name',
      'cli-fn',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      '{"item":"bad"}',
      outfile,
    ]);
    expect((failed.json as Json).FunctionError).toBe('Unhandled');
    expect(JSON.parse(await readFile(outfile, 'utf8'))).toMatchObject({
      errorType: 'Error',
      errorMessage: 'cannot process bad',
    });
    const missing = await aws(twin, ['lambda', 'invoke', '--function-name', 'no-such-fn', outfile]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ResourceNotFoundException');
    expect(missing.stderr).toContain(
      'Function not found: arn:aws:lambda:us-east-1:123456789012:function:no-such-fn',
    );
  });

  test('lambda update-function-configuration --vpc-config puts the function in the VPC with a lambda ENI', async () => {
    const out = await aws(twin, [
      'lambda',
      'update-function-configuration',
      '--function-name',
      'cli-fn',
      '--vpc-config',
      `SubnetIds=${vpc.isolatedSubnet},SecurityGroupIds=${vpc.securityGroupId}`,
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json).toMatchObject({
      LastUpdateStatus: 'InProgress',
      VpcConfig: {
        SubnetIds: [vpc.isolatedSubnet],
        SecurityGroupIds: [vpc.securityGroupId],
        VpcId: vpc.vpcId,
      },
    });
    const enis = await aws(twin, [
      'ec2',
      'describe-network-interfaces',
      '--filters',
      'Name=interface-type,Values=lambda',
    ]);
    const found = (enis.json as { NetworkInterfaces: Json[] }).NetworkInterfaces;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      SubnetId: vpc.isolatedSubnet,
      InterfaceType: 'lambda',
      RequesterManaged: true,
    });
    expect(String(found[0]!.Description)).toMatch(/^AWS Lambda VPC ENI-cli-fn-/);
  });

  test('logs filter-log-events finds the REPORT lines in /aws/lambda/cli-fn', async () => {
    const out = await aws(twin, [
      'logs',
      'filter-log-events',
      '--log-group-name',
      '/aws/lambda/cli-fn',
      '--filter-pattern',
      'REPORT',
    ]);
    expect(out.code, out.stderr).toBe(0);
    const events = (out.json as { events: { message: string; logStreamName: string }[] }).events;
    expect(events).toHaveLength(2);
    for (const e of events) expect(e.message).toMatch(/^REPORT RequestId: .*\tMemory Size: 128 MB\t/);
  });
});
