import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { ApiCall } from '../../twin/core/audit.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { ROOT, runValidate, twinEnv } from './support/validate.ts';

/**
 * P9–P11 use the run's reach probes: validate creates those of
 * `privateLink.services[].live` early when the privatelink area runs, the
 * live checks invoke them, and the endpoint checks (which use the same
 * probes) leave them deployed for P9–P11 instead of deleting them when
 * their own file is done. Seen from the twin's call log.
 */
let lab: ReferenceTwin;
beforeAll(async () => {
  lab = await serveReferenceLab();
});
afterAll(() => lab.server.close());

const example = join(ROOT, 'targets.example.json');
const env = () => twinEnv(lab.server.endpoint, lab.runner());
const lambdaCalls = (from: number, name: string): ApiCall[] =>
  lab.server.twin.calls
    .slice(from)
    .filter((c) => c.eventSource === 'lambda.amazonaws.com' && c.eventName === name);
const verdicts = (run: Awaited<ReturnType<typeof runValidate>>, ids: string[]) =>
  run
    .results!.tests.filter((t) => ids.includes(t.id))
    .map((t) => `${t.id} ${t.row}: ${t.verdict}${t.verdict === 'pass' ? '' : ` (${t.message})`}`)
    .sort();

const LIVE = ['P9 prod: pass', 'P10 prod: pass', 'P11 dev: pass', 'P12 log-archive: pass'].sort();

describe('the live PrivateLink checks run on the probes validate creates early', () => {
  test('a run of the privatelink area creates the live placements’ probes before the checks, and P9–P12 pass', async ({
    expect,
  }) => {
    await lab.server.reset();
    const from = lab.server.twin.calls.length;
    const run = await runValidate(['--targets', example, '--only', 'privatelink'], env());
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const runId = run.results!.run.runId;
    const made = lambdaCalls(from, 'CreateFunction');
    expect(made.map((c) => c.requestParameters?.functionName).sort()).toEqual([
      `meshcheck-${runId}-dev`,
      `meshcheck-${runId}-prod`,
    ]);
    const checksStarted = Date.parse((run.results!.run as { startedAt?: string }).startedAt ?? '');
    for (const c of made) expect(c.time).toBeLessThan(checksStarted);
    expect(verdicts(run, ['P9', 'P10', 'P11', 'P12'])).toEqual(LIVE);
  });

  test('with the endpoint checks beside them, P9–P11 still find the shared probes deployed', async ({
    expect,
  }) => {
    await lab.server.reset();
    const from = lab.server.twin.calls.length;
    const run = await runValidate(
      ['--targets', example, '--only', 'endpoints', '--only', 'privatelink'],
      env(),
    );
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(verdicts(run, ['P9', 'P10', 'P11', 'P12'])).toEqual(LIVE);
    // One probe per placement for both areas, removed by the run's sweep once both are done.
    expect(lambdaCalls(from, 'CreateFunction')).toHaveLength(2);
  });
});
