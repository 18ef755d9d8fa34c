/**
 * The execution environment of one function version: a worker thread that
 * installs the network and console hooks, loads the handler once (the
 * init phase, reported with its duration), then runs invocations one at a
 * time as the twin sends them. The twin ends it by terminating the thread
 * (a timeout, a crash, a new code version, the twin's disposal).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { post, takeAnswer } from './bridge.mjs';
import { installConsole, logLine, setInvocation } from './console.mjs';
import { errorPayload, formattedError, logInvokeError, runHandler } from './invoke.mjs';
import { loadHandler } from './load-handler.mjs';
import { installNetworkHooks } from './network-hooks.mjs';

/** @type {Function | undefined} */
let handler;

/** @param {unknown} error @param {string} label @param {string} errorType */
function crash(error, label, errorType) {
  logLine('ERROR', [label, formattedError(error)]);
  post({ type: 'crash', error: { ...errorPayload(error), ...(errorType && { errorType }) } });
}

process.on('uncaughtException', (error) => crash(error, 'Uncaught Exception', ''));
process.on('unhandledRejection', (reason) =>
  crash(reason, 'Unhandled Promise Rejection', 'Runtime.UnhandledPromiseRejection'),
);

/** Response bodies are JSON; `undefined` becomes `null`, as Lambda returns it. */
function serialize(/** @type {unknown} */ result) {
  return result === undefined ? 'null' : JSON.stringify(result);
}

/** @param {any} msg */
async function invoke(msg) {
  setInvocation(msg.requestId, msg.clockOffsetMs);
  try {
    if (!handler) throw new Error('The handler did not load');
    const result = await runHandler(handler, JSON.parse(msg.payload), msg);
    post({
      type: 'done',
      requestId: msg.requestId,
      ok: true,
      payload: serialize(result),
      memory: memoryMb(),
    });
  } catch (error) {
    logInvokeError(error);
    post({
      type: 'done',
      requestId: msg.requestId,
      ok: false,
      error: errorPayload(error),
      memory: memoryMb(),
    });
  }
}

function memoryMb() {
  const m = process.memoryUsage();
  return Math.ceil((m.heapTotal + m.external) / 1_048_576);
}

parentPort?.on('message', (msg) => {
  if (takeAnswer(msg)) return;
  if (msg.type === 'invoke') void invoke(msg);
});

installNetworkHooks();
installConsole();
setInvocation('undefined', workerData.clockOffsetMs);
const started = performance.now();
try {
  handler = await loadHandler(workerData.taskRoot, workerData.handler);
  post({ type: 'init', ok: true, initMs: performance.now() - started });
} catch (error) {
  logLine('ERROR', ['Uncaught Exception', formattedError(error)]);
  post({ type: 'init', ok: false, error: errorPayload(error), initMs: performance.now() - started });
}
