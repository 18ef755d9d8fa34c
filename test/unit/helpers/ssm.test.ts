import {
  type CommandInvocationStatus,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  InvocationDoesNotExist,
  type PingStatus,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { CannotTellError } from '../../../helpers/errors.ts';
import { findAgentStatus, runShell } from '../../../helpers/ssm.ts';
import { awsError } from './support.ts';

const ssm = mockClient(SSMClient);
const clients = { ssm: new SSMClient({ region: 'us-east-1' }) } as unknown as AwsClients;
const online = {
  InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' as PingStatus }],
};
const notYet = () =>
  new InvocationDoesNotExist({ message: 'InvocationDoesNotExist', $metadata: { httpStatusCode: 400 } });

beforeEach(() => {
  ssm.reset();
  ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'c-1' } });
});

describe('findAgentStatus', () => {
  test('reads the ping status of the instance asked about only', async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: [
        { InstanceId: 'i-other', PingStatus: 'Online' },
        { InstanceId: 'i-0abc', PingStatus: 'ConnectionLost' },
      ],
    });
    expect(await findAgentStatus(clients, 'i-0abc')).toBe('ConnectionLost');
    expect(await findAgentStatus(clients, 'i-none')).toBeUndefined();
  });

  test('a refused read is cannot-tell', async () => {
    ssm
      .on(DescribeInstanceInformationCommand)
      .rejects(
        Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(findAgentStatus(clients, 'i-0abc')).rejects.toMatchObject({
      name: 'CannotTellError',
      kind: 'denied',
    });
  });
});

describe('runShell', () => {
  test.for<PingStatus | undefined>(['ConnectionLost', 'Inactive', undefined])(
    'an agent that is %s runs nothing and is cannot-tell',
    async (status) => {
      ssm.on(DescribeInstanceInformationCommand).resolves({
        InstanceInformationList: status ? [{ InstanceId: 'i-0abc', PingStatus: status }] : [],
      });
      const error = await runShell(clients, 'i-0abc', ['true'], { timeoutMs: 5_000 }).catch((e) => e);
      expect(error).toBeInstanceOf(CannotTellError);
      expect(error.message).toContain(status ?? 'not registered');
      expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    },
  );

  test('InvocationDoesNotExist right after SendCommand means "not yet", then the answer', async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves(online);
    ssm
      .on(GetCommandInvocationCommand)
      .rejectsOnce(notYet())
      .rejectsOnce(notYet())
      .resolves({ Status: 'Failed', StatusDetails: 'Failed', ResponseCode: 1, StandardOutputContent: 'x' });
    const result = await runShell(clients, 'i-0abc', ['false'], { timeoutMs: 10_000 });
    expect(result).toMatchObject({ status: 'Failed', exitCode: 1, stdout: 'x', commandId: 'c-1' });
    expect(ssm.commandCalls(GetCommandInvocationCommand)).toHaveLength(3);
  });

  test('an invocation that never appears within the bound is cannot-tell', async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves(online);
    ssm.on(GetCommandInvocationCommand).rejects(notYet());
    const error = await runShell(clients, 'i-0abc', ['true'], { timeoutMs: 600 }).catch((e) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error.message).toMatch(/aws ssm get-command-invocation --command-id c-1 --instance-id i-0abc/);
  });

  test('polls while InProgress and returns the script exit code', async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves(online);
    ssm
      .on(GetCommandInvocationCommand)
      .resolvesOnce({ Status: 'InProgress', StatusDetails: 'InProgress', ResponseCode: -1 })
      .resolves({
        Status: 'Success',
        StatusDetails: 'Success',
        ResponseCode: 0,
        StandardOutputContent: 'ok',
      });
    const result = await runShell(clients, 'i-0abc', ['true'], {
      timeoutMs: 10_000,
      comment: 'c'.repeat(150),
    });
    expect(result).toMatchObject({ status: 'Success', exitCode: 0, stdout: 'ok' });
    const sent = ssm.commandCalls(SendCommandCommand)[0]!.args[0].input;
    expect(sent).toMatchObject({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: ['i-0abc'],
      TimeoutSeconds: 30,
    });
    expect(sent.Comment).toHaveLength(100);
  });

  test.for<[CommandInvocationStatus, string]>([
    ['TimedOut', 'DeliveryTimedOut'],
    ['Cancelled', 'Cancelled'],
    ['Failed', 'Undeliverable'],
    ['Failed', 'Terminated'],
    ['TimedOut', 'ExecutionTimedOut'],
  ])('an invocation that ends %s/%s without running the script is cannot-tell', async ([status, details]) => {
    ssm.on(DescribeInstanceInformationCommand).resolves(online);
    ssm
      .on(GetCommandInvocationCommand)
      .resolves({ Status: status, StatusDetails: details, ResponseCode: -1 });
    const error = await runShell(clients, 'i-0abc', ['true'], { timeoutMs: 5_000 }).catch((e) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error.message).toContain(`${status}/${details}`);
  });

  test('a refused GetCommandInvocation is cannot-tell at once, not polled', async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves(online);
    ssm
      .on(GetCommandInvocationCommand)
      .rejects(
        Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(runShell(clients, 'i-0abc', ['true'], { timeoutMs: 10_000 })).rejects.toMatchObject({
      kind: 'denied',
    });
    expect(ssm.commandCalls(GetCommandInvocationCommand)).toHaveLength(1);
  });
});

