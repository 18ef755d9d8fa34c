import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  type Filter,
} from '@aws-sdk/client-ec2';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { type AwsClients, clientsFor, roleAccess } from '../clients.ts';
import { cannotTell, classify, reading, TargetsError } from '../errors.ts';
import { runId } from '../run.ts';
import { type ApplicationIds, resolveApplication } from './application.ts';
import { resolveDataProtection, runnerOf } from './data-protection.ts';
import { allPages, describe, exactlyNamed, type Found, picker, soleCandidate, started } from './lookup.ts';
import { resolveObservability } from './observability.ts';
import { type PrivateLinkServiceIds, resolvePrivateLink } from './privatelink.ts';
import type { PeeringTarget, Targets } from './schema.ts';

/**
 * Targets with every name turned into the id AWS knows it by, and every
 * account key into an account id (from STS, never from the file alone). A
 * name that matches nothing, or more than one thing, stops the run here
 * (exit 2) before any check runs, naming the field.
 */
export interface ResolvedTargets extends Targets {
  runId: string;
  accountIds: Record<string, string>;
  /** Who runs the suite in the lab account: its ARN as STS reports it, and its role's ARN when a role session. */
  runner: { arn: string; roleArn?: string };
  ids: {
    vpc: Record<string, string>;
    subnet: Record<string, string>;
    /** Host name → instance id. */
    instance: Record<string, string>;
    transitGateway?: string;
    tgwAttachment: Record<string, string>;
    tgwRouteTable: Record<string, string>;
    peering: Record<string, string>;
    /** Security groups named in targets (probe placements), by the name used there. */
    securityGroup: Record<string, string>;
    probeRoleArn?: string;
    /** Placement name → ARN of the probe already deployed there (placements with `deployed`). */
    probeFunction: Record<string, string>;
    /** Key alias → key ARN. */
    key: Record<string, string>;
    /** Role name → role ARN (readers, pipeline roles, principals named in key expectations). */
    role: Record<string, string>;
    topicArn?: string;
    queueUrl?: string;
    /** The trail's ARN. */
    trail?: string;
    /** What the application's functions, tables and egress name (helpers/targets/application.ts). */
    application?: ApplicationIds;
    /** Per service of `privateLink` (by its targets name): what it resolved to (helpers/targets/privatelink.ts). */
    privateLink?: Record<string, PrivateLinkServiceIds>;
  };
}

export type Clients = (accountKey: string) => AwsClients;

export function clientsForTargets(targets: Targets): Clients {
  return (key) => clientsFor({ region: targets.region, ...roleAccess(targets.accounts[key]) });
}

