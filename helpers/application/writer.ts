import { paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import type { AwsClients } from '../clients.ts';
import { CannotTellError, classify, LabDeviationError, reading } from '../errors.ts';
import { eventually } from '../eventually.ts';
import { waitingOn } from '../pending.ts';

/**
 * The seed's "Test Lambda" step, done by the suite: invoke the lab's writer
 * once, synchronously, and find this invocation's REPORT line in the
 * function's own log group. The invocation is known by the request id
 * Lambda answered with (`x-amzn-RequestId`, which the runtime also writes
 * in its START, END and REPORT lines), never by "the latest stream".
 */
/**
 * How long the writer's synchronous invoke may take before the bound of its evidence starts: a cold
 * start in a VPC and its own work. The writer's checks get this much beyond `writer.timeoutSeconds`,
 * and the run's deadline counts it (cli/pending.ts).
 */
export const WRITER_INVOKE_MS = 120_000;

export interface WriterInvocation {
  functionName: string;
  requestId: string;
  /** The runner's clock just before the request went out, and just after the answer came (epoch ms). */
  sentAt: number;
  returnedAt: number;
  statusCode: number | undefined;
  /** `Unhandled` (the handler threw or timed out) or `Handled`; absent when it returned. */
  functionError?: string | undefined;
  /** What the function answered (its result, or the runtime's error object), cut to 2 KB. */
  payload: string;
  /** The last 4 KB of this invocation's own log (LogType Tail), decoded. */
  logTail: string;
}

/** How long a writer still Pending (just deployed) may take to become Active before it is invoked. */
const ACTIVE_WITHIN_MS = 90_000;

/**
 * A function just created, or moved into a VPC, is Pending until Lambda has
 * made its network interfaces, and while Pending "any invocations or other
 * API actions that operate on the function fail" (Lambda Developer Guide,
 * "Lambda function states") with ResourceConflictException: a gate run right
 * after a deployment meets exactly that. The writer is invoked once it has
 * left Pending; one that failed to deploy is the lab's deviation.
 */
async function waitForInvokable(clients: AwsClients, functionName: string): Promise<void> {
  const config = await eventually(
    `${functionName} to leave Pending`,
    () =>
      reading(`read ${functionName}`, () =>
        clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName })),
      ),
    {
      timeoutMs: ACTIVE_WITHIN_MS,
      until: (c) => c.State !== 'Pending',
      minIntervalMs: 500,
      maxIntervalMs: 5_000,
      onTimeout: 'cannot-tell',
      show: (c) => `${c.State} (${c.StateReasonCode ?? ''})`,
      reproduce: `aws lambda get-function-configuration --function-name ${functionName}`,
    },
  ).catch((error: unknown) => {
    if (classify(error) === 'not-found')
      throw new LabDeviationError(
        `there is no function ${functionName} to invoke: ${(error as Error).message}`,
      );
    throw error;
  });
  if (config.State === 'Failed')
    throw new LabDeviationError(
      `${functionName} is Failed (${config.StateReasonCode ?? ''}): ${config.StateReason ?? ''}`,
    );
}

/**
 * Invokes a function with an event and waits for its answer. A function
 * that throws still answers 200 (Lambda API Reference, Invoke: "FunctionError
 * — If present, indicates that an error occurred during function
 * execution"); that is evidence for the check, not an error of the suite.
 *
 * @example const call = await invokeWriter(clients, 'event-writer', {});
 */
export async function invokeWriter(
  clients: AwsClients,
  functionName: string,
  event: Record<string, unknown>,
): Promise<WriterInvocation> {
  await waitForInvokable(clients, functionName);
  const sentAt = Date.now();
  let out: InvokeCommandOutput;
  try {
    // A wait like any other (a cold start in a VPC takes its time): told, so the log says what the run waits on.
    out = await waitingOn(`${functionName} to answer its invocation`, WRITER_INVOKE_MS, () =>
      clients.lambda.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'RequestResponse',
          LogType: 'Tail',
          Payload: Buffer.from(JSON.stringify(event)),
        }),
      ),
    );
  } catch (error) {
    // A function that is not there is the lab's deviation; anything else (refused, throttled) the suite's.
    if (classify(error) === 'not-found')
      throw new LabDeviationError(
        `there is no function ${functionName} to invoke: ${(error as Error).message}`,
      );
    return reading(`invoke ${functionName}`, () => Promise.reject(error));
  }
  const returnedAt = Date.now();
  // Every Lambda answer carries x-amzn-RequestId; without it nothing of this invocation can be told apart.
  if (!out.$metadata.requestId)
    throw new CannotTellError(`invoking ${functionName} answered without a request id (x-amzn-RequestId)`);
  return {
    functionName,
    requestId: out.$metadata.requestId,
    sentAt,
    returnedAt,
    statusCode: out.StatusCode,
    functionError: out.FunctionError,
    payload: out.Payload ? Buffer.from(out.Payload).toString('utf8').slice(0, 2048) : '',
    logTail: out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8') : '',
  };
}

