import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { isOutcome, outcomeLine } from '../common/outcome.ts';
import { bundleProbe } from '../probes/bundle.ts';
import type { Attempt, AttemptResult, ProbeReport } from '../probes/s3-reach/attempts.ts';
import type { AwsClients } from './clients.ts';
import { CannotTellError, cannotTell, type ErrorKind, reading } from './errors.ts';
import { eventually } from './eventually.ts';
import { RUN_TAG } from './run.ts';
import type { ResolvedTargets } from './targets/index.ts';
import type { ProbePlacementTarget } from './targets/schema.ts';

/**
 * The S3-reach probe, deployed into lab subnets for one run: created with
 * the run's tag, waited on until Active (a VPC function is Pending while its
 * ENIs are made), invoked, and deleted. A crashed probe, a probe that timed
 * out as a whole, or a probe that never became Active means the suite cannot
 * tell — never that the lab passed or failed.
 */
export interface DeployedProbe {
  functionName: string;
  clients: AwsClients;
}

export interface ProbePlacement {
  /** Name part of the function: `meshcheck-<run>-<placement>`. */
  placement: string;
  roleArn: string;
  subnetIds: string[];
  securityGroupIds: string[];
  runId: string;
  signal?: AbortSignal;
}

export async function deployProbe(clients: AwsClients, p: ProbePlacement): Promise<DeployedProbe> {
  const { probe, createdAt } = await createProbe(clients, p);
  return waitForProbe(probe, createdAt, p.signal);
}

/** The probe's function name for a run and placement: `meshcheck-<run>-<placement>`, cut to Lambda's 64. */
export function probeFunctionName(runId: string, placement: string): string {
  return `meshcheck-${runId}-${placement}`.slice(0, 64);
}

/**
 * Creates the probe's function, tagged with the run, without waiting for it
 * to leave Pending: the wait ({@link waitForProbe}) can then overlap
 * whatever else the run is starting.
 */
export async function createProbe(
  clients: AwsClients,
  p: Omit<ProbePlacement, 'signal'>,
): Promise<{ probe: DeployedProbe; createdAt: number }> {
  const functionName = probeFunctionName(p.runId, p.placement);
  const zip = await bundleProbe('s3-reach');
  await reading(`create probe ${functionName}`, () =>
    clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: functionName,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: p.roleArn,
        Code: { ZipFile: zip },
        // Room for a lane of three slow steps, each tried 2 + 4 + 8 s, and connects that never open.
        Timeout: 120,
        MemorySize: 256,
        VpcConfig: { SubnetIds: p.subnetIds, SecurityGroupIds: p.securityGroupIds },
        Description: `meshcheck reach probe, run ${p.runId}`,
        Tags: { [RUN_TAG]: p.runId, 'meshcheck:purpose': 'reach-probe' },
      }),
    ),
  );
  return { probe: { functionName, clients }, createdAt: Date.now() };
}

/** Waits for a probe created at `createdAt` to leave Pending; anything but Active is cannot-tell. */
export async function waitForProbe(
  probe: DeployedProbe,
  createdAt: number,
  signal?: AbortSignal,
): Promise<DeployedProbe> {
  const { functionName, clients } = probe;
  // Pending → Active can take a minute or two while Hyperplane ENIs are made (aws-fidelity.md, Lambda).
  // Polled here rather than with waitUntilFunctionActiveV2, whose one-second floor is most of a fast run;
  // paced to the time since creation (5%), so a 45 s activation is seen within about 2 s, not 5 to 10.
  const state = await eventually(
    `probe ${functionName} to become Active`,
    () =>
      reading(`read probe ${functionName}`, () =>
        clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName })),
      ),
    {
      timeoutMs: 300_000,
      until: (c) => c.State !== 'Pending',
      // Five looks a second at most per probe: Lambda's control plane allows 15 a second per API (Lambda quotas).
      minIntervalMs: 200,
      maxIntervalMs: 5_000,
      overshoot: 0.05,
      since: createdAt,
      onTimeout: 'cannot-tell',
      show: (c) => `${c.State} (${c.StateReasonCode ?? ''})`,
      reproduce: `aws lambda get-function-configuration --function-name ${functionName}`,
      ...(signal && { signal }),
    },
  );
  if (state.State !== 'Active')
    throw new CannotTellError(`probe ${functionName} is ${state.State}: ${state.StateReason ?? ''}`);
  return probe;
}

