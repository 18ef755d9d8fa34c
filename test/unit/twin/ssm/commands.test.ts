import type {
  Command,
  CommandInvocation,
  DescribeInstanceInformationResult,
  GetCommandInvocationResult,
  ListCommandInvocationsResult,
} from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, test } from 'vitest';
import { invoke } from '../../../../twin/core/invoke.ts';
import { iam } from '../../../../twin/services/iam/api.ts';
import { ssm } from '../../../../twin/services/ssm/api.ts';
import type { SsmModel } from '../../../../twin/services/ssm/model/index.ts';
import { rootCredential } from '../../../../twin/twin.ts';
import { ACCOUNT, REGION } from '../network/fixtures.ts';
import { type SsmLab, ssmLab } from './fixtures.ts';

let env: SsmLab;
beforeEach(() => {
  env = ssmLab();
});

const options = { credential: rootCredential(ACCOUNT), region: REGION };
const call = <O>(op: string, input: object) => invoke<SsmModel, O>(env.lab.twin, ssm, op, input, options);

async function send(instanceId: string, commands: string[], extra: object = {}): Promise<Command> {
  const out = await call<{ Command: Command }>('SendCommand', {
    DocumentName: 'AWS-RunShellScript',
    InstanceIds: [instanceId],
    Parameters: { commands },
    ...extra,
  });
  return out.Command;
}

const invocation = (commandId: string, instanceId: string) =>
  call<GetCommandInvocationResult>('GetCommandInvocation', { CommandId: commandId, InstanceId: instanceId });

async function pingStatus(instanceId: string): Promise<string | undefined> {
  const out = await call<DescribeInstanceInformationResult>('DescribeInstanceInformation', {
    Filters: [{ Key: 'InstanceIds', Values: [instanceId] }],
  });
  return out.InstanceInformationList?.[0]?.PingStatus;
}

describe('an invocation over time (fast profile: visible after 30 ms, delivered 20 ms later)', () => {
  test('InvocationDoesNotExist, then Pending, InProgress and Success with the ping output', async () => {
    const { a, b } = env.hosts;
    const command = await send(a.instance.id, [`ping -c 3 ${b.eni.privateIp}`]);
    expect(command).toMatchObject({
      Status: 'Pending',
      TargetCount: 1,
      CompletedCount: 0,
      DocumentName: 'AWS-RunShellScript',
    });
    await expect(invocation(command.CommandId!, a.instance.id)).rejects.toMatchObject({
      code: 'InvocationDoesNotExist',
    });
    env.lab.clock.advance(30);
    expect(await invocation(command.CommandId!, a.instance.id)).toMatchObject({
      Status: 'Pending',
      ResponseCode: -1,
      ExecutionStartDateTime: '',
    });
    env.lab.clock.advance(20);
    const running = await invocation(command.CommandId!, a.instance.id);
    expect(running).toMatchObject({
      Status: 'InProgress',
      StatusDetails: 'InProgress',
      ResponseCode: -1,
      StandardOutputContent: '',
    });
    expect(running.ExecutionStartDateTime).toBe(new Date(env.lab.clock.now()).toISOString());
    env.lab.clock.advance(3);
    const done = await invocation(command.CommandId!, a.instance.id);
    expect(done).toMatchObject({
      Status: 'Success',
      StatusDetails: 'Success',
      ResponseCode: 0,
      StandardErrorContent: '',
      PluginName: 'aws:runShellScript',
    });
    expect(done.StandardOutputContent).toContain('3 packets transmitted, 3 received, 0% packet loss');
    expect(done.ExecutionElapsedTime).toBe('PT0.003S');
  });

  test('a deny pair ends Failed with ResponseCode 1, 100% loss and the agent line on stderr', async () => {
    const { a, c } = env.hosts;
    const command = await send(a.instance.id, [`ping -c 3 -W 1 ${c.eni.privateIp}`]);
    env.lab.clock.advance(1000);
    const done = await invocation(command.CommandId!, a.instance.id);
    expect(done).toMatchObject({ Status: 'Failed', StatusDetails: 'Failed', ResponseCode: 1 });
    expect(done.StandardOutputContent).toContain('3 packets transmitted, 0 received, 100% packet loss');
    expect(done.StandardErrorContent).toBe('failed to run commands: exit status 1');
  });

  test('the command aggregates its invocations; ListCommandInvocations with Details gives the plugin output', async () => {
    const { a, b } = env.hosts;
    const out = await call<{ Command: Command }>('SendCommand', {
      DocumentName: 'AWS-RunShellScript',
      Targets: [{ Key: 'tag:Role', Values: ['app'] }],
      Parameters: { commands: [`ping -c 1 ${b.eni.privateIp}`] },
    });
    expect(out.Command).toMatchObject({ TargetCount: 3, InstanceIds: [] });
    env.lab.clock.advance(1000);
    const listed = await call<{ Commands: Command[] }>('ListCommands', { CommandId: out.Command.CommandId });
    // host-30 cannot reach b: one error > MaxErrors 0.
    expect(listed.Commands[0]).toMatchObject({ Status: 'Failed', CompletedCount: 3, ErrorCount: 1 });
    const invs = await call<ListCommandInvocationsResult>('ListCommandInvocations', {
      CommandId: out.Command.CommandId,
      InstanceId: a.instance.id,
      Details: true,
    });
    const plugin = (invs.CommandInvocations as CommandInvocation[])[0]!.CommandPlugins![0]!;
    expect(plugin).toMatchObject({ Name: 'aws:runShellScript', Status: 'Success', ResponseCode: 0 });
    expect(plugin.Output).toContain('1 packets transmitted, 1 received');
  });

  test('CancelCommand cancels what has not finished', async () => {
    const { a } = env.hosts;
    const command = await send(a.instance.id, ['sleep 60']);
    env.lab.clock.advance(55);
    await call('CancelCommand', { CommandId: command.CommandId });
    env.lab.clock.advance(100);
    expect(await invocation(command.CommandId!, a.instance.id)).toMatchObject({
      Status: 'Cancelled',
      StatusDetails: 'Cancelled',
    });
  });
});

