import { afterAll } from 'vitest';
import { flushCalls } from '../../reports/calls.ts';

// Each test file's API call counts reach the reports through a shared directory.
afterAll(async () => {
  const dir = process.env.MESHCHECK_CALLS_DIR;
  if (dir) await flushCalls(dir);
});
