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
