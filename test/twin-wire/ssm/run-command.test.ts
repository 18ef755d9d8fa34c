import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  InvocationDoesNotExist,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';
import { type SsmLab, ssmLab } from '../../unit/twin/ssm/fixtures.ts';

/**
 * Run Command through the unchanged SSM client and AWS CLI 2.9, on a lab
 * seeded straight into the EC2 state (three VPCs on a Transit Gateway, one
 * pair without a route). The twin's clock is manual: the test moves time.
 */
let twin: TestTwin;
let env: SsmLab;
let client: SSMClient;
const clock = new ManualClock();

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  env = ssmLab(twin.server.twin);
  client = new SSMClient(twin.clientConfig());
});
afterAll(() => twin.close());

async function sendPing(from: string, to: string): Promise<string> {
  const out = await client.send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: [from],
      Parameters: { commands: [`ping -c 3 ${to}`] },
    }),
  );
  return out.Command!.CommandId!;
}

describe('SSM over awsJson1_1 with the SDK', () => {
  test('DescribeInstanceInformation lists the managed nodes Online', async () => {
    const out = await client.send(new DescribeInstanceInformationCommand({}));
    expect(out.InstanceInformationList?.map((i) => i.PingStatus)).toEqual(['Online', 'Online', 'Online']);
    expect(out.InstanceInformationList?.[0]?.LastPingDateTime).toBeInstanceOf(Date);
    expect(out.$metadata.requestId).toBeTruthy();
  });

  test('GetCommandInvocation is InvocationDoesNotExist at first, then the ping succeeds', async () => {
    const { a, b } = env.hosts;
    const commandId = await sendPing(a.instance.id, b.eni.privateIp);
    const get = () =>
      client.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: a.instance.id }));
    const early = await get().catch((e: unknown) => e);
    expect(early).toBeInstanceOf(InvocationDoesNotExist);
    expect(early).toMatchObject({ name: 'InvocationDoesNotExist', $metadata: { httpStatusCode: 400 } });
    clock.advance(1000);
    const done = await get();
    expect(done).toMatchObject({ Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 });
    expect(done.StandardOutputContent).toMatch(/64 bytes from 10\.20\.1\.10: icmp_seq=1 ttl=63 time=/);
  });

  test('a deny pair is Failed with ResponseCode 1: the expected outcome, not an error', async () => {
    const { a, c } = env.hosts;
    const commandId = await sendPing(a.instance.id, c.eni.privateIp);
    clock.advance(1000);
    const out = await client.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }));
    const plugin = out.CommandInvocations?.[0]?.CommandPlugins?.[0];
    expect(plugin).toMatchObject({ Status: 'Failed', ResponseCode: 1 });
    expect(plugin?.Output).toContain('100% packet loss');
  });

  test('an instance that is not a managed node is InvalidInstanceId; a short command id is a ValidationException', async () => {
    await expect(
      client.send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: ['i-0123456789abcdef0'],
          Parameters: { commands: ['true'] },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidInstanceId',
      message: expect.stringContaining('i-0123456789abcdef0'),
    });
    await expect(
      client.send(
        new GetCommandInvocationCommand({ CommandId: 'short', InstanceId: env.hosts.a.instance.id }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});

describe('SSM with the AWS CLI', () => {
  test.runIf(hasAwsCli)(
    'send-command, then get-command-invocation as an operator types them',
    async (ctx) => {
      const { a, b } = env.hosts;
      const sent = await aws(twin, [
        'ssm',
        'send-command',
        '--document-name',
        'AWS-RunShellScript',
        '--instance-ids',
        a.instance.id,
        '--parameters',
        `commands=["ping -c 3 ${b.eni.privateIp}"]`,
      ]);
      ctx.expect(sent.code, sent.stderr).toBe(0);
      const commandId = (sent.json as { Command: { CommandId: string; Status: string } }).Command.CommandId;
      const get = () =>
        aws(twin, [
          'ssm',
          'get-command-invocation',
          '--command-id',
          commandId,
          '--instance-id',
          a.instance.id,
        ]);
      const early = await get();
      ctx.expect(early.code).toBe(254);
      ctx
        .expect(early.stderr)
        .toContain('(InvocationDoesNotExist) when calling the GetCommandInvocation operation');
      clock.advance(1000);
      const done = await get();
      ctx.expect(done.code, done.stderr).toBe(0);
      ctx.expect(done.json).toMatchObject({ Status: 'Success', ResponseCode: 0, CommandId: commandId });
      ctx
        .expect((done.json as { StandardOutputContent: string }).StandardOutputContent)
        .toContain('3 packets transmitted, 3 received');
    },
  );

  test.runIf(hasAwsCli)('describe-instance-information with a filter', async (ctx) => {
    const { b } = env.hosts;
    const out = await aws(twin, [
      'ssm',
      'describe-instance-information',
      '--filters',
      `Key=InstanceIds,Values=${b.instance.id}`,
    ]);
    ctx.expect(out.code, out.stderr).toBe(0);
    ctx.expect(out.json).toMatchObject({
      InstanceInformationList: [{ InstanceId: b.instance.id, PingStatus: 'Online', PlatformType: 'Linux' }],
    });
  });
});
