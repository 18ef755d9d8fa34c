import type { IpPermission, SecurityGroup } from '@aws-sdk/client-ec2';
import { type FunctionConfiguration, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import RUNTIMES from '../../common/lambda-runtimes.json' with { type: 'json' };
import type { AwsClients } from '../clients.ts';
import { CannotTellError, classify, LabDeviationError, reading } from '../errors.ts';
import { egressGroup, egressService } from '../targets/application.ts';
import type { AppFunctionTarget } from '../targets/schema-application.ts';

/**
 * An application function's configuration as Lambda reports it, and the
 * comparisons S1–S4 make of it: placement, wiring and its security groups'
 * egress. Helpers return differences as report lines; the suite asserts.
 */

/**
 * A function's configuration (GetFunctionConfiguration); a function that is
 * gone is a deviation: it was there when targets resolved.
 *
 * @example
 *   const config = await getFunctionConfiguration(lab.clients(), 'event-writer');
 */
export async function getFunctionConfiguration(
  clients: AwsClients,
  name: string,
): Promise<FunctionConfiguration> {
  try {
    return await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  } catch (error) {
    if (classify(error) === 'not-found') throw new LabDeviationError(`no Lambda function ${name}`);
    return reading(`read the configuration of ${name}`, () => Promise.reject(error));
  }
}

/** Where a function runs, as ids: absent when it is not attached to a VPC. */
export interface Placement {
  vpcId?: string | undefined;
  subnetIds: string[];
  securityGroupIds: string[];
}

/**
 * A function outside any VPC answers an empty VpcConfig (or none, or an
 * empty VpcId: "VpcConfigResponse", Lambda API Reference).
 */
export function placementOf(config: FunctionConfiguration): Placement {
  const vpc = config.VpcConfig;
  return {
    vpcId: vpc?.VpcId || undefined,
    subnetIds: [...(vpc?.SubnetIds ?? [])].sort(),
    securityGroupIds: [...(vpc?.SecurityGroupIds ?? [])].sort(),
  };
}

/** How a placement differs from the intended one, each difference a line naming what and by which name. */
export function placementDiffs(
  intended: Placement,
  actual: Placement,
  names: Record<string, string> = {},
): string[] {
  const named = (id: string) => (names[id] ? `${names[id]} (${id})` : id);
  if (!actual.vpcId) return [`runs in no VPC; intended ${named(intended.vpcId ?? '')}`];
  const out: string[] = [];
  if (actual.vpcId !== intended.vpcId)
    out.push(`runs in ${named(actual.vpcId)}, not ${named(intended.vpcId ?? '')}`);
  const diff = (what: string, want: string[], have: string[]) => {
    const missing = want.filter((x) => !have.includes(x));
    const extra = have.filter((x) => !want.includes(x));
    if (missing.length) out.push(`not in ${what} ${missing.map(named).join(', ')}`);
    if (extra.length) out.push(`also in ${what} ${extra.map(named).join(', ')}`);
  };
  diff('subnets', intended.subnetIds, actual.subnetIds);
  diff('security groups', intended.securityGroupIds, actual.securityGroupIds);
  return out;
}

/**
 * Environment variables that do not hold the intended values. Lambda
 * reports variables it could not decrypt in `Environment.Error`
 * ("EnvironmentResponse", Lambda API Reference): the values cannot be read,
 * so the suite cannot tell.
 */
export function environmentDiffs(intended: Record<string, string>, config: FunctionConfiguration): string[] {
  const env = config.Environment;
  if (env?.Error)
    throw new CannotTellError(
      `Lambda could not read ${config.FunctionName}'s environment: ${env.Error.ErrorCode} — ${env.Error.Message}`,
    );
  const have = env?.Variables ?? {};
  return Object.entries(intended).flatMap(([k, v]) =>
    have[k] === undefined ? [`${k} is not set`] : have[k] !== v ? [`${k} is "${have[k]}", not "${v}"`] : [],
  );
}

/** One egress rule as a line of text both sides share: `tcp 443 → pl-0123`, `all → 0.0.0.0/0`. */
export type EgressLine = string;

const PROTOCOLS: Record<string, string> = {
  '-1': 'all',
  '6': 'tcp',
  '17': 'udp',
  '1': 'icmp',
  '58': 'icmpv6',
};

function portsOf(p: Pick<IpPermission, 'IpProtocol' | 'FromPort' | 'ToPort'>): string {
  const protocol = PROTOCOLS[p.IpProtocol ?? ''] ?? p.IpProtocol ?? '?';
  // "-1" means all protocols and all ports ("IpPermission", EC2 API Reference): no port range to show.
  if (protocol === 'all') return 'all';
  const from = p.FromPort ?? 0;
  const to = p.ToPort ?? 65535;
  return `${protocol} ${from === to ? from : `${from}-${to}`}`;
}

/**
 * The union of the groups' egress rules, one line per destination: CIDRs
 * of either family, prefix lists and security groups each as their id.
 */
export function egressLines(groups: SecurityGroup[]): EgressLine[] {
  const lines = groups.flatMap((g) =>
    (g.IpPermissionsEgress ?? []).flatMap((p) => {
      const ports = portsOf(p);
      return [
        ...(p.IpRanges ?? []).map((r) => r.CidrIp!),
        ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6!),
        ...(p.PrefixListIds ?? []).map((l) => l.PrefixListId!),
        ...(p.UserIdGroupPairs ?? []).map((u) => u.GroupId!),
      ].map((to) => `${ports} → ${to}`);
    }),
  );
  return [...new Set(lines)].sort();
}