describe('findAgentStatus: the call made', () => {
  test('asks for the one instance by id; an empty answer is unmanaged', async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({});
    expect(await findAgentStatus(clients, 'i-0abc')).toBeUndefined();
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Key: 'InstanceIds', Values: ['i-0abc'] }],
    });
  });

  test('a refused read names what it tried', async () => {
    ssm.on(DescribeInstanceInformationCommand).rejects(awsError('AccessDeniedException'));
    await expect(findAgentStatus(clients, 'i-0abc')).rejects.toThrow(
      /^could not read the SSM agent status of i-0abc: AccessDeniedException/,
    );
  });
});

describe('runShell: what is sent, and what comes back', () => {
  beforeEach(() => {
    ssm.on(DescribeInstanceInformationCommand).resolves(online);
  });

  test('an offline agent says where to look', async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({});
    await expect(runShell(clients, 'i-0abc', ['true'], { timeoutMs: 5_000 })).rejects.toThrow(
      new CannotTellError(
        'the SSM agent on i-0abc is not registered, so it cannot run commands (check its instance profile and the ssm, ssmmessages and ec2messages endpoints)',
      ),
    );
  });

  test('the commands, a timeout in whole seconds past the 30 s floor, and no comment when none is given', async () => {
    ssm
      .on(GetCommandInvocationCommand)
      .resolves({ Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 });
    await runShell(clients, 'i-0abc', ['echo a', 'echo b'], { timeoutMs: 90_001 });
    expect(ssm.commandCalls(SendCommandCommand)[0]!.args[0].input).toEqual({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: ['i-0abc'],
      Parameters: { commands: ['echo a', 'echo b'] },
      TimeoutSeconds: 91,
    });
    expect(ssm.commandCalls(GetCommandInvocationCommand)[0]!.args[0].input).toEqual({
      CommandId: 'c-1',
      InstanceId: 'i-0abc',
    });
  });

  test('a short comment is sent whole', async () => {
    ssm
      .on(GetCommandInvocationCommand)
      .resolves({ Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 });
    await runShell(clients, 'i-0abc', ['true'], { timeoutMs: 1_000, comment: 'meshcheck r1: a -> b' });
    expect(ssm.commandCalls(SendCommandCommand)[0]!.args[0].input).toMatchObject({
      Comment: 'meshcheck r1: a -> b',
      TimeoutSeconds: 30,
    });
  });

  test('the caller’s abort signal goes with the SendCommand', async () => {
    ssm
      .on(GetCommandInvocationCommand)
      .resolves({ Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 });
    const signal = new AbortController().signal;
    await runShell(clients, 'i-0abc', ['true'], { timeoutMs: 1_000, signal });
    expect((ssm.commandCalls(SendCommandCommand)[0]!.args as unknown[])[1]).toEqual({ abortSignal: signal });
  });

  test('a refused SendCommand is cannot-tell naming it', async () => {
    ssm.on(SendCommandCommand).rejects(awsError('AccessDeniedException'));
    await expect(runShell(clients, 'i-0abc', ['true'], { timeoutMs: 1_000 })).rejects.toMatchObject({
      name: 'CannotTellError',
      kind: 'denied',
      message: expect.stringMatching(/^could not send a command to i-0abc: AccessDeniedException/),
    });
  });

  test('a refused GetCommandInvocation names the command and instance', async () => {
    ssm.on(GetCommandInvocationCommand).rejects(awsError('AccessDeniedException'));
    await expect(runShell(clients, 'i-0abc', ['true'], { timeoutMs: 5_000 })).rejects.toThrow(
      /could not read command c-1 on i-0abc: AccessDeniedException/,
    );
  });

  test('the script’s output, error output and exit code, each as it came', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({
      Status: 'Failed',
      StatusDetails: 'Failed',
      ResponseCode: 2,
      StandardOutputContent: 'out',
      StandardErrorContent: 'err',
    });
    await expect(runShell(clients, 'i-0abc', ['x'], { timeoutMs: 5_000 })).resolves.toEqual({
      commandId: 'c-1',
      instanceId: 'i-0abc',
      status: 'Failed',
      statusDetails: 'Failed',
      exitCode: 2,
      stdout: 'out',
      stderr: 'err',
    });
  });

  test('fields the answer leaves out read as empty, and a missing exit code as -1', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Success' });
    await expect(runShell(clients, 'i-0abc', ['x'], { timeoutMs: 5_000 })).resolves.toEqual({
      commandId: 'c-1',
      instanceId: 'i-0abc',
      status: 'Success',
      statusDetails: '',
      exitCode: -1,
      stdout: '',
      stderr: '',
    });
  });

  test.for<[CommandInvocationStatus, string]>([
    ['Cancelling', 'Cancelling'],
    ['InProgress', 'InvalidPlatform'],
    ['Failed', 'AccessDenied'],
  ])('%s/%s ends the wait at once, without an answer', async ([status, details]) => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: status, StatusDetails: details });
    await expect(runShell(clients, 'i-0abc', ['x'], { timeoutMs: 5_000 })).rejects.toThrow(
      new CannotTellError(`command c-1 on i-0abc ended ${status}/${details} without running the script`),
    );
    expect(ssm.commandCalls(GetCommandInvocationCommand)).toHaveLength(1);
  });

  test('a command still running at the bound is cannot-tell, showing its last status', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress', StatusDetails: 'InProgress' });
    const error = await runShell(clients, 'i-0abc', ['x'], { timeoutMs: 500 }).catch((e) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error.message).toMatch(/for command c-1 to finish on i-0abc; last saw: InProgress\/InProgress/);
  });
});

describe('runShell: cancellation and answers without a status', () => {
  beforeEach(() => {
    ssm.on(DescribeInstanceInformationCommand).resolves(online);
  });

  test('a cancelled run stops waiting for the command', async () => {
    ssm
      .on(GetCommandInvocationCommand)
      .resolves({ Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 });
    await expect(
      runShell(clients, 'i-0abc', ['true'], { timeoutMs: 5_000, signal: AbortSignal.abort() }),
    ).rejects.toThrow();
  });

  test('an invocation without a status is still pending', async () => {
    ssm
      .on(GetCommandInvocationCommand)
      .resolvesOnce({})
      .resolves({ Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 });
    await expect(runShell(clients, 'i-0abc', ['true'], { timeoutMs: 5_000 })).resolves.toMatchObject({
      status: 'Success',
      exitCode: 0,
    });
    expect(ssm.commandCalls(GetCommandInvocationCommand)).toHaveLength(2);
  });
});
