import type { CommandInvocationStatus, CommandStatus } from '@aws-sdk/client-ssm';
import { ec2 } from '../../ec2/api.ts';
import { agentStatus } from './agent.ts';
import type { CommandState, InvocationState, Settlement, SsmModel } from './index.ts';
import { runScript } from './shell/run.ts';
import { modelledMs } from './timing.ts';

/**
 * An invocation's life on the twin clock: Pending until delivery time; then,
 * if the agent is Online, InProgress for the script's modelled duration and
 * Success or Failed by its exit status; a stopped node makes it
 * Undeliverable; an agent that stays unreachable leaves it Delayed until the
 * delivery timeout (TimeoutSeconds: "If this time is reached and the command
 * hasn't already started running, it won't run", SendCommand API reference),
 * then DeliveryTimedOut. Statuses as in
 * docs.aws.amazon.com/systems-manager/latest/userguide/monitor-commands.html.
 */
export interface InvocationView {
  status: CommandInvocationStatus;
  statusDetails: string;
  /** The script's exit status; -1 until it has one. */
  responseCode: number;
  startAt?: number;
  endAt?: number;
  stdout: string;
  stderr: string;
}

/** "The first 24,000 characters written by the plugin to stdout" / "8,000 … to stderr" (GetCommandInvocation). */
export const STDOUT_LIMIT = 24_000;
export const STDERR_LIMIT = 8_000;

function scriptPath(instanceId: string, commandId: string): string {
  return `/var/lib/amazon/ssm/${instanceId}/document/orchestration/${commandId}/awsrunShellScript/0.awsrunShellScript/_script.sh`;
}

function run(
  model: SsmModel,
  command: CommandState,
  instanceId: string,
  startAt: number,
): Settlement | undefined {
  const instance = model.twin.model(ec2, model.accountId, model.region).instances.get(instanceId);
  const position = instance && agentStatus(model.twin, model.region, instance).position;
  if (!instance || !position) return undefined;
  const host = {
    twin: model.twin,
    region: model.region,
    instance,
    position,
    startAt,
    seed: command.id,
    scriptPath: scriptPath(instanceId, command.id),
  };
  const script = runScript(host, command.parameters.commands ?? [], command.executionTimeoutSeconds * 1000);
  const endAt = startAt + Math.max(1, modelledMs(script.realMs, model.twin.profile));
  return {
    kind: 'ran',
    startAt,
    endAt,
    stdout: script.stdout,
    stderr: script.stderr,
    exitCode: script.exitCode,
    timedOut: script.timedOut,
  };
}

/** Decides what happened to an invocation once its delivery time has come; idempotent. */
function settle(model: SsmModel, command: CommandState, inv: InvocationState, now: number): void {
  if (inv.settled || inv.cancelledAt !== undefined || now < command.deliverAt) return;
  const deadline = command.requestedAt + Math.round(command.timeoutSeconds * 1000 * model.twin.profile.scale);
  const instance = model.twin.model(ec2, model.accountId, model.region).instances.get(inv.instanceId);
  const agent = instance && agentStatus(model.twin, model.region, instance);
  if (!agent?.managed || instance?.state === 'stopped' || instance?.state === 'stopping') {
    inv.settled = { kind: 'undeliverable', at: command.deliverAt };
    return;
  }
  if (agent.online && (inv.offlineSeenAt === undefined || now < deadline)) {
    model.lastOnline.set(inv.instanceId, now);
    const ran = run(
      model,
      command,
      inv.instanceId,
      inv.offlineSeenAt === undefined ? command.deliverAt : now,
    );
    inv.settled = ran ?? { kind: 'undeliverable', at: command.deliverAt };
    return;
  }
  if (now >= deadline) inv.settled = { kind: 'delivery-timed-out', at: deadline };
  else inv.offlineSeenAt = now;
}

const FAILED_TO_RUN = (code: number) => `failed to run commands: exit status ${code}`;

