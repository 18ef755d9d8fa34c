import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { ApiCall } from '../../twin/core/audit.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { ROOT, runValidate, twinEnv } from './support/validate.ts';

/**
 * `meshcheck validate` creates the run's reach probes as soon as the
 * targets resolve, so Lambda's Pending (a minute on AWS) overlaps vitest's
 * start: before any check runs, only when the endpoint checks will, and a
 * create that fails is still the probe checks' error, not the run's crash.
 * Seen from the twin's own call log, as CloudTrail would record the calls.
 */
let lab: ReferenceTwin;
beforeAll(async () => {
  lab = await serveReferenceLab();
});
afterAll(() => lab.server.close());

const example = join(ROOT, 'targets.example.json');
const env = () => twinEnv(lab.server.endpoint, lab.runner());
const callsSince = (from: number): ApiCall[] => lab.server.twin.calls.slice(from);
const creates = (calls: ApiCall[]) =>
  calls.filter((c) => c.eventSource === 'lambda.amazonaws.com' && c.eventName === 'CreateFunction');

describe('the reach probes are created before the checks start', () => {
  // One run proves what three did: the early create, for the endpoint and the PrivateLink checks, which
  // share the probes. Which placements each area takes is cli/placements.ts's unit test; a run is the
  // costliest thing npm test does.
  test('a run of the endpoint and PrivateLink checks creates each probe once, before the checks start, and both areas pass on them', async ({
    expect,
  }) => {
    await lab.server.reset();
    const from = lab.server.twin.calls.length;
    const run = await runValidate(
      ['--targets', example, '--only', 'endpoints', '--only', 'privatelink'],
      env(),
    );
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const calls = callsSince(from);
    const made = creates(calls);
    expect(made.map((c) => c.requestParameters?.functionName).sort()).toEqual([
      `meshcheck-${run.results!.run.runId}-dev`,
      `meshcheck-${run.results!.run.runId}-prod`,
    ]);
    // Before the checks' run started (results.json's run.startedAt, vitest's onTestRunStart): made by validate
    // while vitest was starting, not by the probe file's hook. The twin's clock is this machine's.
    const checksStarted = Date.parse((run.results!.run as { startedAt?: string }).startedAt ?? '');
    expect(checksStarted).toBeGreaterThan(0);
    for (const c of made) expect(c.time).toBeLessThan(checksStarted);
    // E6 beside P9–P11: the endpoint file leaves the shared probes to the run's sweep, so the live
    // PrivateLink checks find them deployed whichever file runs first.
    const verdicts = run
      .results!.tests.filter((t) => ['E6', 'P9', 'P10', 'P11', 'P12'].includes(t.id))
      .map((t) => `${t.id} ${t.row}: ${t.verdict}`)
      .sort();
    expect(verdicts).toEqual(
      [
        'E6 dev: pass',
        'E6 prod: pass',
        'P9 prod: pass',
        'P10 prod: pass',
        'P11 dev: pass',
        'P12 log-archive: pass',
      ].sort(),
    );
  });

  test('a probe Lambda will not create is an error on its placement’s E6 row, not a crash', {
    timeout: 180_000,
  }, async ({ expect }) => {
    await lab.server.reset();
    const faults = {
      rate: 1,
      kinds: ['5xx'],
      services: ['lambda'],
      operations: ['CreateFunction'],
      persistence: 'every-attempt',
    };
    await fetch(`${lab.server.endpoint}/_twin/faults`, { method: 'PUT', body: JSON.stringify(faults) });
    try {
      const run = await runValidate(['--targets', example, '--only', 'endpoints'], env());
      expect(run.code, run.stderr.slice(-2000)).toBe(3);
      const runId = run.results!.run.runId;
      const e6 = run.results!.tests.filter((t) => t.id === 'E6');
      expect(e6.map((t) => [t.row, t.verdict]).sort()).toEqual([
        ['dev', 'error'],
        ['prod', 'error'],
      ]);
      for (const t of e6) expect(t.message).toContain(`could not create probe meshcheck-${runId}-${t.row}: `);
      // The configuration checks beside them still ran and passed.
      expect(run.results!.tests.filter((t) => t.id === 'E1').every((t) => t.verdict === 'pass')).toBe(true);
    } finally {
      await fetch(`${lab.server.endpoint}/_twin/faults`, { method: 'PUT', body: '{"rate":0,"kinds":[]}' });
    }
  });
});
