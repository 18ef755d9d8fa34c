import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { eventually } from '../../helpers/eventually.ts';
import { cleanLab, listLeftovers, waitForNoLeftovers } from './support/leftovers.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { ROOT, twinEnv } from './support/validate.ts';

/**
 * Everything a run creates is removed when it is interrupted half-way, looked at through the public API
 * as an operator. (That a finished run leaves nothing is proven on validate.test.ts's clean run.)
 */
let lab: ReferenceTwin;
const example = `${ROOT}/targets.example.json`;

beforeAll(async () => {
  lab = await serveReferenceLab();
});
afterAll(() => lab.server.close());

/**
 * Interrupted the way terminals and CI interrupt: a terminal's Ctrl+C is
 * SIGINT to the whole foreground process group (the CLI and anything it
 * started), a CI runner's cancel is SIGTERM to the group, and the documented
 * entry point `npm run validate` puts npm in front. Whatever receives the
 * signal, the run stops, removes what it created, replaces its reports with
 * ones marked interrupted, and exits 130 (SIGINT) or 143 (SIGTERM); a second
 * signal during the cleanup is acknowledged and does not cut it short.
 */
type Moment = 'vitest started' | 'probe deployed' | 'cleanup started';

interface Interruption {
  via: 'node' | 'npm';
  /** Signals in order: when, what, and whether to the whole group or to the first process alone. */
  signals: { at: Moment; signal: 'SIGINT' | 'SIGTERM'; to: 'group' | 'process' }[];
}

async function interruptRun(plan: Interruption) {
  const before = await cleanLab(lab);
  const reports = mkdtempSync(join(tmpdir(), 'meshcheck-interrupt-'));
  // A previous run's passing reports, which must not survive an interrupted run.
  for (const file of ['junit.xml', 'report.html', 'results.json'])
    writeFileSync(join(reports, file), 'stale pass');
  const args = ['--targets', example, '--reports', reports];
  const [command, argv] =
    plan.via === 'npm'
      ? ['npm', ['run', '--silent', 'validate', '--', ...args]]
      : [process.execPath, ['--import', 'tsx', `${ROOT}/cli/main.ts`, 'validate', ...args]];
  // Detached: its own process group, as a shell makes for a foreground job.
  const child = spawn(command, argv, {
    cwd: ROOT,
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...twinEnv(lab.server.endpoint, lab.runner()),
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 0))),
  );
  const reached: Record<Moment, () => Promise<unknown>> = {
    'vitest started': () =>
      eventually('vitest to start', async () => /RUN|✓|❯/.test(stdout) || undefined, {
        timeoutMs: 90_000,
        minIntervalMs: 50,
        maxIntervalMs: 100,
      }),
    'probe deployed': () =>
      eventually('a probe function to exist', () => listLeftovers(lab), {
        timeoutMs: 90_000,
        until: (l) => l.functions.length > 0,
        minIntervalMs: 50,
        maxIntervalMs: 200,
      }),
    'cleanup started': () =>
      eventually(
        'the CLI to say it is stopping',
        async () => /stopping the checks/.test(stderr) || undefined,
        {
          timeoutMs: 30_000,
          minIntervalMs: 20,
          maxIntervalMs: 50,
        },
      ),
  };
  for (const { at, signal, to } of plan.signals) {
    await reached[at]();
    process.kill(to === 'group' ? -child.pid! : child.pid!, signal);
  }
  // Bounded: a run that ignores the signal fails here rather than hanging the suite.
  const code = await Promise.race([
    exited,
    new Promise<number>((resolve) => setTimeout(() => resolve(-1), 120_000)),
  ]);
  if (code === -1) process.kill(-child.pid!, 'SIGKILL');
  const results = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8'));
  const runId: string = results.run.runId;
  const left = await waitForNoLeftovers(lab, before, runId);
  return {
    code,
    stdout,
    stderr,
    results,
    junit: readFileSync(join(reports, 'junit.xml'), 'utf8'),
    left,
    reports,
  };
}

describe('interrupted the way terminals and CI interrupt', () => {
  test.for<[string, number, Interruption]>([
    [
      'Ctrl+C (SIGINT to the group) right after the probe deploy',
      130,
      { via: 'node', signals: [{ at: 'probe deployed', signal: 'SIGINT', to: 'group' }] },
    ],
    [
      'a CI cancel (SIGTERM to the group) before the probe deploy',
      143,
      { via: 'node', signals: [{ at: 'vitest started', signal: 'SIGTERM', to: 'group' }] },
    ],
    [
      'Ctrl+C twice: after the probe deploy, again during the cleanup',
      130,
      {
        via: 'node',
        signals: [
          { at: 'probe deployed', signal: 'SIGINT', to: 'group' },
          { at: 'cleanup started', signal: 'SIGINT', to: 'group' },
        ],
      },
    ],
    [
      'npm run validate: SIGTERM to npm alone after the deploy, then to the group during the cleanup',
      143,
      {
        via: 'npm',
        signals: [
          { at: 'probe deployed', signal: 'SIGTERM', to: 'process' },
          { at: 'cleanup started', signal: 'SIGTERM', to: 'group' },
        ],
      },
    ],
  ])(
    '%s: nothing of the run is left, reports say interrupted, exit %i',
    { timeout: 240_000 },
    async ([, exitCode, plan], { expect }) => {
      const run = await interruptRun(plan);
      expect(run.code, run.stderr.slice(-2000)).toBe(exitCode);
      expect(run.left).toEqual({ functions: [], versions: [], enis: [] });
      const signal = exitCode === 130 ? 'SIGINT' : 'SIGTERM';
      expect(run.stderr).toContain(`interrupted (${signal})`);
      if (plan.signals.length > 1) expect(run.stderr).toContain(`${signal} received again`);
      // A hook still deploying the probes may outlast the checks' grace; the sweep then takes what it
      // made. What must never happen is a sweep that could not finish.
      expect(run.stdout + run.stderr).not.toMatch(
        /could not remove everything|gave up waiting for the sweep/,
      );
      expect(run.results).toMatchObject({ exitCode, run: { endReason: 'interrupted' } });
      expect(run.results.problems[0].message).toContain(`interrupted by ${signal}`);
      expect(run.junit).toContain(`interrupted by ${signal}`);
      expect(readFileSync(join(run.reports, 'report.html'), 'utf8')).toContain('INTERRUPTED');
    },
  );
});
