import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { type FunctionSpec, runtimeOf } from '../../../../twin/runtime/index.ts';
import { Twin } from '../../../../twin/twin.ts';
import { specOf } from './fixtures.ts';

/**
 * The runtime runs real handler code in worker threads: the environment a
 * function sees, warm and cold starts, the handler styles Node.js allows,
 * and the errors the Lambda runtime reports for them.
 */
const twin = new Twin({ origin: 'http://127.0.0.1:9' });
afterAll(() => twin.dispose());

let requests = 0;
const run = (spec: FunctionSpec, event: unknown = {}) =>
  runtimeOf(twin).run(spec, { requestId: `req-${++requests}`, payload: JSON.stringify(event) });
const json = (r: { payload: Buffer }) => JSON.parse(r.payload.toString());
const logText = (r: { logEvents: { message: string }[] }) => r.logEvents.map((e) => e.message).join('');

describe('the environment a function sees', () => {
  test('Lambda’s variables, the role session’s keys, the twin as endpoint, and the function’s own variables', async () => {
    const spec = specOf(
      twin,
      { 'index.mjs': 'export const handler = async () => ({ ...process.env })' },
      { functionName: 'env-check', memorySize: 256, environment: { BUCKET_NAME: 'some-bucket' } },
    );
    const result = await run(spec);
    const env = json(result);
    expect(env).toMatchObject({
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'env-check',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env-check',
      AWS_LAMBDA_LOG_STREAM_NAME: result.logStreamName,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      BUCKET_NAME: 'some-bucket',
    });
    expect(env.AWS_ACCESS_KEY_ID).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(twin.credentials.get(env.AWS_ACCESS_KEY_ID)?.principal.arn).toBe(
      'arn:aws:sts::123456789012:assumed-role/runner/env-check',
    );
    expect(env.AWS_SESSION_TOKEN).toBe(twin.credentials.get(env.AWS_ACCESS_KEY_ID)?.sessionToken);
    expect(env.LAMBDA_TASK_ROOT).toMatch(/lambda-tasks/);
    expect(result.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  test('a function’s own variable cannot shadow a reserved one', async () => {
    const spec = specOf(
      twin,
      { 'index.mjs': 'export const handler = async () => process.env.AWS_REGION' },
      { environment: { AWS_REGION: 'xx-nowhere-1' } },
    );
    expect(json(await run(spec))).toBe('us-east-1');
  });
});

describe('cold and warm starts', () => {
  test('the first invocation initialises (Init Duration), the next reuses the module and the log stream', async () => {
    const spec = specOf(twin, {
      'index.mjs': 'let calls = 0; console.log("loading"); export const handler = async () => ++calls;',
    });
    const cold = await run(spec);
    const warm = await run(spec);
    expect([json(cold), json(warm)]).toEqual([1, 2]);
    expect(cold.coldStart).toBe(true);
    expect(warm.coldStart).toBe(false);
    expect(warm.logStreamName).toBe(cold.logStreamName);
    expect(logText(cold)).toMatch(/^\S+\tundefined\tINFO\tloading\nSTART RequestId: /);
    expect(logText(cold)).toMatch(/\tInit Duration: \d+\.\d\d ms\t\n$/);
    expect(logText(warm)).not.toContain('Init Duration');
  });

  test('a CommonJS handler loads whatever other twins leave in the shared tasks folder', async () => {
    // Other twins (other processes) unpack code beside this one; a package.json of
    // theirs caught half-written must not decide how this handler loads.
    const shared = join(fileURLToPath(new URL('../../../../', import.meta.url)), '.cache', 'lambda-tasks');
    mkdirSync(shared, { recursive: true });
    writeFileSync(join(shared, 'package.json'), '{ "type": "comm');
    try {
      const result = await run(specOf(twin, { 'index.js': 'exports.handler = async () => "loaded";' }));
      expect([result.functionError, json(result)]).toEqual([undefined, 'loaded']);
    } finally {
      rmSync(join(shared, 'package.json'), { force: true });
    }
  });

  test('a new version of the code starts cold', async () => {
    const first = specOf(
      twin,
      { 'index.mjs': 'export const handler = async () => 1' },
      { functionName: 'versioned' },
    );
    const second = specOf(
      twin,
      { 'index.mjs': 'export const handler = async () => 2' },
      { functionName: 'versioned' },
    );
    await run(first);
    const next = await run(second);
    expect([json(next), next.coldStart]).toEqual([2, true]);
  });
});

describe('handler styles', () => {
  test.for([
    ['CommonJS with a callback', { 'index.js': 'exports.handler = (e, ctx, cb) => cb(null, { got: e.n })' }],
    ['CommonJS async, nested path', { 'src/app.js': 'exports.handler = async (e) => ({ got: e.n })' }],
    ['ES module', { 'index.mjs': 'export const handler = async (e) => ({ got: e.n })' }],
    [
      '.js under "type": "module"',
      {
        'package.json': '{"type":"module"}',
        'index.js': 'export const handler = async (e) => ({ got: e.n })',
      },
    ],
    ['context.succeed', { 'index.js': 'exports.handler = (e, ctx) => { ctx.succeed({ got: e.n }) }' }],
  ] as const)('%s', async ([, files]) => {
    const handler = 'src/app.js' in files ? 'src/app.handler' : 'index.handler';
    const result = await run(specOf(twin, files, { handler }), { n: 7 });
    expect(json(result)).toEqual({ got: 7 });
  });

  test.for([
    ['an async handler returning nothing', 'export const handler = async () => {}'],
    ['a synchronous handler without a callback', 'export const handler = () => "ignored"'],
  ] as const)('%s answers null', async ([, source]) => {
    expect((await run(specOf(twin, { 'index.mjs': source }))).payload.toString()).toBe('null');
  });
});

describe('errors as the Node.js runtime reports them', () => {
  test.for([
    ['a missing module', { 'other.mjs': '' }, 'Runtime.ImportModuleError', /Cannot find module 'index'/],
    [
      'a missing export',
      { 'index.mjs': 'export const other = 1' },
      'Runtime.HandlerNotFound',
      /^index\.handler is undefined or not exported$/,
    ],
    ['a syntax error', { 'index.js': 'exports.handler = (' }, 'Runtime.UserCodeSyntaxError', /SyntaxError/],
  ] as const)('%s', async ([, files, errorType, message]) => {
    const result = await run(specOf(twin, files));
    expect(result.functionError).toBe('Unhandled');
    expect(json(result).errorType).toBe(errorType);
    expect(json(result).errorMessage).toMatch(message);
  });

  test('a runtime that exits reports Runtime.ExitError with the request id, and the next start is cold', async () => {
    const spec = specOf(twin, {
      'index.mjs': 'export const handler = async (e) => { if (e.exit) process.exit(3); return "ok" }',
    });
    const result = await runtimeOf(twin).run(spec, { requestId: 'exit-1', payload: '{"exit":true}' });
    expect(json(result)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: exit-1 Error: Runtime exited with error: exit status 3',
    });
    expect((await run(spec)).coldStart).toBe(true);
  });

  test('a callback error is the handler’s error', async () => {
    const result = await run(
      specOf(twin, { 'index.js': 'exports.handler = (e, c, cb) => cb(new RangeError("too far"))' }),
    );
    expect(json(result)).toMatchObject({ errorType: 'RangeError', errorMessage: 'too far' });
  });
});

describe('timeouts', () => {
  test('a function that outlives its Timeout ends with "Task timed out" and its environment is replaced', async () => {
    const spec = specOf(
      twin,
      {
        'index.mjs':
          'export const handler = (e) => (e.hang ? new Promise(() => {}) : Promise.resolve("fine"))',
      },
      { timeoutSeconds: 1 },
    );
    const result = await runtimeOf(twin).run(spec, { requestId: 'slow-1', payload: '{"hang":true}' });
    expect(result.timedOut).toBe(true);
    expect(result.functionError).toBe('Unhandled');
    expect(Object.keys(json(result))).toEqual(['errorMessage']);
    expect(json(result).errorMessage).toMatch(
      /^\d{4}-\d\d-\d\dT\S+Z slow-1 Task timed out after 1\.\d\d seconds$/,
    );
    expect(logText(result)).toMatch(
      /Z slow-1 Task timed out after 1\.\d\d seconds\nEND RequestId: slow-1\nREPORT RequestId: slow-1\tDuration: 1\d{3}\.\d\d ms.*\tStatus: timeout\t\n$/,
    );
    const next = await run(spec);
    expect([json(next), next.coldStart]).toEqual(['fine', true]);
  });
});

test('a handler stuck in a synchronous loop is ended at its Timeout all the same', async () => {
  const spec = specOf(
    twin,
    { 'index.mjs': 'export const handler = async () => { for (;;) {} }' },
    { timeoutSeconds: 1 },
  );
  const result = await run(spec);
  expect(result.timedOut).toBe(true);
  expect(runtimeOf(twin).environmentsOf(spec.functionArn)).toEqual([]);
});

test('the client context reaches the handler’s context', async () => {
  const spec = specOf(twin, { 'index.mjs': 'export const handler = async (e, ctx) => ctx.clientContext' });
  const result = await runtimeOf(twin).run(spec, {
    requestId: 'cc',
    payload: '{}',
    clientContext: '{"custom":{"app":"probe"}}',
  });
  expect(json(result)).toEqual({ custom: { app: 'probe' } });
});

describe('disposal', () => {
  test('a disposed twin ends its workers and runs nothing more', async () => {
    const own = new Twin({ origin: 'http://127.0.0.1:9' });
    const spec = specOf(own, { 'index.mjs': 'export const handler = async () => 1' });
    await runtimeOf(own).run(spec, { requestId: 'd-1', payload: '{}' });
    expect(runtimeOf(own).environmentsOf(spec.functionArn)).toHaveLength(1);
    own.dispose();
    expect(runtimeOf(own).environmentsOf(spec.functionArn)).toEqual([]);
    await expect(runtimeOf(own).run(spec, { requestId: 'd-2', payload: '{}' })).rejects.toThrow(/disposed/);
  });
});