/**
 * The function's own words for a failed invocation: the runtime's error object
 * (`errorType`, `errorMessage`; Lambda Developer Guide, "Lambda function errors"),
 * or its raw answer when it is something else.
 *
 * @example errorWords('{"errorType":"ClientError","errorMessage":"… dynamodb:PutItem …"}') // 'ClientError: … dynamodb:PutItem …'
 */
export function errorWords(payload: string): string {
  try {
    const e = JSON.parse(payload) as { errorType?: string; errorMessage?: string };
    if (e?.errorMessage || e?.errorType) return [e.errorType, e.errorMessage].filter(Boolean).join(': ');
  } catch {
    // Not the runtime's error object: shown as it came.
  }
  return payload || 'no payload';
}

/** The function's log group: its LoggingConfig names it (default `/aws/lambda/NAME`). */
export async function getLogGroupOf(clients: AwsClients, functionName: string): Promise<string> {
  const config = await reading(`read function ${functionName}`, () =>
    clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName })),
  );
  return config.LoggingConfig?.LogGroup ?? `/aws/lambda/${functionName}`;
}

export interface ReportLine {
  logStream: string;
  message: string;
  /** What the line says went wrong (`Status: error`, `Status: timeout`, with its Error Type), if anything. */
  trouble?: string | undefined;
}

/**
 * Waits for the REPORT line of one invocation in its log group, paced to the
 * time since the invocation (Lambda delivers its logs to CloudWatch Logs
 * asynchronously, usually within seconds). The line may carry `Status:`
 * and `Error Type:` when the runtime itself failed the invocation (Lambda
 * Developer Guide, "Working with Lambda function logs", REPORT fields).
 * A log group that does not exist yet is "not yet"; at the bound, a
 * LabDeviationError saying what it saw.
 */
export async function waitForReportLine(
  clients: AwsClients,
  call: Pick<WriterInvocation, 'requestId' | 'sentAt' | 'functionName'>,
  options: { logGroup: string; timeoutMs: number; signal?: AbortSignal },
): Promise<ReportLine> {
  const needle = `REPORT RequestId: ${call.requestId}`;
  const look = async (): Promise<ReportLine | undefined> => {
    const pages = paginateFilterLogEvents(
      { client: clients.logs },
      {
        logGroupName: options.logGroup,
        // A quoted term matches the exact phrase (CloudWatch Logs User Guide, "Filter pattern syntax").
        filterPattern: `"${needle}"`,
        startTime: call.sentAt - 60_000,
      },
    );
    for await (const page of pages)
      for (const e of page.events ?? [])
        if (e.message?.includes(needle)) return reportOf(e.logStreamName ?? '', e.message);
    return undefined;
  };
  const line = await eventually(`the REPORT line of ${call.functionName}'s request ${call.requestId}`, look, {
    timeoutMs: options.timeoutMs,
    overshoot: 0.1,
    since: call.sentAt,
    minIntervalMs: 500,
    maxIntervalMs: 5_000,
    retryOn: (error) => classify(error) === 'not-found',
    reproduce: `aws logs filter-log-events --log-group-name ${options.logGroup} --filter-pattern '"${needle}"'`,
    show: (line) => line?.message ?? 'no REPORT line for this request',
    ...(options.signal && { signal: options.signal }),
  });
  return line!;
}

function reportOf(logStream: string, message: string): ReportLine {
  const status = /\tStatus: (\w+)/.exec(message)?.[1];
  const type = /\tError Type: ([^\t\n]+)/.exec(message)?.[1];
  const trouble =
    status || type ? [status && `Status: ${status}`, type].filter(Boolean).join(', ') : undefined;
  return { logStream, message: message.trim(), trouble };
}
