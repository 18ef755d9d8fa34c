import { createRequire } from 'node:module';
import sinon from 'sinon';
import { afterAll, vi } from 'vitest';

/**
 * The unit files share their workers (isolate: false in vitest.config.ts),
 * so what one file changes in shared modules must end with it. SDK client
 * stubs are the main case: aws-sdk-client-mock's `mockClient(STSClient)`
 * replaces `send` on the client class's prototype through sinon's default
 * sandbox, and a file that never restores it would hand the next file in
 * the worker a client answering `undefined` (the checklist collection, which
 * resolves the reference lab through real clients, failed that way).
 * aws-sdk-client-mock has no ESM entry for Node and requires sinon's
 * CommonJS build, whose default sandbox is not the ESM build's: both are
 * restored.
 */
const sinonAsRequired = createRequire(import.meta.url)('sinon') as typeof sinon;

afterAll(() => {
  sinonAsRequired.restore();
  sinon.restore();
  vi.restoreAllMocks();
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});