/**
 * The egress targets intend, as the same lines: a prefix list or group by
 * the id it resolved to (`ids`, keyed by the rule's `to`).
 */
export function intendedEgressLines(
  egress: NonNullable<AppFunctionTarget['egress']>,
  idOf: (to: string) => string,
): EgressLine[] {
  const lines = egress.map((e) => {
    const ports = e.protocol === 'all' ? 'all' : e.port === undefined ? 'tcp 0-65535' : `tcp ${e.port}`;
    const to = egressService(e.to) !== undefined || egressGroup(e.to) !== undefined ? idOf(e.to) : e.to;
    return `${ports} → ${to}`;
  });
  return [...new Set(lines)].sort();
}

/** What egress has beyond what is intended, and what it lacks. */
export function egressDiffs(
  intended: EgressLine[],
  actual: EgressLine[],
): { extra: string[]; missing: string[] } {
  return {
    extra: actual.filter((l) => !intended.includes(l)),
    missing: intended.filter((l) => !actual.includes(l)),
  };
}

/** A row of Lambda's runtime deprecation data (common/lambda-runtimes.json, read from the Lambda runtimes page). */
export interface RuntimeRow {
  identifier: string;
  deprecation: string;
}

/**
 * Whether AWS still supports a runtime: "Lambda deprecates a runtime when
 * … the end of community long-term support" ("Runtime deprecation", Lambda
 * Developer Guide), so a runtime is supported until 00:00 UTC of its
 * deprecation day. A runtime the data does not hold (a container image
 * function has none) cannot be judged: the suite cannot tell, never a pass.
 *
 * @example
 *   runtimeSupport('nodejs22.x') // → { supported: true, says: 'nodejs22.x is supported until 2027-04-30' }
 */
export function runtimeSupport(
  runtime: string | undefined,
  now = Date.now(),
  rows: RuntimeRow[] = RUNTIMES.runtimes,
): { supported: boolean; says: string } {
  const row = rows.find((r) => r.identifier === runtime);
  if (!row)
    throw new CannotTellError(
      runtime
        ? `${runtime} is not in Lambda's runtime data (common/lambda-runtimes.json, read ${RUNTIMES.read}): cannot tell whether AWS supports it`
        : "the function names no runtime (a container image): its support is not in Lambda's runtime data",
    );
  const supported = now < Date.parse(`${row.deprecation}T00:00:00Z`);
  return {
    supported,
    says: `${row.identifier} ${supported ? 'is supported until' : 'was deprecated on'} ${row.deprecation}`,
  };
}
