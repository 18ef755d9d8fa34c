import { afterAll, inject } from 'vitest';
import { takeCalls } from '../../helpers/calls.ts';
import { useRunId } from '../../helpers/run.ts';

// This run's id, as validate made it and the provided targets carry it: every worker tags the same way.
useRunId(inject('targets').runId);

// Each test file's AWS call counts ride to the reporter on the file's own task meta.
// biome-ignore lint/correctness/noEmptyPattern: vitest reads hook fixtures from a destructuring pattern; the file comes second.
afterAll(({}, file) => {
  file.meta.calls = takeCalls();
});
