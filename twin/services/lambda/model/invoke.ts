import {
  ConcurrencyLimitError,
  type FunctionSpec,
  PythonMissingError,
  type RunResult,
  runtimeOf,
} from '../../../runtime/index.ts';
import { logTail } from '../../../runtime/log-lines.ts';
import type { Twin } from '../../../twin.ts';
import { findRole, markRoleUsed } from '../../iam/lookups.ts';
import { deliverLogEvents } from '../../logs/lookups.ts';
import { issueRoleSession } from '../../sts/sessions.ts';
import {
  invalidParameter,
  invalidRequestContent,
  invalidRuntime,
  requestTooLarge,
  tooManyRequests,
} from '../errors.ts';
import { requireActive } from './functions.ts';
import type { FunctionState, LambdaModel } from './index.ts';
import { functionPosition } from './vpc.ts';

/**
 * Invoking a function (Lambda API reference, Invoke): RequestResponse runs
 * it and answers 200 with its response, even when it fails (FunctionError
 * "Unhandled"); Event queues it and answers 202; DryRun only checks and
 * answers 204. Its logs go to /aws/lambda/NAME as its execution role
 * writes them.
 */
export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export interface InvokeResult {
  statusCode: number;
  functionError?: 'Unhandled' | 'Handled';
  payload: Buffer;
  /** Base64 of the last 4 KB of the invocation's log. */
  logTail: string;
  requestId?: string;
  executedVersion?: string;
}

/** "Request must be smaller than 6291456 bytes" (sync) / 1 MB (async) (Lambda quotas, invocation payload). */
const MAX_SYNC_PAYLOAD = 6_291_456;
const MAX_ASYNC_PAYLOAD = 1_048_576;

function eventText(payload: Uint8Array | undefined, invocationType: InvocationType): string {
  const text = payload?.length ? Buffer.from(payload).toString('utf8') : '{}';
  const max = invocationType === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
  if (Buffer.byteLength(text) > max) {
    throw requestTooLarge(`Request must be smaller than ${max} bytes for the InvokeFunction operation`);
  }
  try {
    JSON.parse(text);
  } catch {
    throw invalidRequestContent('Could not parse request body into json: Could not parse payload into json');
  }
  return text;
}

/** What the runtime needs of this version of the function; a new environment gets a fresh role session. */
export function specOf(twin: Twin, model: LambdaModel, fn: FunctionState): FunctionSpec {
  const role = findRole(twin, fn.role);
  if (!role) throw invalidParameter('The role defined for the function cannot be assumed by Lambda.');
  const position = functionPosition(twin, model, fn);
  return {
    key: `${fn.arn}#${fn.revisionId}`,
    functionArn: fn.arn,
    functionName: fn.name,
    accountId: model.accountId,
    region: model.region,
    handler: fn.handler,
    runtime: fn.runtime,
    memorySize: fn.memorySize,
    timeoutSeconds: fn.timeout,
    environment: fn.environment,
    code: fn.code,
    logGroupName: `/aws/lambda/${fn.name}`,
    position,
    credentials: () => {
      markRoleUsed(twin, role.roleArn, model.region);
      // The session lives as long as the environment may (12 h); the runtime replaces environments before it expires.
      return issueRoleSession(twin, {
        roleArn: role.roleArn,
        roleId: role.roleId,
        sessionName: fn.name,
        durationSeconds: 43_200,
        ...(position && { position }),
      });
    },
  };
}

async function run(
  twin: Twin,
  model: LambdaModel,
  fn: FunctionState,
  requestId: string,
  event: string,
  clientContext?: string,
): Promise<RunResult> {
  try {
    const result = await runtimeOf(twin).run(specOf(twin, model, fn), {
      requestId,
      payload: event,
      clientContext,
    });
    deliverLogEvents(
      twin,
      {
        accountId: model.accountId,
        region: model.region,
        logGroupName: `/aws/lambda/${fn.name}`,
        logStreamName: result.logStreamName,
        createGroup: true,
        principal: result.principal,
      },
      result.logEvents,
    );
    return result;
  } catch (err) {
    if (err instanceof ConcurrencyLimitError) throw tooManyRequests('ConcurrentInvocationLimitExceeded');
    if (err instanceof PythonMissingError) throw invalidRuntime(err.message);
    throw err;
  }
}

/**
 * Invokes `fn`. An Event invocation runs in the background; its errors are
 * dropped (the twin neither retries nor sends to a destination).
 *
 * @example await invoke(twin, model, fn, { requestId, payload, invocationType: 'RequestResponse' })
 */
export async function invoke(
  twin: Twin,
  model: LambdaModel,
  fn: FunctionState,
  request: {
    requestId: string;
    payload: Uint8Array | undefined;
    invocationType: InvocationType;
    clientContext?: string;
  },
): Promise<InvokeResult> {
  requireActive(fn, twin.clock.now());
  const event = eventText(request.payload, request.invocationType);
  if (request.invocationType === 'DryRun') return { statusCode: 204, payload: Buffer.alloc(0), logTail: '' };
  if (request.invocationType === 'Event') {
    run(twin, model, fn, request.requestId, event, request.clientContext).catch(() => {});
    return { statusCode: 202, payload: Buffer.alloc(0), logTail: '', requestId: request.requestId };
  }
  const result = await run(twin, model, fn, request.requestId, event, request.clientContext);
  return {
    statusCode: 200,
    payload: result.payload,
    ...(result.functionError && { functionError: result.functionError }),
    logTail: logTail(result.logEvents),
    requestId: request.requestId,
    executedVersion: '$LATEST',
  };
}
