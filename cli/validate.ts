import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Vitest } from 'vitest/node';
import { CannotTellError, TargetsError } from '../helpers/errors.ts';
import { createRunProbes } from '../helpers/probe.ts';
import { newRunId, runId, useRunId } from '../helpers/run.ts';
import { type Swept, sweepAll } from '../helpers/sweep.ts';
import { loadTargets, type ResolvedTargets, resolveTargets, type Targets } from '../helpers/targets/index.ts';
import { clientsForTargets } from '../helpers/targets/resolve.ts';
import { listenForHeartbeats, wantsHeartbeats } from '../reports/heartbeat.ts';
import {
  buildModel,
  excludedTags,
  printable,
  readResults,
  type Stop,
  stoppedModel,
  terminalText,
  writeReports,
} from '../reports/index.ts';
import { appendStepSummary } from '../reports/step-summary.ts';
import type { EmbeddedTwin } from './embedded.ts';
import { PendingWork, runDeadlineMs } from './pending.ts';
import { placementsToProbe } from './placements.ts';
import { bounded, RunStop, type StopCause, say } from './stop.ts';

export interface ValidateOptions {
  targets: string | undefined;
  /** What runs: `gate` leaves out the checks tagged `delivery`; `nightly` runs them all. */
  mode: 'gate' | 'nightly';
  /** `--region`: overrides the targets' region and the SDK's chain (a run against an account only). */
  region?: string | undefined;
  reportsDir: string;
  twinProfile: 'fast' | 'realistic';
  scale: number;
  /** Areas of the checklist to run (`network`, `endpoints`, `data-protection`); all when empty. */
  only: string[];
  /** The run's deadline in seconds; derived from the targets' bounds when absent. */
  deadlineSeconds?: number | undefined;
  /** A previous run's results.json: the report marks each check newly failing, still failing, fixed or unchanged. */
  baseline?: string | undefined;
}

const root = fileURLToPath(new URL('..', import.meta.url));
export const EXAMPLE_TARGETS = join(root, 'targets.example.json');

/**
 * Once stopped, the checks get this long to stop and run their own cleanup
 * hooks (they abort their waits at once), vitest this long to close, and the
 * sweep of what the run created this long: a stopped run exits within about
 * 90 s whatever else arrives.
 */
const STOP_GRACE_MS = 20_000;
const CLOSE_MS = 10_000;
const SWEEP_MS = 60_000;
export const CLEANUP_BOUND_MS = STOP_GRACE_MS + CLOSE_MS + SWEEP_MS;

/**
 * Runs the conformance suite. Without targets it serves the reference lab
 * on an embedded twin and checks it with targets.example.json; with
 * `--targets` it checks whatever the SDK's default settings reach.
 * A bad targets file exits 2 before any AWS call.
 */
export async function validate(options: ValidateOptions): Promise<number> {
  const stop = new RunStop(CLEANUP_BOUND_MS);
  // From here to the exit, SIGINT and SIGTERM stop the run rather than kill it.
  stop.takeSignals();
  try {
    return await run(options, stop);
  } finally {
    stop.release();
    // Whatever ended the run, its reports say so: the job summary shows the verdict they hold.
    const summary = process.env.GITHUB_STEP_SUMMARY;
    if (inGitHubActions() && summary) {
      const failed = appendStepSummary(resolve(options.reportsDir), summary);
      if (failed) say(`meshcheck: ${failed}`);
    }
  }
}

/** GitHub Actions sets GITHUB_ACTIONS=true in every step ("Default environment variables"). */
function inGitHubActions(): boolean {
  return process.env.GITHUB_ACTIONS === 'true';
}

