import { GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { classify, reading } from '../errors.ts';
import type { Clients, ResolvedTargets } from './resolve.ts';
import type { FlowLogTarget, Targets } from './schema.ts';
import { vpcOfSubnet } from './view.ts';

/**
 * Resolves the observability part of targets: the trail by name to its ARN
 * (`ids.trail`), and the roles flow logs deliver through, by name or ARN, to
 * the ARN IAM knows (`ids.role`). A name AWS does not know stops the run
 * (exit 2) naming the field; an answer the runner may not read is "cannot
 * tell" (exit 3), never "absent".
 */
export async function resolveObservability(
  targets: Targets,
  clients: Clients,
  ids: ResolvedTargets['ids'],
  accountIds: Record<string, string>,
  problems: string[],
): Promise<void> {
  const obs = targets.observability!;
  const where = (account: string) => `in account ${accountIds[account]} (${targets.region})`;
  if (obs.trail) {
    const name = obs.trail.name;
    // GetTrail takes a name or an ARN and answers TrailNotFoundException for neither (API_GetTrail).
    const trail = await absentAs(
      problems,
      { field: 'observability.trail.name', what: `trail named "${name}"`, where: where('lab') },
      () => clients('lab').cloudtrail.send(new GetTrailCommand({ Name: name })),
    );
    if (trail) ids.trail = trail.Trail!.TrailARN!;
  }
  for (const [i, f] of obs.flowLogs.entries()) {
    if (!('logGroup' in f.destination) || !f.destination.deliveryRole) continue;
    const ref = f.destination.deliveryRole;
    if (ids.role[ref]) continue;
    const account = flowLogAccount(targets, f);
    // A role is found by its name; an ARN's last path segment is that name ("IAM identifiers").
    const roleName = ref.startsWith('arn:') ? ref.split('/').at(-1)! : ref;
    const role = await absentAs(
      problems,
      {
        field: `observability.flowLogs[${i}].destination.deliveryRole`,
        what: `role "${ref}"`,
        where: where(account),
      },
      () => clients(account).iam.send(new GetRoleCommand({ RoleName: roleName })),
    );
    if (!role) continue;
    if (ref.startsWith('arn:') && role.Role!.Arn !== ref)
      problems.push(
        `observability.flowLogs[${i}].destination.deliveryRole: the role named "${roleName}" ${where(account)} is ${role.Role!.Arn}, not ${ref}`,
      );
    else ids.role[ref] = role.Role!.Arn!;
  }
}

/** Runs a look-up; not-found becomes a problem naming the field (and undefined), any other failure cannot-tell. */
export async function absentAs<T>(
  problems: string[],
  named: { field: string; what: string; where: string },
  look: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await look();
  } catch (error) {
    if (classify(error) === 'not-found') {
      problems.push(`${named.field}: no ${named.what} ${named.where}`);
      return undefined;
    }
    return reading(`look up the ${named.what} (${named.field})`, () => Promise.reject(error));
  }
}

/**
 * The account key of the account a flow log lives in: its VPC's, or its
 * subnet's VPC's; a network interface named by id is the lab account's.
 */
export function flowLogAccount(
  targets: Pick<Targets, 'network'>,
  f: Pick<FlowLogTarget, 'vpc' | 'subnet'>,
): string {
  if (f.vpc) return targets.network?.vpcs.find((v) => v.name === f.vpc)?.account ?? 'lab';
  if (f.subnet) return vpcOfSubnet(targets, f.subnet)?.account ?? 'lab';
  return 'lab';
}

/** The id of what a flow log watches: its VPC's, its subnet's, or the network interface's own. */
export function flowLogResourceId(ids: ResolvedTargets['ids'], f: FlowLogTarget): string {
  return f.vpc ? ids.vpc[f.vpc]! : f.subnet ? ids.subnet[f.subnet]! : f.networkInterface!;
}