export async function resolveTargets(
  targets: Targets,
  clients: Clients = clientsForTargets(targets),
): Promise<ResolvedTargets> {
  const problems: string[] = [];
  const { accountIds, runner } = await resolveAccounts(targets, clients, problems);
  const ids: ResolvedTargets['ids'] = {
    vpc: {},
    subnet: {},
    instance: {},
    tgwAttachment: {},
    tgwRouteTable: {},
    peering: {},
    securityGroup: {},
    probeFunction: {},
    key: {},
    role: {},
  };
  if (!problems.length) await resolveBuckets(targets, clients('lab'), accountIds, problems);
  const net = targets.network;
  if (net && !problems.length) {
    const pick = picker(problems, accountIds, targets.region);
    // Every look-up starts at once (a subnet's as soon as its VPC is known); the answers are read below in
    // the file's order, so the problems are listed as a one-by-one walk would list them.
    const lookUpSubnet = (account: string, vpcId: string, name: string) =>
      describe('subnet', name, (f) =>
        allPages((NextToken) =>
          clients(account).ec2.send(
            new DescribeSubnetsCommand({ Filters: [...f, { Name: 'vpc-id', Values: [vpcId] }], NextToken }),
          ),
        ).then((pages) =>
          pages.flatMap((o) => o.Subnets ?? []).map((s) => ({ id: s.SubnetId!, tags: s.Tags })),
        ),
      );
    const vpcLookups = net.vpcs.map((vpc) => {
      const found = started(
        describe('vpc', vpc.name, (f) =>
          allPages((NextToken) =>
            clients(vpc.account).ec2.send(new DescribeVpcsCommand({ Filters: f, NextToken })),
          ).then((pages) => pages.flatMap((o) => o.Vpcs ?? []).map((v) => ({ id: v.VpcId!, tags: v.Tags }))),
        ),
      );
      const subnets = found.then((f) => {
        const vpcId = soleCandidate(f)?.id;
        return vpcId
          ? vpc.subnets.map((subnet) => started(lookUpSubnet(vpc.account, vpcId, subnet.name)))
          : [];
      });
      return { found, subnets: started(subnets) };
    });
    const hostLookups = net.hosts.map((host) =>
      // `i`, the instance id's prefix (i-0123…): an id in `instance` is looked up by instance-id.
      started(
        describe('i', host.instance ?? host.name, (f) =>
          allPages((NextToken) =>
            clients(host.account).ec2.send(
              new DescribeInstancesCommand({
                Filters: [
                  ...f,
                  { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
                ],
                NextToken,
              }),
            ),
          ).then((pages) =>
            pages
              .flatMap((o) => o.Reservations ?? [])
              .flatMap((r) => r.Instances ?? [])
              .map((x) => ({ id: x.InstanceId!, tags: x.Tags })),
          ),
        ),
      ),
    );
    const peeringAccount = (p: PeeringTarget) =>
      net.vpcs.find((v) => v.name === p.requester)?.account ?? 'lab';
    const peeringLookups = net.peerings.map((p) =>
      started(
        describe('pcx', p.name, (f) =>
          allPages((NextToken) =>
            clients(peeringAccount(p)).ec2.send(
              new DescribeVpcPeeringConnectionsCommand({ Filters: f, NextToken }),
            ),
          ).then((pages) =>
            pages
              .flatMap((o) => o.VpcPeeringConnections ?? [])
              .map((c) => ({
                id: c.VpcPeeringConnectionId!,
                tags: c.Tags,
                gone: ['deleted', 'rejected', 'expired', 'failed'].includes(c.Status?.Code ?? ''),
              })),
          ),
        ),
      ),
    );
    for (const [i, vpc] of net.vpcs.entries()) {
      const vpcId = pick(`network.vpcs[${i}].name`, 'VPC', vpc.name, vpc.account, await vpcLookups[i]!.found);
      if (!vpcId) continue;
      ids.vpc[vpc.name] = vpcId;
      const subnets = await vpcLookups[i]!.subnets;
      for (const [j, subnet] of vpc.subnets.entries()) {
        const id = pick(
          `network.vpcs[${i}].subnets[${j}].name`,
          `subnet of ${vpc.name}`,
          subnet.name,
          vpc.account,
          await subnets[j]!,
        );
        if (id) ids.subnet[subnet.name] = id;
      }
    }
    for (const [i, host] of net.hosts.entries()) {
      const name = host.instance ?? host.name;
      const id = pick(`network.hosts[${i}].instance`, 'instance', name, host.account, await hostLookups[i]!);
      if (id) ids.instance[host.name] = id;
    }
    await resolveTransitGateway(targets, clients, pick, ids);
    for (const [i, p] of net.peerings.entries()) {
      const found = await peeringLookups[i]!;
      const id = pick(
        `network.peerings[${i}].name`,
        'VPC peering connection',
        p.name,
        peeringAccount(p),
        found,
      );
      if (id) ids.peering[p.name] = id;
    }
  }
  if (net && !problems.length)
    await resolveProbe(targets, clients, picker(problems, accountIds, targets.region), ids, accountIds);
  if (targets.dataProtection && !problems.length)
    await resolveDataProtection(targets, clients('lab'), ids, accountIds, problems);
  if (targets.observability && !problems.length)
    await resolveObservability(targets, clients, ids, accountIds, problems);
  if (targets.application && !problems.length)
    await resolveApplication(targets, clients, ids, accountIds, problems);
  if (targets.privateLink && !problems.length)
    await resolvePrivateLink(targets, clients, ids, accountIds, problems);
  if (problems.length)
    throw new TargetsError(`the targets do not match the account:\n  ${problems.join('\n  ')}`, problems);
  return { ...targets, runId: runId(), accountIds, runner, ids };
}

async function resolveAccounts(
  targets: Targets,
  clients: Clients,
  problems: string[],
): Promise<{ accountIds: Record<string, string>; runner: ResolvedTargets['runner'] }> {
  const accountIds: Record<string, string> = {};
  let runner: ResolvedTargets['runner'] = { arn: '' };
  for (const [key, account] of Object.entries(targets.accounts)) {
    const me = await reading(`learn who the runner is in account "${key}"`, () =>
      clients(key).sts.send(new GetCallerIdentityCommand({})),
    );
    if (account.id && me.Account !== account.id) {
      problems.push(
        `accounts.${key}.id: targets say ${account.id}, but the credentials reach account ${me.Account}`,
      );
    }
    accountIds[key] = me.Account ?? '';
    if (key === 'lab') runner = await runnerOf(clients(key), me.Arn ?? '');
  }
  return { accountIds, runner };
}

async function resolveTransitGateway(
  targets: Targets,
  clients: Clients,
  pick: ReturnType<typeof picker>,
  ids: ResolvedTargets['ids'],
): Promise<void> {
  const tgw = targets.network?.transitGateway;
  if (!tgw) return;
  const ec2 = clients('lab').ec2;
  const found = await describe('tgw', tgw.name, (f) =>
    allPages((NextToken) => ec2.send(new DescribeTransitGatewaysCommand({ Filters: f, NextToken }))).then(
      (o) =>
        o
          .flatMap((o) => o.TransitGateways ?? [])
          .map((t) => ({
            id: t.TransitGatewayId!,
            tags: t.Tags,
            gone: ['deleting', 'deleted'].includes(t.State ?? ''),
          })),
    ),
  );
  const tgwId = pick('network.transitGateway.name', 'Transit Gateway', tgw.name, 'lab', found);
  if (!tgwId) return;
  ids.transitGateway = tgwId;
  const inTgw: Filter = { Name: 'transit-gateway-id', Values: [tgwId] };
  for (const [i, a] of tgw.attachments.entries()) {
    const atts = await describe('tgw-attach', a.name, (f) =>
      allPages((NextToken) =>
        ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: [...f, inTgw], NextToken })),
      ).then((pages) =>
        pages
          .flatMap((o) => o.TransitGatewayAttachments ?? [])
          .map((x) => ({
            id: x.TransitGatewayAttachmentId!,
            tags: x.Tags,
            gone: ['deleting', 'deleted'].includes(x.State ?? ''),
          })),
      ),
    );
    const id = pick(`network.transitGateway.attachments[${i}].name`, 'TGW attachment', a.name, 'lab', atts);
    if (id) ids.tgwAttachment[a.name] = id;
  }
  for (const [i, t] of tgw.routeTables.entries()) {
    const tables = await describe('tgw-rtb', t.name, (f) =>
      allPages((NextToken) =>
        ec2.send(new DescribeTransitGatewayRouteTablesCommand({ Filters: [...f, inTgw], NextToken })),
      ).then((pages) =>
        pages
          .flatMap((o) => o.TransitGatewayRouteTables ?? [])
          .map((x) => ({
            id: x.TransitGatewayRouteTableId!,
            tags: x.Tags,
            gone: ['deleting', 'deleted'].includes(x.State ?? ''),
          })),
      ),
    );
    const id = pick(
      `network.transitGateway.routeTables[${i}].name`,
      'TGW route table',
      t.name,
      'lab',
      tables,
    );
    if (id) ids.tgwRouteTable[t.name] = id;
  }
}