describe('managed nodes', () => {
  test('agents with a profile and endpoint paths are Online, with the instance facts', async () => {
    const out = await call<DescribeInstanceInformationResult>('DescribeInstanceInformation', {});
    expect(out.InstanceInformationList).toHaveLength(3);
    expect(out.InstanceInformationList![0]).toMatchObject({
      PingStatus: 'Online',
      PlatformType: 'Linux',
      ResourceType: 'EC2Instance',
      IPAddress: '10.10.1.10',
      ComputerName: 'ip-10-10-1-10.ec2.internal',
    });
  });

  test('an instance without a profile is not managed: SendCommand says InvalidInstanceId', async () => {
    const { a } = env.hosts;
    a.instance.iamInstanceProfileArn = undefined;
    await expect(send(a.instance.id, ['true'])).rejects.toMatchObject({
      code: 'InvalidInstanceId',
      message: `Instances [[${a.instance.id}]] not in a valid state for account ${ACCOUNT}`,
    });
  });

  test('losing the ssm endpoint path makes the agent ConnectionLost; commands wait Delayed then time out', async () => {
    const { a } = env.hosts;
    const endpointSg = [...env.lab.model().securityGroups.values()].find(
      (g) => g.vpcId === a.vpc.id && g.rules.length === 1 && !g.rules[0]!.egress,
    )!;
    endpointSg.rules = [];
    expect(await pingStatus(a.instance.id)).toBe('ConnectionLost');
    const command = await send(a.instance.id, ['echo hi'], { TimeoutSeconds: 30 });
    env.lab.clock.advance(100);
    expect(await invocation(command.CommandId!, a.instance.id)).toMatchObject({ Status: 'Delayed' });
    env.lab.clock.advance(30_000);
    expect(await invocation(command.CommandId!, a.instance.id)).toMatchObject({
      Status: 'TimedOut',
      StatusDetails: 'DeliveryTimedOut',
    });
  });

  test('an agent-offline fault shows ConnectionLost for the named instance only', async () => {
    const { a, b } = env.hosts;
    env.lab.twin.faults.set({ rate: 0, kinds: ['agent-offline'], instanceIds: [a.instance.id] });
    expect(await pingStatus(a.instance.id)).toBe('ConnectionLost');
    expect(await pingStatus(b.instance.id)).toBe('Online');
  });

  test('a stopped instance is not listed, and its invocation is Undeliverable', async () => {
    const { a } = env.hosts;
    a.instance.state = 'stopped';
    expect(await pingStatus(a.instance.id)).toBeUndefined();
    const command = await send(a.instance.id, ['true']);
    env.lab.clock.advance(100);
    expect(await invocation(command.CommandId!, a.instance.id)).toMatchObject({
      Status: 'Failed',
      StatusDetails: 'Undeliverable',
    });
  });

  test('the profile role must allow the agent calls: none attached is ConnectionLost, a policy makes it Online', async () => {
    const { a } = env.hosts;
    const iamCall = (op: string, input: object) => invoke(env.lab.twin, iam, op, input, options);
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    await iamCall('CreateRole', { RoleName: 'agent-role', AssumeRolePolicyDocument: trust });
    await iamCall('CreateInstanceProfile', { InstanceProfileName: 'ssm-agent' });
    await iamCall('AddRoleToInstanceProfile', { InstanceProfileName: 'ssm-agent', RoleName: 'agent-role' });
    expect(await pingStatus(a.instance.id)).toBe('ConnectionLost');
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ssm:*', 'ssmmessages:*', 'ec2messages:*'], Resource: '*' }],
    };
    await iamCall('PutRolePolicy', {
      RoleName: 'agent-role',
      PolicyName: 'core',
      PolicyDocument: JSON.stringify(policy),
    });
    expect(await pingStatus(a.instance.id)).toBe('Online');
    const info = await call<DescribeInstanceInformationResult>('DescribeInstanceInformation', {});
    expect(info.InstanceInformationList![0]!.IamRole).toBe('agent-role');
  });

  test('pages of at least 5, and InvalidNextToken for a token the twin did not give', async () => {
    await expect(call('DescribeInstanceInformation', { MaxResults: 2 })).rejects.toMatchObject({
      code: 'ValidationException',
    });
    await expect(call('DescribeInstanceInformation', { NextToken: 'bogus' })).rejects.toMatchObject({
      code: 'InvalidNextToken',
    });
  });
});
