import { strToU8, zipSync } from 'fflate';
import { invoke } from '../../../../twin/core/invoke.ts';
import type { ServiceDefinition } from '../../../../twin/core/service.ts';
import { ec2 } from '../../../../twin/services/ec2/api.ts';
import type { NetworkInterfaceState } from '../../../../twin/services/ec2/model/state.ts';
import { iam } from '../../../../twin/services/iam/api.ts';
import { lambda } from '../../../../twin/services/lambda/api.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { delay } from '../../../../twin/state/profile.ts';
import { rootCredential, Twin } from '../../../../twin/twin.ts';
import { buildVpc, type TestVpc } from '../runtime/vpc.ts';

/**
 * A twin on a ManualClock with an execution role or two and a small VPC,
 * and calls to Lambda (and the rest) through invoke(), as the public API
 * makes them.
 */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export const HELLO = zipSync({
  'index.mjs': strToU8('export const handler = async (e) => ({ hello: e.name ?? "world" })'),
});

export interface LambdaLab {
  twin: Twin;
  clock: ManualClock;
  vpc: TestVpc;
  /** Trusts Lambda; may manage ENIs and write logs. */
  vpcRole: string;
  /** Trusts Lambda; no permissions. */
  bareRole: string;
  call<O = Record<string, unknown>>(operation: string, input: object): Promise<O>;
  callService<O = Record<string, unknown>>(
    service: ServiceDefinition<unknown>,
    operation: string,
    input: object,
  ): Promise<O>;
  activation(): number;
  /** Moves the clock and runs what the twin scheduled for then (ENI releases). */
  advance(ms: number): Promise<void>;
  lambdaEnis(): NetworkInterfaceState[];
}

export async function lambdaLab(): Promise<LambdaLab> {
  const clock = new ManualClock();
  const twin = new Twin({ clock, origin: 'http://127.0.0.1:9' });
  const credential = rootCredential(ACCOUNT);
  const callService = <O>(service: ServiceDefinition<unknown>, operation: string, input: object) =>
    invoke<unknown, O>(twin, service, operation, input, { credential, region: REGION });
  const role = async (name: string, managed: string[]) => {
    const out = await callService<{ Role: { Arn: string } }>(
      iam as ServiceDefinition<unknown>,
      'CreateRole',
      {
        RoleName: name,
        AssumeRolePolicyDocument: TRUST,
      },
    );
    for (const policy of managed) {
      await callService(iam as ServiceDefinition<unknown>, 'AttachRolePolicy', {
        RoleName: name,
        PolicyArn: `arn:aws:iam::aws:policy/service-role/${policy}`,
      });
    }
    return out.Role.Arn;
  };
  return {
    twin,
    clock,
    vpc: await buildVpc(twin, ACCOUNT, REGION),
    vpcRole: await role('vpc-role', ['AWSLambdaVPCAccessExecutionRole']),
    bareRole: await role('bare-role', []),
    call: (operation, input) => callService(lambda as ServiceDefinition<unknown>, operation, input),
    callService,
    activation: () => delay(twin.profile, 'lambdaActivationMs'),
    async advance(ms) {
      clock.advance(ms);
      await twin.scheduler.runDue();
    },
    lambdaEnis: () =>
      [...twin.model(ec2, ACCOUNT, REGION).networkInterfaces.values()].filter(
        (e) => e.interfaceType === 'lambda',
      ),
  };
}

/** CreateFunction's input with the lab's defaults. */
export function functionInput(name: string, role: string, extra: object = {}): object {
  return {
    FunctionName: name,
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Role: role,
    Code: { ZipFile: HELLO },
    ...extra,
  };
}