async function run(options: ValidateOptions, stop: RunStop): Promise<number> {
  const embedded = !options.targets;
  const outputDir = resolve(options.reportsDir);
  // Every validate is a run of its own, also when one process validates twice.
  useRunId(newRunId());
  // The reports' `profile` is what ran (the mode), as results.json has always called it.
  const meta = { runId: runId(), target: '', profile: options.mode, startedAt: Date.now() };
  /** Replaces the report files: whatever stops this run, no previous run's pass stays behind. */
  const reportStop = (stopped: Stop, base?: Parameters<typeof stoppedModel>[2]) =>
    writeReports(stoppedModel(stopped, meta, base), outputDir);
  reportStop({
    exitCode: 3,
    endReason: 'running',
    message:
      'the run has not finished: it is still running, or it was killed before it could write its reports',
  });
  const badInput = (error: TargetsError) => {
    // Each problem is one line by construction: a line break inside one is data (a name), shown as `\n`.
    const [head] = error.message.split('\n');
    const lines = error.problems.length > 1 || error.problems[0] !== error.message;
    const message = lines
      ? [head, ...error.problems.map((p) => `  ${printable(p)}`)].join('\n')
      : error.message;
    reportStop({ exitCode: 2, endReason: 'bad-input', message: `bad input, no check ran: ${message}` });
    return report(message, 2);
  };
  let targets: Targets;
  try {
    targets = await loadTargets(options.targets ?? EXAMPLE_TARGETS, { region: options.region });
  } catch (error) {
    if (error instanceof TargetsError) return badInput(error);
    throw error;
  }
  // Read now, like the targets: a baseline that is no results file is bad input, found before any call.
  if (options.baseline) {
    try {
      readResults(options.baseline);
    } catch (error) {
      const message = `--baseline ${options.baseline}: ${(error as Error).message.replace(/^\S+ is not/, 'not')}`;
      return badInput(new TargetsError(message));
    }
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Only a run without targets loads the twin: a run against an account never does.
  let twin: EmbeddedTwin | undefined;
  if (embedded) {
    const { pointSdkAt, startEmbeddedTwin } = await import('./embedded.ts');
    twin = await startEmbeddedTwin(options.twinProfile, options.scale);
    pointSdkAt(twin.env);
    console.log(
      `meshcheck: no --targets given: checking the reference lab on the embedded twin at ${twin.server.endpoint} (${options.twinProfile} profile)`,
    );
  }
  const pending = new PendingWork();
  // A CI log that shows nothing for many minutes gets a run cancelled: each long wait says it is still waiting.
  const heartbeats = wantsHeartbeats() ? listenForHeartbeats() : undefined;
  try {
    const resolved = await resolveTargets(targets);
    meta.target = embedded
      ? `embedded twin (${twin!.server.endpoint})`
      : `account ${resolved.accountIds.lab} (${resolved.region})`;
    const deadlineMs = options.deadlineSeconds
      ? options.deadlineSeconds * 1000
      : runDeadlineMs(resolved, options.mode);
    stop.armDeadline(deadlineMs, () => pending.describe());
    const probePlacements = placementsToProbe(resolved, options.only);
    let early: ReturnType<typeof createRunProbes> | undefined;
    let vitest: Vitest | undefined;
    let finished = false;
    try {
      if (!stop.cause) {
        // Loaded only once the targets are good: a bad file exits 2 without paying for vitest.
        const { createVitest } = await import('vitest/node');
        vitest = await createVitest('test', {
          root,
          project: 'conformance',
          run: true,
          watch: false,
          // The checks wait on AWS, not on the CPU: more files at once than cores. In threads, not
          // processes: a signal to the process group (a terminal's Ctrl+C, a CI runner's SIGTERM)
          // reaches only this process, which stops the checks and lets them clean up, instead of
          // killing workers mid-check with their probes still deployed.
          pool: 'threads',
          maxWorkers: 4,
          reporters: [
            'default',
            [
              join(root, 'reports/reporter.ts'),
              { outputDir, baseline: options.baseline && resolve(options.baseline) },
            ],
            pending.reporter(),
            // In GitHub Actions: an error annotation for each failed check and vitest's counts in the job
            // summary. Not every check's evidence as a notice annotation: GitHub keeps ten notices a step
            // (actions/toolkit, docs/problem-matchers.md, "Limitations"), an arbitrary few of dozens; the
            // evidence is in the reports.
            ...(inGitHubActions()
              ? [
                  ['github-actions', { displayAnnotations: false }] as [
                    'github-actions',
                    { displayAnnotations: boolean },
                  ],
                ]
              : []),
          ],
          ...(options.mode === 'gate' && { tagsFilter: ['!delivery'] }),
        });
        // Vitest's logger answers SIGINT/SIGTERM with process.exit() a millisecond later, which would
        // cut the sweep short; the CLI owns these signals from the moment vitest exists — before the wait
        // for the probes below, when a Ctrl+C once exited with the probes still deployed.
        stop.takeSignals();
        // The reach probes are created now, before vitest starts its workers: Lambda keeps a VPC function
        // Pending while it makes its ENIs (a minute on AWS, "Lambda function states", Lambda Developer
        // Guide), and that wait then overlaps the start-up instead of following it. Not before the signals
        // are the CLI's: a Ctrl+C that vitest's handler took would exit with the probes deployed. Only when
        // the endpoint checks, or the application's DynamoDB reach (S13), will run; they share them.
        if (probePlacements.length)
          early = createRunProbes(clientsForTargets(resolved)('lab'), resolved, probePlacements);
        // Vitest's own channel to the checks (`inject`) and the reporter: nothing goes through files or
        // the environment.
        vitest.provide('targets', resolved);
        vitest.provide('run', { runId: meta.runId, target: meta.target, profile: options.mode });
        // A create that hangs must not hold the run past a stop: the checks then deploy their own (and are
        // cancelled at once), and the probes made here are swept below once their creation has ended.
        const made = early && (await Promise.race([early, stop.stopped.then(() => undefined)]));
        if (made) vitest.provide('probes', made);
        const running = vitest.start(options.only.map((area) => `suites/${area}/`)).then(() => {
          finished = true;
        });
        const cause = await Promise.race([running, stop.stopped]);
        if (cause) {
          // Vitest forgets a cancel that comes before its run has started (runFiles clears it), so it is
          // repeated until vitest says it is cancelling — never while it is: a second cancel forces
          // the workers down without their cleanup.
          const v = vitest;
          const cancel = () => {
            if (!(v as unknown as { isCancelling: boolean }).isCancelling)
              void v.cancelCurrentRun(cause.kind === 'signal' ? 'keyboard-input' : 'test-failure');
          };
          cancel();
          const again = setInterval(cancel, 250);
          await bounded('the checks to stop', running, STOP_GRACE_MS);
          clearInterval(again);
        }
      }
    } finally {
      // Stopped, finished or crashed, what the run created is removed before we exit.
      if (vitest) await bounded('vitest to close', vitest.close(), CLOSE_MS);
      // A probe still being created when the run stopped is swept once it exists, not before.
      if (early) await bounded('the probes to be created', early, CLOSE_MS);
      await bounded('the sweep of what this run created', sweepRun(resolved), SWEEP_MS);
    }
    if (stop.cause) {
      const model = vitest
        ? buildModel({
            modules: vitest.state.getTestModules(),
            unhandledErrors: [],
            endReason: 'interrupted',
            meta: { ...meta, vitestVersion: vitest.version },
            startedAt: meta.startedAt,
            finishedAt: Date.now(),
            excludedTags: excludedTags(vitest.config.tagsFilter),
          })
        : undefined;
      const stopped = stopOf(stop.cause, finished);
      reportStop(stopped, model);
      say(`meshcheck: exit ${stopped.exitCode} (${stopped.endReason}); reports in ${outputDir}`);
      return stopped.exitCode;
    }
    const results = readResults(join(outputDir, 'results.json'));
    console.log(`meshcheck: reports in ${outputDir} (junit.xml, report.html, results.json)`);
    return results.exitCode;
  } catch (error) {
    if (error instanceof TargetsError) return badInput(error);
    if (error instanceof CannotTellError) {
      const message = `meshcheck could not reach the lab: ${error.message}`;
      reportStop({ exitCode: 3, endReason: 'could-not-tell', message });
      return report(message, 3);
    }
    // A crash: main.ts exits 3 (could not tell); the reports say so rather than "still running".
    try {
      reportStop({
        exitCode: 3,
        endReason: 'crashed',
        message: `the suite crashed, could not tell: ${(error as Error)?.message ?? String(error)}`,
        details: (error as Error)?.stack,
      });
    } catch {
      // The reports cannot be written (that may be the crash); main.ts still prints it.
    }
    throw error;
  } finally {
    pending.close();
    heartbeats?.close();
    await twin?.server.close();
  }
}

/** The report's words and the exit code for a stopped run. */
function stopOf(cause: StopCause, checksFinished: boolean): Stop {
  if (cause.kind === 'deadline')
    return {
      exitCode: 3,
      endReason: 'deadline',
      message: `the run passed its deadline of ${Math.round(cause.deadlineMs / 1000)} s and was stopped; unfinished checks could not tell`,
      details: cause.pending,
    };
  return {
    exitCode: cause.exitCode,
    endReason: 'interrupted',
    message: checksFinished
      ? `interrupted by ${cause.signal} while removing what the run created; the checks had finished`
      : `interrupted by ${cause.signal}: the checks were stopped; unfinished checks could not tell`,
  };
}

/** Removes the probes and objects this run made, wherever it stopped. */
async function sweepRun(targets: ResolvedTargets): Promise<void> {
  const clients = clientsForTargets(targets)('lab');
  const swept: Swept[] = [];
  try {
    swept.push(...(await sweepAll(clients, targets, { runId: targets.runId })));
  } catch (error) {
    say(
      `meshcheck: could not remove everything run ${targets.runId} created (${(error as Error).message}); \`meshcheck cleanup\` will`,
    );
  }
  if (swept.length)
    console.log(
      terminalText(
        `meshcheck: removed ${swept.length} leftovers of run ${targets.runId}: ${swept.map((s) => s.id).join(', ')}`,
      ),
    );
}

function report(message: string, code: number): number {
  say(`meshcheck: ${message}`);
  return code;
}
