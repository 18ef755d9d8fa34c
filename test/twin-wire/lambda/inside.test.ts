import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateVpcEndpointCommand, EC2Client, ModifyVpcAttributeCommand } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';
import { buildVpc, type TestVpc } from '../../unit/twin/runtime/vpc.ts';
import { bundledZip, executionRole, zipOf } from './support.ts';

/**
 * Code inside a function calls the twin through the SDK it bundles, with
 * the execution role's session: who it is, which calls its network lets
 * through, and where its logs go.
 */
const WHOAMI = `
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
export const handler = async (event: { timeoutMs?: number }) => {
  // This @smithy/node-http-handler only warns on requestTimeout unless told to throw.
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: 2000,
    requestTimeout: event.timeoutMs ?? 2000,
    throwOnRequestTimeout: true,
  });
  try {
    const me = await new STSClient({ maxAttempts: 1, requestHandler }).send(new GetCallerIdentityCommand({}));
    console.log('I am', me.Arn);
    return { ok: true, arn: me.Arn, userId: me.UserId, account: me.Account };
  } catch (e) {
    return { ok: false, name: (e as Error).name };
  }
};`;

/**
 * Tells a connect that never opens (no path) from an open connection whose
 * answer is late (a slow service), as the reach probe does.
 */
const CONNECT_WATCH = `
import { Agent } from 'node:http';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
export const handler = async (event: { connectMs: number; answerMs: number }) => {
  let connected = false;
  const agent = new Agent({ keepAlive: false });
  const create = (agent as any).createConnection.bind(agent);
  (agent as any).createConnection = (...args: unknown[]) => {
    const socket = create(...args);
    socket.once('connect', () => { connected = true; });
    return socket;
  };
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: event.connectMs,
    requestTimeout: event.connectMs + event.answerMs,
    throwOnRequestTimeout: true,
    httpAgent: agent,
  });
  const started = Date.now();
  try {
    await new STSClient({ maxAttempts: 1, requestHandler }).send(new GetCallerIdentityCommand({}));
    return { ok: true, connected, ms: Date.now() - started };
  } catch (e) {
    return { ok: false, name: (e as Error).name, connected, ms: Date.now() - started };
  }
};`;

let twin: TestTwin;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;
let vpc: TestVpc;
let vpcRole: string;
const clock = new ManualClock(Date.now());

async function deploy(
  name: string,
  zip: Uint8Array,
  role: string,
  vpcConfig?: { SubnetIds: string[]; SecurityGroupIds: string[] },
) {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: role,
      Code: { ZipFile: zip },
      Timeout: 10,
      ...(vpcConfig && { VpcConfig: vpcConfig }),
    }),
  );
  clock.advance(delay(twin.server.twin.profile, 'lambdaActivationMs'));
}

async function invoke(name: string, event: object = {}) {
  const out = await lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }),
  );
  return { out, body: JSON.parse(Buffer.from(out.Payload ?? []).toString()) };
}

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  lambda = new LambdaClient(twin.clientConfig());
  logs = new CloudWatchLogsClient(twin.clientConfig());
  const iam = new IAMClient(twin.clientConfig());
  vpcRole = await executionRole(iam, 'vpc-fn-role', { managed: ['AWSLambdaVPCAccessExecutionRole'] });
  vpc = await buildVpc(twin.server.twin);
}, 60_000);
afterAll(() => twin.close());

