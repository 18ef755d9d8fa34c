import { GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import { DeleteFlowLogsCommand, type FlowLog } from '@aws-sdk/client-ec2';
import { GetRoleCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { findFlowLog } from '../../helpers/observability/flow-sources.ts';
import type { FlowLogTarget, ResolvedTargets } from '../../helpers/targets/index.ts';
import { flowLogRow } from '../../helpers/targets/rows.ts';
import { vpcOf } from '../../helpers/targets/view.ts';
import type { Break, Drift, Operator } from './types.ts';

/**
 * Drifts that stop flow logs delivering: the flow log deleted, its
 * CloudWatch Logs role no longer trusting vpc-flow-logs.amazonaws.com, the
 * central bucket's policy without the statement for
 * delivery.logs.amazonaws.com. Each is what an operator could do, through
 * the public API. Configuration checks O11–O13 are the trail and flow-log
 * file's; O21 and O22 are the delivery file's, and O21 fails only for a
 * flow log this run's traffic passes through (otherwise it has nothing to
 * look for and is skipped).
 */
type Statement = { Principal?: unknown; [k: string]: unknown };
type Policy = { Version?: string; Statement: Statement[] };

const flowLogs = (lab: ResolvedTargets) => lab.observability?.flowLogs ?? [];
const toLogs = (lab: ResolvedTargets) => flowLogs(lab).filter((f) => 'logGroup' in f.destination);
const toBucket = (lab: ResolvedTargets) => flowLogs(lab).filter((f) => 'bucket' in f.destination);

/** Whether this run's pings pass an interface the flow log watches and leave a record it must show. */
function trafficThrough(lab: ResolvedTargets, f: FlowLogTarget): boolean {
  const inScope = (host: string) => {
    if (f.vpc) return vpcOf(lab, host) === f.vpc;
    if (f.subnet) return lab.network?.hosts.find((h) => h.name === host)?.subnet === f.subnet;
    return true;
  };
  return (lab.network?.reachability ?? []).some(
    (r) => inScope(r.from) || (inScope(r.to) && r.expect === 'allow'),
  );
}

/** What a flow log that stopped delivering breaks: O13 as configured, and this run's records (O21) and status (O22). */
function undelivered(lab: ResolvedTargets, f: FlowLogTarget, extra: string[] = []): Break[] {
  const row = flowLogRow(f);
  return [...extra, 'O13', ...(trafficThrough(lab, f) ? ['O21'] : []), 'O22'].map((id) => ({ id, row }));
}

function accountOf(lab: ResolvedTargets, f: FlowLogTarget): string {
  if (f.vpc) return lab.network?.vpcs.find((v) => v.name === f.vpc)?.account ?? 'lab';
  if (f.subnet)
    return lab.network?.vpcs.find((v) => v.subnets.some((s) => s.name === f.subnet))?.account ?? 'lab';
  return 'lab';
}

async function flowLogOf(lab: ResolvedTargets, op: Operator, f: FlowLogTarget): Promise<FlowLog> {
  const resourceId = f.vpc ? lab.ids.vpc[f.vpc]! : f.subnet ? lab.ids.subnet[f.subnet]! : f.networkInterface!;
  const found = await findFlowLog(op(accountOf(lab, f)), resourceId, f.destination);
  if (!found) throw new Error(`no flow log on ${resourceId} delivers to ${flowLogRow(f)}`);
  return found;
}

export const flowLogDeleted: Drift = {
  id: 'obs-flow-log-deleted',
  says: 'a flow log is deleted',
  appliesTo: (lab) => flowLogs(lab).length > 0,
  breaks: async (lab) => undelivered(lab, flowLogs(lab)[0]!, ['O11', 'O12']),
  async apply(lab, op) {
    const f = flowLogs(lab)[0]!;
    const { FlowLogId } = await flowLogOf(lab, op, f);
    await op(accountOf(lab, f)).ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [FlowLogId!] }));
  },
};

/**
 * The role the first CloudWatch Logs flow log delivers through, and every
 * flow log of its account using it: by the role targets name, or else as
 * DescribeFlowLogs says (DeliverLogsPermissionArn).
 */
