/**
 * Reports for a run the CLI stopped: bad input (exit 2), a crash or a run
 * past its deadline (3), an interruption (130 / 143), or a run still going.
 * Every run replaces its report files whatever its exit, saying why it
 * stopped, so a dashboard never reads the previous run's pass.
 */
import { type ExitCode, type RunMeta, type RunModel, summarize } from './model.ts';
import { redactText } from './redact.ts';

export interface Stop {
  exitCode: ExitCode;
  /** `bad-input`, `crashed`, `deadline`, `interrupted`, `running`. */
  endReason: string;
  /** Why, in one paragraph: the first thing a reader sees. */
  message: string;
  details?: string;
}

/**
 * The model of a stopped run: the checks it finished (from `base`, the model
 * vitest's results gave, when there is one), the stop as the first problem
 * of the run, and the stop's exit code — which a finished check's failure
 * does not override: an interrupted run is reported as interrupted.
 */
export function stoppedModel(
  stop: Stop,
  meta: Pick<RunMeta, 'runId' | 'target' | 'profile'> & { startedAt: number; vitestVersion?: string },
  base?: RunModel,
): RunModel {
  const finishedAt = Date.now();
  const tests = base?.tests ?? [];
  const problem = {
    message: redactText(stop.message),
    ...(stop.details && { details: redactText(stop.details) }),
  };
  return {
    meta: {
      runId: meta.runId,
      target: meta.target,
      profile: meta.profile,
      startedAt: base?.meta.startedAt ?? new Date(meta.startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      endReason: stop.endReason,
      vitestVersion: base?.meta.vitestVersion ?? meta.vitestVersion ?? '',
    },
    summary: summarize(tests, finishedAt - meta.startedAt),
    exitCode: stop.exitCode,
    tests,
    problems: [problem, ...(base?.problems ?? [])],
    calls: base?.calls ?? {},
  };
}