describe('the SDK inside a function', () => {
  test('calls the twin as the execution role’s session, named after the function', async () => {
    await deploy('whoami', await bundledZip(WHOAMI), vpcRole);
    const { body } = await invoke('whoami');
    expect(body).toMatchObject({
      ok: true,
      arn: 'arn:aws:sts::123456789012:assumed-role/vpc-fn-role/whoami',
      account: '123456789012',
    });
    expect(body.userId).toMatch(/^AROA[A-Z0-9]+:whoami$/);
  }, 60_000);

  test('from a VPC subnet with no endpoint and no NAT, the call hangs until the SDK’s own timeout', async () => {
    const subnets = { SubnetIds: [vpc.isolatedSubnet], SecurityGroupIds: [vpc.securityGroupId] };
    await deploy('whoami-isolated', await bundledZip(WHOAMI), vpcRole, subnets);
    const started = Date.now();
    const { body } = await invoke('whoami-isolated', { timeoutMs: 800 });
    expect(body).toEqual({ ok: false, name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
  }, 60_000);

  test('with no path, the connection itself never opens (as a SYN with no route)', async () => {
    const subnets = { SubnetIds: [vpc.isolatedSubnet], SecurityGroupIds: [vpc.securityGroupId] };
    await deploy('watch-isolated', await bundledZip(CONNECT_WATCH), vpcRole, subnets);
    const { body } = await invoke('watch-isolated', { connectMs: 800, answerMs: 5_000 });
    expect(body).toMatchObject({ ok: false, name: 'TimeoutError', connected: false });
    expect(body.ms).toBeLessThan(5_000);
  }, 60_000);

  test('a slow service accepts the connection and answers late', async () => {
    await deploy('watch-slow', await bundledZip(CONNECT_WATCH), vpcRole);
    twin.server.twin.faults.set({ rate: 1, kinds: ['latency'], latencyMs: 60_000, services: ['sts'] });
    // The gateway's latency runs on the twin's clock: let it pass once the call is in.
    const passing = setInterval(() => clock.advance(10_000), 200);
    try {
      const { body } = await invoke('watch-slow', { connectMs: 800, answerMs: 20_000 });
      expect(body).toMatchObject({ ok: true, connected: true });
    } finally {
      clearInterval(passing);
      twin.server.twin.faults.set(undefined);
    }
  }, 60_000);

  test('an STS interface endpoint with private DNS gives the same subnet its path', async () => {
    const ec2 = new EC2Client(twin.clientConfig());
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc.vpcId, EnableDnsHostnames: { Value: true } }));
    await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpc.vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: 'com.amazonaws.us-east-1.sts',
        SubnetIds: [vpc.isolatedSubnet],
        SecurityGroupIds: [vpc.securityGroupId],
        PrivateDnsEnabled: true,
      }),
    );
    const { body } = await invoke('whoami-isolated', { timeoutMs: 800 });
    expect(body).toMatchObject({
      ok: true,
      arn: 'arn:aws:sts::123456789012:assumed-role/vpc-fn-role/whoami-isolated',
    });
  }, 60_000);
});

describe('function logs', () => {
  test('land in /aws/lambda/NAME, one stream per environment, findable by the request id', async () => {
    const { out } = await invoke('whoami');
    const requestId = out.$metadata.requestId!;
    const { events } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/lambda/whoami', filterPattern: `"${requestId}"` }),
    );
    const messages = events?.map((e) => e.message) ?? [];
    expect(messages[0]).toBe(`START RequestId: ${requestId} Version: $LATEST\n`);
    expect(messages).toContainEqual(
      expect.stringMatching(new RegExp(`\\t${requestId}\\tINFO\\tI am arn:aws:sts::`)),
    );
    expect(messages).toContain(`END RequestId: ${requestId}\n`);
    expect(messages.at(-1)).toMatch(new RegExp(`^REPORT RequestId: ${requestId}\\t`));
    expect(events?.[0]?.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
  }, 60_000);

  test('a role without CloudWatch Logs permissions leaves no log group, and the invocation still succeeds', async () => {
    const quiet = await executionRole(new IAMClient(twin.clientConfig()), 'no-logs-role');
    await deploy(
      'quiet',
      zipOf({ 'index.mjs': 'export const handler = async () => { console.log("unheard"); return 1 }' }),
      quiet,
    );
    const { body } = await invoke('quiet');
    expect(body).toBe(1);
    const { logGroups } = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/quiet' }),
    );
    expect(logGroups).toEqual([]);
  });
});