function ranView(s: Extract<Settlement, { kind: 'ran' }>, now: number): InvocationView {
  const times = { startAt: s.startAt, ...(now >= s.endAt && { endAt: s.endAt }) };
  if (now < s.endAt)
    return {
      status: 'InProgress',
      statusDetails: 'InProgress',
      responseCode: -1,
      stdout: '',
      stderr: '',
      ...times,
    };
  const stdout = s.stdout.slice(0, STDOUT_LIMIT);
  if (s.timedOut)
    return {
      status: 'TimedOut',
      statusDetails: 'ExecutionTimedOut',
      responseCode: -1,
      stdout,
      stderr: s.stderr.slice(0, STDERR_LIMIT),
      ...times,
    };
  if (s.exitCode === 0)
    return {
      status: 'Success',
      statusDetails: 'Success',
      responseCode: 0,
      stdout,
      stderr: s.stderr.slice(0, STDERR_LIMIT),
      ...times,
    };
  // The agent adds its own line to stderr when the script exits non-zero.
  const stderr = `${s.stderr}${s.stderr && !s.stderr.endsWith('\n') ? '\n' : ''}${FAILED_TO_RUN(s.exitCode)}`;
  return {
    status: 'Failed',
    statusDetails: 'Failed',
    responseCode: s.exitCode,
    stdout,
    stderr: stderr.slice(0, STDERR_LIMIT),
    ...times,
  };
}

/**
 * The status of one invocation at `now`.
 *
 * @example invocationView(model, command, command.invocations[0], twin.clock.now()).status // 'InProgress'
 */
export function invocationView(
  model: SsmModel,
  command: CommandState,
  inv: InvocationState,
  now: number,
): InvocationView {
  settle(model, command, inv, now);
  const s = inv.settled;
  const empty = { responseCode: -1, stdout: '', stderr: '' };
  const cancelled = inv.cancelledAt !== undefined && !(s?.kind === 'ran' && s.endAt <= inv.cancelledAt);
  if (cancelled) return { status: 'Cancelled', statusDetails: 'Cancelled', ...empty };
  if (!s)
    return inv.offlineSeenAt !== undefined
      ? { status: 'Delayed', statusDetails: 'Delayed', ...empty }
      : { status: 'Pending', statusDetails: 'Pending', ...empty };
  if (s.kind === 'undeliverable') return { status: 'Failed', statusDetails: 'Undeliverable', ...empty };
  if (s.kind === 'delivery-timed-out')
    return { status: 'TimedOut', statusDetails: 'DeliveryTimedOut', ...empty };
  return ranView(s, now);
}

const TERMINAL = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);

export interface CommandView {
  status: CommandStatus;
  statusDetails: string;
  completedCount: number;
  errorCount: number;
  deliveryTimedOutCount: number;
}

/** The command's status aggregated over its invocations (MaxErrors decides Failed vs Incomplete). */
export function commandView(model: SsmModel, command: CommandState, now: number): CommandView {
  const views = command.invocations.map((inv) => invocationView(model, command, inv, now));
  const count = (pick: (v: InvocationView) => boolean) => views.filter(pick).length;
  const completedCount = count((v) => TERMINAL.has(v.status));
  const errorCount = count((v) => v.statusDetails === 'Failed' || v.statusDetails === 'ExecutionTimedOut');
  const deliveryTimedOutCount = count((v) => v.statusDetails === 'DeliveryTimedOut');
  const counts = { completedCount, errorCount, deliveryTimedOutCount };
  if (!views.length) return { status: 'Success', statusDetails: 'Success', ...counts };
  if (views.every((v) => v.status === 'Cancelled'))
    return { status: 'Cancelled', statusDetails: 'Cancelled', ...counts };
  if (completedCount < views.length) {
    const pending = views.every((v) => v.status === 'Pending');
    return {
      status: pending ? 'Pending' : 'InProgress',
      statusDetails: pending ? 'Pending' : 'InProgress',
      ...counts,
    };
  }
  if (views.every((v) => v.status === 'Success'))
    return { status: 'Success', statusDetails: 'Success', ...counts };
  const maxErrors = Number.parseInt(command.maxErrors, 10) || 0;
  if (errorCount > maxErrors) {
    const timedOut =
      views.some((v) => v.statusDetails === 'ExecutionTimedOut') &&
      !views.some((v) => v.statusDetails === 'Failed');
    return timedOut
      ? { status: 'TimedOut', statusDetails: 'ExecutionTimedOut', ...counts }
      : { status: 'Failed', statusDetails: 'Failed', ...counts };
  }
  if (deliveryTimedOutCount > maxErrors)
    return { status: 'TimedOut', statusDetails: 'DeliveryTimedOut', ...counts };
  return { status: 'Failed', statusDetails: 'Incomplete', ...counts };
}

/** CancelCommand: invocations not finished yet become Cancelled. */
export function cancelCommand(
  model: SsmModel,
  command: CommandState,
  instanceIds: string[] | undefined,
  now: number,
): void {
  for (const inv of command.invocations) {
    if (instanceIds?.length && !instanceIds.includes(inv.instanceId)) continue;
    if (!TERMINAL.has(invocationView(model, command, inv, now).status)) inv.cancelledAt = now;
  }
}