async function resolveProbe(
  targets: Targets,
  clients: Clients,
  pick: ReturnType<typeof picker>,
  ids: ResolvedTargets['ids'],
  accountIds: Record<string, string>,
): Promise<void> {
  const probe = targets.endpoints?.probe;
  if (!probe) return;
  ids.probeRoleArn = probe.role.startsWith('arn:')
    ? probe.role
    : `arn:aws:iam::${accountIds.lab}:role/${probe.role}`;
  for (const [i, placement] of probe.placements.entries()) {
    const vpc = targets.network!.vpcs.find((v) => v.name === placement.vpc)!;
    const vpcId = ids.vpc[vpc.name]!;
    for (const [j, group] of placement.securityGroups.entries()) {
      if (ids.securityGroup[group]) continue;
      const ec2 = clients(vpc.account).ec2;
      const inVpc: Filter = { Name: 'vpc-id', Values: [vpcId] };
      const byId = /^sg-[0-9a-f]+$/.test(group);
      const lookups: Filter[][] = byId
        ? [[{ Name: 'group-id', Values: [group] }]]
        : [[{ Name: 'tag:Name', Values: [group] }], [{ Name: 'group-name', Values: [group] }]];
      let found: Found[] = [];
      for (const filters of lookups) {
        found = await reading(`look up security group ${group}`, () =>
          allPages((NextToken) =>
            ec2.send(new DescribeSecurityGroupsCommand({ Filters: [...filters, inVpc], NextToken })),
          ).then((pages) =>
            pages
              .flatMap((o) => o.SecurityGroups ?? [])
              .map((g) => ({
                id: g.GroupId!,
                tags: g.Tags,
                name: filters[0]!.Name === 'group-name' ? g.GroupName : undefined,
              })),
          ),
        );
        if (!byId) found = found.filter((f) => exactlyNamed(f, group));
        if (found.length) break;
      }
      const id = pick(
        `endpoints.probe.placements[${i}].securityGroups[${j}]`,
        `security group in ${vpc.name}`,
        group,
        vpc.account,
        found,
      );
      if (id) ids.securityGroup[group] = id;
    }
    if (placement.deployed) {
      const ref = placement.deployed;
      const found = await reading(`look up probe function ${ref}`, () =>
        clients('lab')
          .lambda.send(new GetFunctionConfigurationCommand({ FunctionName: ref }))
          .then((c): Found[] => [{ id: c.FunctionArn! }])
          .catch((error) => (classify(error) === 'not-found' ? [] : Promise.reject(error))),
      );
      const arn = pick(`endpoints.probe.placements[${i}].deployed`, 'Lambda function', ref, 'lab', found);
      if (arn) ids.probeFunction[placement.name] = arn;
    }
  }
}

