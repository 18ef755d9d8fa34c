/**
 * Function output as the Node.js runtime writes it to CloudWatch Logs: each
 * console call is one log event, `<ISO time>\t<request id>\t<LEVEL>\t<text>\n`
 * (console.log and console.info are INFO, console.warn WARN, console.error
 * ERROR, console.debug DEBUG, console.trace TRACE); anything written to
 * stdout or stderr directly becomes one event per line (Lambda Developer
 * Guide, "Log and monitor Node.js Lambda functions"; the Node.js runtime
 * interface client's LogPatch).
 */
import { format } from 'node:util';
import { post } from './bridge.mjs';

let requestId = 'undefined';
/** Twin clock minus the wall clock, so timestamps are twin time. */
let clockOffsetMs = 0;

/** @param {string} id @param {number} offsetMs */
export function setInvocation(id, offsetMs) {
  requestId = id;
  clockOffsetMs = offsetMs;
}

export function twinNow() {
  return Date.now() + clockOffsetMs;
}

/** @param {string} message */
function emit(message) {
  post({ type: 'log', timestamp: twinNow(), message });
}

/** @param {string} level @param {unknown[]} args */
export function logLine(level, args) {
  emit(`${new Date(twinNow()).toISOString()}\t${requestId}\t${level}\t${format(...args)}\n`);
}

/** @param {unknown} chunk */
function writeRaw(chunk) {
  const text =
    typeof chunk === 'string' ? chunk : Buffer.from(/** @type {Uint8Array} */ (chunk)).toString('utf8');
  for (const line of text.split('\n')) if (line) emit(`${line}\n`);
}

const LEVELS = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  log: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'FATAL',
};

/** Replaces console methods and stdout/stderr writes; call before any user code loads. */
export function installConsole() {
  for (const [method, level] of Object.entries(LEVELS)) {
    /** @type {any} */ (console)[method] = (/** @type {unknown[]} */ ...args) => logLine(level, args);
  }
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = /** @type {any} */ (
      (/** @type {unknown} */ chunk, /** @type {unknown} */ encoding, /** @type {unknown} */ cb) => {
        writeRaw(chunk);
        const done = typeof encoding === 'function' ? encoding : cb;
        if (typeof done === 'function') process.nextTick(done);
        return true;
      }
    );
  }
}
