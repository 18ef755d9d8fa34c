/**
 * Finds the function's handler as the Node.js runtime does: `dir/file.fn`
 * names `fn` (a dotted path into the module's exports) in `dir/file`
 * under LAMBDA_TASK_ROOT, tried as written, then `.js` (CommonJS unless
 * the nearest package.json says "type": "module"), `.mjs`, `.cjs`. Loading
 * failures carry the runtime's own error types: Runtime.MalformedHandlerName,
 * Runtime.ImportModuleError, Runtime.UserCodeSyntaxError,
 * Runtime.HandlerNotFound (Lambda Developer Guide, "Define Lambda function
 * handler in Node.js"; the runtime interface client's UserFunction).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** @param {string} name @param {string} message */
export function runtimeError(name, message) {
  const err = new Error(message);
  err.name = `Runtime.${name}`;
  return err;
}

/** @param {string} folder @param {string} root */
function typeModule(folder, root) {
  for (let dir = folder; dir.startsWith(root); dir = dirname(dir)) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        return JSON.parse(readFileSync(pj, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (dir === root) break;
  }
  return false;
}

/** @param {string} file @param {string} root */
async function importUserModule(file, root) {
  const require = createRequire(file);
  const esm = typeModule(dirname(file), root);
  if (existsSync(file)) return require(file);
  if (existsSync(`${file}.js`)) return esm ? import(pathToFileURL(`${file}.js`).href) : require(`${file}.js`);
  if (existsSync(`${file}.mjs`)) return import(pathToFileURL(`${file}.mjs`).href);
  if (existsSync(`${file}.cjs`)) return require(`${file}.cjs`);
  const err = /** @type {NodeJS.ErrnoException} */ (
    new Error(`Cannot find module '${basename(file)}'\nRequire stack:\n- /var/runtime/index.mjs`)
  );
  err.code = 'MODULE_NOT_FOUND';
  throw err;
}

/**
 * @param {string} taskRoot
 * @param {string} handler
 * @returns {Promise<Function>}
 */
export async function loadHandler(taskRoot, handler) {
  if (handler.includes('..')) {
    throw runtimeError(
      'MalformedHandlerName',
      `'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const last = basename(handler);
  const match = /^([^.]*)\.(.*)$/.exec(last);
  if (!match) throw runtimeError('MalformedHandlerName', 'Bad handler');
  const [, moduleName = '', path = ''] = match;
  const root = resolve(taskRoot);
  let mod;
  try {
    mod = await importUserModule(
      resolve(root, handler.slice(0, handler.length - last.length), moduleName),
      root,
    );
  } catch (e) {
    const err = /** @type {NodeJS.ErrnoException} */ (e);
    if (err instanceof SyntaxError) throw runtimeError('UserCodeSyntaxError', String(err));
    if (err?.code === 'MODULE_NOT_FOUND' || err?.code === 'ERR_MODULE_NOT_FOUND')
      throw runtimeError('ImportModuleError', String(err));
    throw err;
  }
  const fn = path.split('.').reduce((/** @type {any} */ o, key) => o?.[key], mod);
  if (!fn) throw runtimeError('HandlerNotFound', `${handler} is undefined or not exported`);
  if (typeof fn !== 'function') throw runtimeError('HandlerNotFound', `${handler} is not a function`);
  return fn;
}