/** Where a placement's probe runs, in the lab's ids. */
export function placementWhere(
  targets: ResolvedTargets,
  placement: ProbePlacementTarget,
): { subnetIds: string[]; securityGroupIds: string[] } {
  return {
    subnetIds: placement.subnets.map((s) => targets.ids.subnet[s]!),
    securityGroupIds: placement.securityGroups.map((g) => targets.ids.securityGroup[g]!),
  };
}

/**
 * A probe created before the checks started, as the run hands it to them
 * (vitest's `provide` carries plain data): its name and when it was made, or
 * why it could not be made — in the words and class the deploy would have
 * thrown, so E6's rows report it as they would have.
 */
export type EarlyProbe =
  | { functionName: string; createdAt: number }
  | { error: { message: string; cannotTell: boolean; kind?: ErrorKind } };

/**
 * Creates this run's ephemeral probes, one per placement the lab does not
 * keep deployed (of `only`, when given: the placements the run's checks will use), so that their Pending → Active (a minute on AWS) overlaps
 * the run's start-up instead of following it. Never throws: a placement
 * whose probe could not be made carries the error for its checks.
 */
export async function createRunProbes(
  clients: AwsClients,
  targets: ResolvedTargets,
  only?: readonly string[],
): Promise<Record<string, EarlyProbe>> {
  const probe = targets.endpoints?.probe;
  const placements = (probe?.placements ?? []).filter((p) => !p.deployed && (!only || only.includes(p.name)));
  const made = await Promise.all(
    placements.map(async (placement): Promise<[string, EarlyProbe]> => {
      try {
        const { probe: p, createdAt } = await createProbe(clients, {
          placement: placement.name,
          roleArn: targets.ids.probeRoleArn!,
          ...placementWhere(targets, placement),
          runId: targets.runId,
        });
        return [placement.name, { functionName: p.functionName, createdAt }];
      } catch (error) {
        const e = error as Error;
        return [
          placement.name,
          {
            error: {
              message: e?.message ?? String(error),
              cannotTell: error instanceof CannotTellError,
              ...(error instanceof CannotTellError && { kind: error.kind }),
            },
          },
        ];
      }
    }),
  );
  return Object.fromEntries(made);
}

/** A probe the run created early, once Active; its creation's error, thrown as the deploy would have. */
export function earlyProbe(
  clients: AwsClients,
  early: EarlyProbe,
  signal?: AbortSignal,
): Promise<DeployedProbe> {
  if ('error' in early) {
    const { message, cannotTell, kind } = early.error;
    return Promise.reject(cannotTell ? new CannotTellError(message, kind) : new Error(message));
  }
  return waitForProbe({ functionName: early.functionName, clients }, early.createdAt, signal);
}

/** Where a placement's probe came from: the lab's own, the one validate created early, or one deployed here. */
export type ProbeSource = 'lab' | 'early' | 'here';

/**
 * A placement's probe, Active: the lab's own (only invoked), the one
 * validate created before the checks started, or, when a file runs without
 * validate, one deployed now as `name` (the caller removes it). The suite
 * files that invoke probes all find them this way.
 */
export async function placementProbe(
  clients: AwsClients,
  targets: ResolvedTargets,
  placement: ProbePlacementTarget,
  early: Record<string, EarlyProbe> | undefined,
  name: string = placement.name,
): Promise<{ probe: DeployedProbe; source: ProbeSource }> {
  const where = placementWhere(targets, placement);
  if (placement.deployed)
    return {
      probe: await deployedProbe(clients, targets.ids.probeFunction[placement.name]!, where),
      source: 'lab',
    };
  const made = early?.[placement.name];
  if (made) return { probe: await earlyProbe(clients, made), source: 'early' };
  const probe = await deployProbe(clients, {
    placement: name,
    ...where,
    roleArn: targets.ids.probeRoleArn!,
    runId: targets.runId,
  });
  return { probe, source: 'here' };
}

/**
 * A probe the lab keeps deployed (targets name it): used as it is, never
 * created or deleted. It must be Active and sit exactly where its placement
 * says, or its answers would be evidence about another position.
 */