async function deliveryRole(lab: ResolvedTargets, op: Operator) {
  const first = toLogs(lab)[0]!;
  const account = accountOf(lab, first);
  const roleOf = async (f: FlowLogTarget) => {
    const named = (f.destination as { deliveryRole?: string }).deliveryRole;
    const arn = named ?? (await flowLogOf(lab, op, f)).DeliverLogsPermissionArn ?? '';
    return arn.slice(arn.lastIndexOf('/') + 1);
  };
  const roleName = await roleOf(first);
  const users: FlowLogTarget[] = [];
  for (const f of toLogs(lab))
    if (accountOf(lab, f) === account && (await roleOf(f)) === roleName) users.push(f);
  return { account, roleName, users };
}

export const flowLogRoleUntrusted: Drift = {
  id: 'obs-flow-log-role-untrusted',
  says: 'the flow logs’ delivery role no longer trusts vpc-flow-logs.amazonaws.com',
  appliesTo: (lab) => toLogs(lab).length > 0,
  async breaks(lab, op) {
    return (await deliveryRole(lab, op)).users.flatMap((f) => undelivered(lab, f));
  },
  async apply(lab, op) {
    const { account, roleName } = await deliveryRole(lab, op);
    await untrust(op(account), roleName, 'vpc-flow-logs.amazonaws.com');
  },
};

export const centralBucketPolicyDropsDelivery: Drift = {
  id: 'obs-central-bucket-drops-delivery',
  says: 'the central flow-log bucket’s policy loses its statements for delivery.logs.amazonaws.com',
  appliesTo: (lab) => toBucket(lab).length > 0,
  async breaks(lab) {
    const bucket = bucketOf(toBucket(lab)[0]!);
    return toBucket(lab)
      .filter((f) => bucketOf(f) === bucket)
      .flatMap((f) => undelivered(lab, f));
  },
  async apply(lab, op) {
    const f = toBucket(lab)[0]!;
    const d = f.destination as { bucket: string; account: string };
    const { s3 } = op(d.account);
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: d.bucket }));
    const policy = JSON.parse(Policy!) as Policy;
    policy.Statement = policy.Statement.filter(
      (s) => !JSON.stringify(s.Principal ?? '').includes('delivery.logs.amazonaws.com'),
    );
    if (policy.Statement.length)
      await s3.send(new PutBucketPolicyCommand({ Bucket: d.bucket, Policy: JSON.stringify(policy) }));
    else await s3.send(new DeleteBucketPolicyCommand({ Bucket: d.bucket }));
  },
};

/**
 * CloudTrail assumes the trail's CloudWatch Logs role for every delivery:
 * a trust that no longer names cloudtrail.amazonaws.com stops the trail's
 * events reaching its log group (O8), this run's data events among them (O20).
 */
export const trailLogsRoleUntrusted: Drift = {
  id: 'obs-trail-logs-role-untrusted',
  says: 'the trail’s CloudWatch Logs role no longer trusts cloudtrail.amazonaws.com',
  appliesTo: (lab) => Boolean(lab.observability?.trail?.logGroup),
  async breaks(lab) {
    const trail = lab.observability!.trail!;
    const dataEvents = lab.endpoints?.probe?.bucket ?? trail.dataEventBuckets[0];
    return [
      { id: 'O8' },
      ...(dataEvents && trail.dataEventBuckets.includes(dataEvents) ? [{ id: 'O20' }] : []),
    ];
  },
  async apply(lab, op) {
    const { cloudtrail } = op('lab');
    const { Trail } = await cloudtrail.send(new GetTrailCommand({ Name: lab.observability!.trail!.name }));
    const roleArn = Trail!.CloudWatchLogsRoleArn!;
    await untrust(op('lab'), roleArn.slice(roleArn.lastIndexOf('/') + 1), 'cloudtrail.amazonaws.com');
  },
};

/** Rewrites a role's trust so that it names another service instead of `service`. */
async function untrust({ iam }: ReturnType<Operator>, roleName: string, service: string): Promise<void> {
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  // IAM returns the trust policy URL-encoded (GetRole, IAM API Reference).
  const trust = decodeURIComponent(Role!.AssumeRolePolicyDocument!);
  await iam.send(
    new UpdateAssumeRolePolicyCommand({
      RoleName: roleName,
      PolicyDocument: trust.replaceAll(service, 'ec2.amazonaws.com'),
    }),
  );
}

function bucketOf(f: FlowLogTarget): string {
  return 'bucket' in f.destination ? f.destination.bucket : '';
}

export const observabilityDeliveryDrifts: Drift[] = [
  flowLogDeleted,
  flowLogRoleUntrusted,
  centralBucketPolicyDropsDelivery,
  trailLogsRoleUntrusted,
];
