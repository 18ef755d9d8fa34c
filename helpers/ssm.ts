import {
  type CommandInvocationStatus,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  type GetCommandInvocationCommandOutput,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import type { AwsClients } from './clients.ts';
import { CannotTellError, cannotTell, reading } from './errors.ts';
import { eventually } from './eventually.ts';

/**
 * SSM Run Command, as AWS really behaves (aws-fidelity.md, "SSM Run Command"):
 * an invocation may not exist for a moment after SendCommand; a script that
 * exits non-zero is `Failed` with its exit code — a valid answer, not an
 * error; an instance whose agent is not Online cannot run anything, which
 * the suite reports as "cannot tell", never as a failed check.
 */
export interface ShellResult {
  commandId: string;
  instanceId: string;
  status: CommandInvocationStatus | string;
  statusDetails: string;
  /** The script's exit code. */
  exitCode: number;
  stdout: string;
  stderr: string;
}

// Typed to hold undefined so that an answer without a status is looked up as it is: in none of them.
/** Statuses that end an invocation with an answer from the script. */
const ANSWERED = new Set<string | undefined>(['Success', 'Failed']);
/** Statuses that end it without one: the agent never ran the script, or it was stopped. */
const NO_ANSWER = new Set<string | undefined>(['Cancelled', 'TimedOut', 'Cancelling']);
const NO_ANSWER_DETAILS = new Set<string | undefined>([
  'Undeliverable',
  'Terminated',
  'DeliveryTimedOut',
  'ExecutionTimedOut',
  'InvalidPlatform',
  'AccessDenied',
]);

/** The agent's ping status, or undefined when SSM does not manage the instance at all. */
export async function findAgentStatus(clients: AwsClients, instanceId: string): Promise<string | undefined> {
  const out = await reading(`read the SSM agent status of ${instanceId}`, () =>
    clients.ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] }),
    ),
  );
  return out.InstanceInformationList?.find((i) => i.InstanceId === instanceId)?.PingStatus;
}

/**
 * Runs shell commands on an instance with AWS-RunShellScript and waits for
 * the answer.
 *
 * @example
 *   const r = await runShell(clients, 'i-0abc', ['ping -c 3 -W 1 172.22.1.10'], { timeoutMs: 60_000 });
 */
export async function runShell(
  clients: AwsClients,
  instanceId: string,
  commands: string[],
  options: { timeoutMs: number; signal?: AbortSignal; comment?: string },
): Promise<ShellResult> {
  const agent = await findAgentStatus(clients, instanceId);
  if (agent !== 'Online') {
    throw new CannotTellError(
      `the SSM agent on ${instanceId} is ${agent ?? 'not registered'}, so it cannot run commands (check its instance profile and the ssm, ssmmessages and ec2messages endpoints)`,
      'unknown',
    );
  }
  const sent = await reading(`send a command to ${instanceId}`, () =>
    clients.ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: [instanceId],
        Parameters: { commands },
        TimeoutSeconds: Math.max(30, Math.ceil(options.timeoutMs / 1000)),
        ...(options.comment && { Comment: options.comment.slice(0, 100) }),
      }),
      { ...(options.signal && { abortSignal: options.signal }) },
    ),
  );
  const commandId = sent.Command?.CommandId ?? '';
  const done = await eventually(
    `command ${commandId} to finish on ${instanceId}`,
    async (): Promise<GetCommandInvocationCommandOutput> => {
      try {
        return await clients.ssm.send(
          new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
        );
      } catch (error) {
        if ((error as Error).name === 'InvocationDoesNotExist') throw error;
        throw cannotTell(`read command ${commandId} on ${instanceId}`, error);
      }
    },
    {
      timeoutMs: options.timeoutMs,
      until: (inv) =>
        ANSWERED.has(inv.Status) || NO_ANSWER.has(inv.Status) || NO_ANSWER_DETAILS.has(inv.StatusDetails),
      retryOn: (error) => (error as Error).name === 'InvocationDoesNotExist',
      minIntervalMs: 200,
      maxIntervalMs: 2_000,
      onTimeout: 'cannot-tell',
      show: (inv) => `${inv.Status}/${inv.StatusDetails}`,
      reproduce: `aws ssm get-command-invocation --command-id ${commandId} --instance-id ${instanceId}`,
      ...(options.signal && { signal: options.signal }),
    },
  );
  if (!ANSWERED.has(done.Status) || NO_ANSWER_DETAILS.has(done.StatusDetails)) {
    throw new CannotTellError(
      `command ${commandId} on ${instanceId} ended ${done.Status}/${done.StatusDetails} without running the script`,
      'unknown',
    );
  }
  return {
    commandId,
    instanceId,
    status: done.Status ?? '',
    statusDetails: done.StatusDetails ?? '',
    exitCode: done.ResponseCode ?? -1,
    stdout: done.StandardOutputContent ?? '',
    stderr: done.StandardErrorContent ?? '',
  };
}
