import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { bundleProbe } from '../probes/bundle.ts';
import type { Attempt, ProbeReport } from '../probes/s3-reach/attempts.ts';
import type { AwsClients } from './clients.ts';
import { CannotTellError, cannotTell, reading } from './errors.ts';
import { eventually } from './eventually.ts';
import { RUN_TAG } from './run.ts';

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
  const functionName = `meshcheck-${p.runId}-${p.placement}`.slice(0, 64);
  const zip = await bundleProbe('s3-reach');
  await reading(`create probe ${functionName}`, () =>
    clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: functionName,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: p.roleArn,
        Code: { ZipFile: zip },
        Timeout: 60,
        MemorySize: 256,
        VpcConfig: { SubnetIds: p.subnetIds, SecurityGroupIds: p.securityGroupIds },
        Description: `meshcheck reach probe, run ${p.runId}`,
        Tags: { [RUN_TAG]: p.runId, 'meshcheck:purpose': 'reach-probe' },
      }),
    ),
  );
  const probe = { functionName, clients };
  // Pending → Active can take a minute or two while Hyperplane ENIs are made (aws-fidelity.md, Lambda).
  // Polled here rather than with waitUntilFunctionActiveV2, whose one-second floor is most of a fast run.
  const state = await eventually(
    `probe ${functionName} to become Active`,
    () =>
      reading(`read probe ${functionName}`, () =>
        clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName })),
      ),
    {
      timeoutMs: 300_000,
      until: (c) => c.State !== 'Pending',
      minIntervalMs: 100,
      maxIntervalMs: 5_000,
      onTimeout: 'cannot-tell',
      show: (c) => `${c.State} (${c.StateReasonCode ?? ''})`,
      reproduce: `aws lambda get-function-configuration --function-name ${functionName}`,
      ...(p.signal && { signal: p.signal }),
    },
  );
  if (state.State !== 'Active')
    throw new CannotTellError(`probe ${functionName} is ${state.State}: ${state.StateReason ?? ''}`);
  return probe;
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

export async function invokeProbe(
  probe: DeployedProbe,
  attempts: Attempt[],
  timeoutMs: number,
): Promise<ProbeRun> {
  const out = await reading(`invoke probe ${probe.functionName}`, () =>
    probe.clients.lambda.send(
      new InvokeCommand({
        FunctionName: probe.functionName,
        LogType: 'Tail',
        Payload: Buffer.from(JSON.stringify({ attempts, timeoutMs })),
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
  return { report: JSON.parse(payload) as ProbeReport, logTail, functionName: probe.functionName };
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