export async function deployedProbe(
  clients: AwsClients,
  functionArn: string,
  where: { subnetIds: string[]; securityGroupIds: string[] },
): Promise<DeployedProbe> {
  const config = await reading(`read probe ${functionArn}`, () =>
    clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn })),
  );
  const same = (a: string[] = [], b: string[]) => a.length === b.length && b.every((x) => a.includes(x));
  if (config.State !== 'Active')
    throw new CannotTellError(
      `deployed probe ${config.FunctionName} is ${config.State}: ${config.StateReason ?? ''}`,
    );
  if (
    !same(config.VpcConfig?.SubnetIds, where.subnetIds) ||
    !same(config.VpcConfig?.SecurityGroupIds, where.securityGroupIds)
  )
    throw new CannotTellError(
      `deployed probe ${config.FunctionName} runs in subnets ${config.VpcConfig?.SubnetIds?.join(', ') || 'none'} with groups ${config.VpcConfig?.SecurityGroupIds?.join(', ') || 'none'}, not its placement's ${where.subnetIds.join(', ')} with ${where.securityGroupIds.join(', ')}`,
    );
  return { functionName: config.FunctionName!, clients };
}

export interface ProbeRun {
  report: ProbeReport;
  /** The last 4 KB of the invocation's log, decoded. */
  logTail: string;
  functionName: string;
}

/**
 * Invokes a probe with its attempts and bounds: `connectMs`, how long a TCP
 * connect may take before it counts as no path; `answerMs`, the first wait
 * for an answer on an open connection (doubled on each retry by the probe).
 *
 * @example
 *   const run = await invokeProbe(probe, attempts, { connectMs: 3_000, answerMs: 2_000 });
 */
export async function invokeProbe(
  probe: DeployedProbe,
  attempts: Attempt[],
  bounds: { connectMs: number; answerMs: number },
): Promise<ProbeRun> {
  const out = await reading(`invoke probe ${probe.functionName}`, () =>
    probe.clients.lambda.send(
      new InvokeCommand({
        FunctionName: probe.functionName,
        LogType: 'Tail',
        Payload: Buffer.from(
          JSON.stringify({ attempts, timeoutMs: bounds.connectMs, answerTimeoutMs: bounds.answerMs }),
        ),
      }),
    ),
  );
  const logTail = out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8') : '';
  const payload = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  if (out.FunctionError) {
    throw new CannotTellError(
      `probe ${probe.functionName} failed (${out.FunctionError}): ${payload.slice(0, 500)}\n${logTail.slice(-1000)}`,
    );
  }
  return {
    report: readProbeReport(payload, attempts, probe.functionName),
    logTail,
    functionName: probe.functionName,
  };
}

/**
 * The probe's report, only if it answers every attempt asked for, each
 * once, with an outcome the suite knows: a report short of an attempt (an
 * old or foreign probe, a truncated payload) proves nothing about it.
 *
 * @example
 *   readProbeReport('{"probe":"meshcheck-s3-reach","results":[…]}', attempts, 'meshcheck-r1-prod')
 */
export function readProbeReport(payload: string, attempts: Attempt[], functionName: string): ProbeReport {
  let report: ProbeReport;
  try {
    report = JSON.parse(payload) as ProbeReport;
  } catch {
    throw new CannotTellError(`probe ${functionName} answered with no report: ${payload.slice(0, 300)}`);
  }
  if (report?.probe !== 'meshcheck-s3-reach' || !Array.isArray(report.results))
    throw new CannotTellError(
      `probe ${functionName} answered with something other than a probe report: ${payload.slice(0, 300)}`,
    );
  const problems = attempts.flatMap((a) => {
    const found = report.results.filter((r) => r?.name === a.name);
    if (found.length !== 1) return [`${a.name}: ${found.length ? 'answered twice' : 'missing'}`];
    if (found[0]!.kind !== a.kind || !isOutcome(found[0]!.outcome))
      return [`${a.name}: ${found[0]!.kind}/${found[0]!.outcome}`];
    return [];
  });
  if (problems.length)
    throw new CannotTellError(
      `probe ${functionName}'s report does not answer the attempts asked for (${problems.join('; ')})`,
    );
  return report;
}

/** Deletes a probe; one already gone is fine. */
export async function deleteProbe(probe: DeployedProbe): Promise<void> {
  try {
    await probe.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: probe.functionName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException))
      throw cannotTell(`delete probe ${probe.functionName}`, error);
  }
}

/**
 * The one-line summary of a probe attempt.
 *
 * @example attemptSummary(result) // 's3 get: denied (AccessDenied) in 12 ms'
 */
export function attemptSummary(r: AttemptResult): string {
  return outcomeLine({ what: r.name, outcome: r.outcome, detail: r.errorCode, latencyMs: r.latencyMs });
}