/**
 * The buckets named in targets exist, in the targets' Region: a missing one
 * would otherwise surface only after the probe and the orders had waited
 * their whole bound. HeadBucket answers 404 for a bucket that does not exist
 * and 403 for one the caller may not list ("If the bucket does not exist or
 * you do not have permission to access it, the HEAD request returns a
 * generic 400 Bad Request, 403 Forbidden or 404 Not Found code", S3 API,
 * HeadBucket); a 403 is taken as "exists", and the checks find out the rest.
 * A bucket in another Region answers 301, or names its Region
 * (x-amz-bucket-region): the probe reaches S3 through the VPC's gateway
 * endpoint, which serves its own Region's buckets only.
 */
async function resolveBuckets(
  targets: Targets,
  lab: AwsClients,
  accountIds: Record<string, string>,
  problems: string[],
): Promise<void> {
  const buckets: [string, string | undefined][] = [
    ['endpoints.probe.bucket', targets.endpoints?.probe?.bucket],
    ['dataProtection.receiptBucket', targets.dataProtection?.receiptBucket],
    ...(targets.application?.buckets ?? []).map((b, i): [string, string] => [
      `application.buckets[${i}].name`,
      b.name,
    ]),
  ];
  // A bucket named in two places is looked up once, and a problem with it named by its first field.
  const looked = new Set<string>();
  for (const [field, bucket] of buckets) {
    if (!bucket || looked.has(bucket)) continue;
    looked.add(bucket);
    try {
      const { BucketRegion } = await lab.s3.send(new HeadBucketCommand({ Bucket: bucket }));
      if (BucketRegion && BucketRegion !== targets.region)
        problems.push(`${field}: bucket "${bucket}" is in ${BucketRegion}, not ${targets.region}`);
    } catch (error) {
      const kind = classify(error);
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (kind === 'not-found')
        problems.push(`${field}: no S3 bucket named "${bucket}" (looked up from account ${accountIds.lab})`);
      else if (status === 301) problems.push(`${field}: bucket "${bucket}" is not in ${targets.region}`);
      else if (kind !== 'denied') throw cannotTell(`look up bucket ${bucket}`, error);
    }
  }
}
