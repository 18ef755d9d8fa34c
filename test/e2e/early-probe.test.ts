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

describe('the reach probes are created before the checks start, and only for the endpoint checks', () => {
  test('a run of the endpoint checks creates each probe before the checks start', async ({ expect }) => {
    await lab.server.reset();
    const from = lab.server.twin.calls.length;
    const run = await runValidate(['--targets', example, '--only', 'endpoints'], env());
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
  });

  test('a run of the application checks creates the probes of its DynamoDB placements, and S13 invokes them', async ({
    expect,
  }) => {
    await lab.server.reset();
    const from = lab.server.twin.calls.length;
    const run = await runValidate(['--targets', example, '--only', 'application'], env());
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const runId = run.results!.run.runId;
    const calls = callsSince(from);
    const checksStarted = Date.parse((run.results!.run as { startedAt?: string }).startedAt ?? '');
    const made = creates(calls);
    // The reference lab's application.dynamodb names prod and dev: their probes, made before the checks, and no other.
    expect(made.map((c) => c.requestParameters?.functionName).sort()).toEqual([
      `meshcheck-${runId}-dev`,
      `meshcheck-${runId}-prod`,
    ]);
    for (const c of made) expect(c.time).toBeLessThan(checksStarted);
    expect(run.results!.tests.filter((t) => t.id === 'S13').map((t) => [t.row, t.verdict])).toEqual([
      ['prod', 'pass'],
      ['dev', 'pass'],
    ]);
  });

  test('a run without the endpoint checks creates no probe', async ({ expect }) => {
    const from = lab.server.twin.calls.length;
    const run = await runValidate(['--targets', example, '--only', 'network'], env());
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(creates(callsSince(from))).toEqual([]);
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
