import type {
  CancelCommandRequest,
  CancelCommandResult,
  CommandFilter,
  GetCommandInvocationRequest,
  GetCommandInvocationResult,
  ListCommandInvocationsRequest,
  ListCommandInvocationsResult,
  ListCommandsRequest,
  ListCommandsResult,
  SendCommandRequest,
  SendCommandResult,
} from '@aws-sdk/client-ssm';
import type { RequestContext } from '../../../core/context.ts';
import type { Handler } from '../../../core/service.ts';
import {
  invalidCommandId,
  invalidFilterKey,
  invalidPluginName,
  invocationDoesNotExist,
  validationError,
} from '../errors.ts';
import type { CommandState, InvocationState, SsmModel } from '../model/index.ts';
import { cancelCommand, commandView, invocationView } from '../model/invocations.ts';
import { paginate } from '../model/paging.ts';
import { sendCommand } from '../model/send.ts';
import { PLUGIN, renderCommand, renderInvocation, renderInvocationResult } from './render.ts';

/**
 * ssm:SendCommand is checked on the document and on each target instance
 * ("Actions, resources, and condition keys for AWS Systems Manager": resource
 * types `document` and `instance`). AWS-owned documents have no account in
 * their ARN.
 */
function authorizeSendCommand(input: SendCommandRequest, ctx: RequestContext): void {
  const name = input.DocumentName ?? '';
  const document = name.startsWith('arn:')
    ? name
    : name.startsWith('AWS-')
      ? `arn:aws:ssm:${ctx.region}::document/${name}`
      : `arn:aws:ssm:${ctx.region}:${ctx.accountId}:document/${name}`;
  ctx.authorize({ action: 'ssm:SendCommand', resource: document });
  const instances = input.InstanceIds?.length ? input.InstanceIds : ['*'];
  for (const id of instances)
    ctx.authorize({
      action: 'ssm:SendCommand',
      resource: `arn:aws:ec2:${ctx.region}:${ctx.accountId}:instance/${id}`,
    });
}

/** "Member must satisfy regular expression pattern" for InstanceId (SSM API reference, InstanceId type). */
const INSTANCE_ID = /(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)/;

function checkCommandId(id: string | undefined): void {
  if (id !== undefined && id.length !== 36) {
    const bound = id.length < 36 ? 'greater than or equal to 36' : 'less than or equal to 36';
    throw validationError('commandId', id, `Member must have length ${bound}`);
  }
}

function knownCommand(model: SsmModel, id: string | undefined): CommandState | undefined {
  if (id === undefined) return undefined;
  checkCommandId(id);
  const command = model.commands.get(id);
  if (!command) throw invalidCommandId();
  return command;
}

/** ListCommands / ListCommandInvocations filters: InvokedAfter, InvokedBefore, Status, ExecutionStage, DocumentName. */
function filterMatches(f: CommandFilter, requestedAt: number, status: string, document: string): boolean {
  const value = f.value ?? '';
  switch (f.key) {
    case 'InvokedAfter':
      return requestedAt >= Date.parse(value);
    case 'InvokedBefore':
      return requestedAt <= Date.parse(value);
    case 'Status':
      return status === value;
    case 'ExecutionStage':
      return value === 'Complete'
        ? ['Success', 'Failed', 'TimedOut', 'Cancelled'].includes(status)
        : status === 'InProgress' || status === 'Pending';
    case 'DocumentName':
      return document === value;
    default:
      throw invalidFilterKey();
  }
}

function newestFirst(model: SsmModel): CommandState[] {
  return [...model.commands.values()].reverse();
}

export const commandHandlers: Record<string, Handler<SsmModel>> = {
  SendCommand(model, input: SendCommandRequest, ctx): SendCommandResult {
    authorizeSendCommand(input, ctx);
    const command = sendCommand(model, input);
    return { Command: renderCommand(model, command, ctx.time) };
  },

  GetCommandInvocation(model, input: GetCommandInvocationRequest, ctx): GetCommandInvocationResult {
    checkCommandId(input.CommandId);
    if (!INSTANCE_ID.test(input.InstanceId ?? '')) {
      throw validationError(
        'instanceId',
        input.InstanceId,
        `Member must satisfy regular expression pattern: ${INSTANCE_ID.source}`,
      );
    }
    if (input.PluginName !== undefined && input.PluginName !== PLUGIN) throw invalidPluginName();
    const command = model.commands.get(input.CommandId ?? '');
    const inv = command?.invocations.find((i) => i.instanceId === input.InstanceId);
    // Right after SendCommand the invocation is not visible yet (aws-fidelity.md): clients retry.
    if (!command || !inv || ctx.time < command.visibleAt) throw invocationDoesNotExist();
    return renderInvocationResult(command, inv, invocationView(model, command, inv, ctx.time), ctx.time);
  },

  ListCommandInvocations(model, input: ListCommandInvocationsRequest, ctx): ListCommandInvocationsResult {
    const only = knownCommand(model, input.CommandId);
    const rows: { command: CommandState; inv: InvocationState }[] = [];
    for (const command of only ? [only] : newestFirst(model)) {
      if (ctx.time < command.visibleAt) continue;
      for (const inv of command.invocations) {
        if (input.InstanceId && inv.instanceId !== input.InstanceId) continue;
        const status = invocationView(model, command, inv, ctx.time).status;
        if (
          (input.Filters ?? []).every((f) =>
            filterMatches(f, command.requestedAt, status, command.documentName),
          )
        )
          rows.push({ command, inv });
      }
    }
    const { page, NextToken } = paginate(rows, input, { min: 1, max: 50, fallback: 50 });
    const CommandInvocations = page.map((r) =>
      renderInvocation(model, r.command, r.inv, ctx.time, input.Details ?? false),
    );
    return { CommandInvocations, ...(NextToken && { NextToken }) };
  },

  ListCommands(model, input: ListCommandsRequest, ctx): ListCommandsResult {
    const only = knownCommand(model, input.CommandId);
    const commands = (only ? [only] : newestFirst(model)).filter(
      (c) =>
        (!input.InstanceId || c.invocations.some((i) => i.instanceId === input.InstanceId)) &&
        (input.Filters ?? []).every((f) =>
          filterMatches(f, c.requestedAt, commandView(model, c, ctx.time).status, c.documentName),
        ),
    );
    const { page, NextToken } = paginate(commands, input, { min: 1, max: 50, fallback: 50 });
    return { Commands: page.map((c) => renderCommand(model, c, ctx.time)), ...(NextToken && { NextToken }) };
  },

  CancelCommand(model, input: CancelCommandRequest, ctx): CancelCommandResult {
    const command = knownCommand(model, input.CommandId);
    if (!command) throw invalidCommandId();
    cancelCommand(model, command, input.InstanceIds, ctx.time);
    return {};
  },
};
