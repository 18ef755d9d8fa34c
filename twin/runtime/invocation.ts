import type { Environment, InvokeOutcome } from './environment.ts';
import { endLine, type LogEvent, type Report, reportLine, startLine, timedOutText } from './log-lines.ts';
import type { ErrorPayload, RunRequest, RunResult } from './types.ts';

/**
 * One invocation on an environment, from init (on a cold start) to the
 * REPORT line: the handler's own lines between START and END, the
 * response or the error payload, and what Lambda writes when the function
 * runs out of time ("Task timed out after N.NN seconds", the environment
 * ended) or its runtime exits.
 */

/** "The maximum size of the response payload is 6 MB" for synchronous invocations (Lambda quotas). */
const MAX_RESPONSE_BYTES = 6_291_556;
/** The init phase may take up to 10 seconds (Lambda Developer Guide, execution environment lifecycle). */
const INIT_LIMIT_MS = 10_000;

interface Ending {
  payload: string;
  failed: boolean;
  timedOut: boolean;
  extraLogs: LogEvent[];
  status?: Report['status'];
  errorType?: string | undefined;
}

function errorEnding(error: ErrorPayload, status?: Report['status']): Ending {
  return {
    payload: JSON.stringify(error),
    failed: true,
    timedOut: false,
    extraLogs: [],
    status,
    errorType: error.errorType,
  };
}

function timeoutEnding(now: number, requestId: string, elapsedMs: number): Ending {
  const text = timedOutText(now, requestId, elapsedMs);
  return {
    payload: JSON.stringify({ errorMessage: text }),
    failed: true,
    timedOut: true,
    extraLogs: [{ timestamp: now, message: `${text}\n` }],
    status: 'timeout',
  };
}

/** A runtime that exited reports it with the request id: `RequestId: … Error: Runtime exited with error: …`. */
function exitEnding(requestId: string, error: ErrorPayload): Ending {
  const errorMessage = `RequestId: ${requestId} Error: Runtime exited with error: ${error.errorMessage}`;
  return errorEnding({ errorType: error.errorType, errorMessage }, 'error');
}

function fromOutcome(now: number, requestId: string, outcome: InvokeOutcome, elapsedMs: number): Ending {
  switch (outcome.kind) {
    case 'timeout':
      return timeoutEnding(now, requestId, elapsedMs);
    case 'exit':
      return exitEnding(requestId, outcome.error);
    case 'crash':
      return errorEnding(outcome.error, 'error');
    case 'done':
      if (!outcome.ok) return errorEnding(outcome.error);
      if (Buffer.byteLength(outcome.payload) > MAX_RESPONSE_BYTES) {
        return errorEnding({
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        });
      }
      return { payload: outcome.payload, failed: false, timedOut: false, extraLogs: [] };
  }
}

/** The init phase of a cold start: undefined when the handler loaded, else how the invocation ends. */
async function initPhase(env: Environment, requestId: string): Promise<{ initMs: number; ending?: Ending }> {
  const limit = Math.max(INIT_LIMIT_MS, env.spec.timeoutSeconds * 1000);
  const init = await env.initialized(limit);
  if (init.ok) return { initMs: init.initMs };
  if ('timedOut' in init && init.timedOut) {
    return { initMs: init.initMs, ending: timeoutEnding(env.now(), requestId, init.initMs) };
  }
  const error = init.error ?? { errorType: 'Runtime.Unknown', errorMessage: 'The runtime failed to start' };
  const exited = error.errorType === 'Runtime.ExitError' || error.errorType === 'Runtime.OutOfMemory';
  return { initMs: init.initMs, ending: exited ? exitEnding(requestId, error) : errorEnding(error, 'error') };
}

/**
 * Runs `request` on `env` and assembles the result. Ends the environment
 * when the invocation timed out, crashed or never got past init.
 */
export async function runInvocation(env: Environment, request: RunRequest): Promise<RunResult> {
  const { requestId } = request;
  const cold = env.state === 'init';
  env.beginInvocation();
  const init = cold ? await initPhase(env, requestId) : { initMs: undefined };
  const initLogs = env.takeLogs();
  const started = performance.now();
  const start: LogEvent = { timestamp: env.now(), message: startLine(requestId) };
  let ending = 'ending' in init ? init.ending : undefined;
  if (!ending) {
    const outcome = await env.invoke(request, env.spec.timeoutSeconds * 1000);
    ending = fromOutcome(env.now(), requestId, outcome, performance.now() - started);
  }
  const durationMs = performance.now() - started;
  if (ending.failed && ending.status) env.terminate();
  const report = reportLine({
    requestId,
    durationMs,
    memorySize: env.spec.memorySize,
    maxMemoryUsedMb: env.maxMemoryMb,
    initDurationMs: init.initMs,
    status: ending.status,
    errorType: ending.status === 'error' ? ending.errorType : undefined,
  });
  const now = env.now();
  const logEvents = [
    ...initLogs,
    start,
    ...env.takeLogs(),
    ...ending.extraLogs,
    { timestamp: now, message: endLine(requestId) },
    { timestamp: now, message: report },
  ];
  return {
    requestId,
    payload: Buffer.from(ending.payload),
    ...(ending.failed && { functionError: 'Unhandled' as const }),
    logEvents,
    logStreamName: env.logStreamName,
    coldStart: cold,
    durationMs,
    ...(init.initMs !== undefined && { initDurationMs: init.initMs }),
    timedOut: ending.timedOut,
    principal: env.credential.principal,
  };
}
