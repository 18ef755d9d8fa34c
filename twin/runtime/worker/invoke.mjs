/**
 * One invocation of the handler: the event, a context object as the
 * Node.js runtime builds it, and the result whether the handler is async
 * (returns a promise) or callback style (`callback(err, result)`,
 * `context.succeed/fail/done`). Errors become the runtime's error payload
 * `{ errorType, errorMessage, trace }` and its `Invoke Error` log line.
 */
import { inspect, types } from 'node:util';
import { logLine, twinNow } from './console.mjs';

/**
 * The response Lambda returns for an error (the runtime interface client's `toRapidResponse`).
 * @param {unknown} error
 */
export function errorPayload(error) {
  const e = /** @type {any} */ (error);
  if (types.isNativeError(error) || (e && typeof e.name === 'string' && typeof e.stack === 'string')) {
    return { errorType: e.name, errorMessage: e.message, trace: String(e.stack).split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/**
 * The error as the runtime logs it: a tab, then JSON with errorType,
 * errorMessage, its own enumerable fields and the stack as lines.
 * @param {unknown} error
 */
export function formattedError(error) {
  try {
    return `\t${JSON.stringify(error, (_k, v) =>
      v instanceof Error
        ? { errorType: v.name, errorMessage: v.message, ...v, stack: String(v.stack).split('\n') }
        : v,
    )}`;
  } catch {
    return `\t${JSON.stringify(errorPayload(error))}`;
  }
}

/** @param {string | undefined} text */
function parseClientContext(text) {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param {{ requestId: string, deadlineMs: number, clientContext?: string, meta: Record<string, string> }} msg
 * @param {(err: unknown, result?: unknown) => void} done
 */
function makeContext(msg, done) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: msg.meta.functionName,
    functionVersion: msg.meta.functionVersion,
    invokedFunctionArn: msg.meta.invokedFunctionArn,
    memoryLimitInMB: msg.meta.memoryLimitInMB,
    awsRequestId: msg.requestId,
    logGroupName: msg.meta.logGroupName,
    logStreamName: msg.meta.logStreamName,
    clientContext: parseClientContext(msg.clientContext),
    identity: undefined,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadlineMs - twinNow()),
    succeed: (/** @type {unknown} */ result) => done(null, result),
    fail: (/** @type {unknown} */ err) => done(err ?? 'handled'),
    done,
  };
}

/**
 * Runs the handler; resolves with its result, rejects with what it threw or passed to the callback.
 * @param {Function} handler
 * @param {unknown} event
 * @param {{ requestId: string, deadlineMs: number, clientContext?: string, meta: Record<string, string> }} msg
 */
export function runHandler(handler, event, msg) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (/** @type {unknown} */ err, /** @type {unknown} */ result) => {
      if (settled) return;
      settled = true;
      if (err !== null && err !== undefined) reject(err);
      else resolve(result);
    };
    let returned;
    try {
      returned = handler(event, makeContext(msg, done), done);
    } catch (err) {
      done(err ?? new Error('handler threw undefined'));
      return;
    }
    if (returned && typeof (/** @type {any} */ (returned).then) === 'function') {
      /** @type {Promise<unknown>} */ (returned).then(
        (result) => done(null, result),
        (err) => done(err ?? new Error(inspect(err))),
      );
    } else if (handler.length < 3) {
      // A synchronous handler that takes no callback: Lambda ignores its return value and answers
      // null once the event loop is empty; a worker's loop never empties, so the twin answers now.
      done(null, null);
    }
  });
}

/** @param {unknown} error */
export function logInvokeError(error) {
  logLine('ERROR', ['Invoke Error', formattedError(error)]);
}
