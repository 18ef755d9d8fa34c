/**
 * The worker's line to the twin (the main thread): questions that only the
 * twin can answer (what a name resolves to from the function's network
 * position, whether an address can be reached) go out as messages and come
 * back as answers. Plain JavaScript: a worker thread runs it without a
 * TypeScript loader, as Lambda's runtime runs the function's own code.
 */
import { parentPort } from 'node:worker_threads';

let nextId = 0;
/** @type {Map<number, (answer: any) => void>} */
const waiting = new Map();

/**
 * Posts a message to the twin.
 * @param {Record<string, unknown>} message
 */
export function post(message) {
  parentPort?.postMessage(message);
}

/**
 * Asks the twin and waits for its answer.
 * @param {Record<string, unknown>} question
 * @returns {Promise<any>}
 */
export function ask(question) {
  nextId += 1;
  const id = nextId;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    post({ ...question, id });
  });
}

/**
 * Routes an answer to the question that waits for it; false for other messages.
 * @param {{ type?: string, id?: number }} message
 */
export function takeAnswer(message) {
  if (message.type !== 'answer' || message.id === undefined) return false;
  const resolve = waiting.get(message.id);
  waiting.delete(message.id);
  resolve?.(message);
  return true;
}
