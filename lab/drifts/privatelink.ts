import {
  CreateSubnetCommand,
  DescribeAvailabilityZonesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  ModifyVpcEndpointServiceConfigurationCommand,
  ModifyVpcEndpointServicePermissionsCommand,
  RejectVpcEndpointConnectionsCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeTargetHealthCommand,
  SetSubnetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AssociateVPCWithHostedZoneCommand,
  ChangeResourceRecordSetsCommand,
  DisassociateVPCFromHostedZoneCommand,
  type VPCRegion,
} from '@aws-sdk/client-route-53';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';
import {
  type ConsumerEndpointIds,
  type PrivateLinkServiceIds,
  resolvePrivateLink,
} from '../../helpers/targets/privatelink.ts';
import { privateLinkRow } from '../../helpers/targets/rows.ts';
import type { PrivateLinkServiceTarget } from '../../helpers/targets/schema-privatelink.ts';
import type { Break, Drift, Operator } from './types.ts';

/**
 * Drifts of the PrivateLink path (issue 14): the provider's service, its
 * load balancer's targets, the consumer endpoint and its group, and the
 * private zone that names it. Each picks what it changes from the first
 * service of `privateLink` and the ids its resolution found, and declares
 * the checks by row: P1–P3 and P6 by service, P4 and P5 by `service from
 * vpc`, P7 and P8 by the record's full name, P9–P11 by placement, P12 by
 * account key. P10 and P11 blocked by a failing P9 are errors the drift
 * matrix accepts ("— see P9").
 */

interface Chosen {
  svc: PrivateLinkServiceTarget;
  ids: PrivateLinkServiceIds;
}

/** The first service of `privateLink` that resolved: what `breaks` names, by names only. */
function chosen(lab: ResolvedTargets): Chosen | undefined {
  const svc = lab.privateLink?.services[0];
  const ids = svc && lab.ids.privateLink?.[svc.name];
  return svc && ids ? { svc, ids } : undefined;
}

/**
 * The same service resolved again, as the lab is now: a drift changes the lab as rebuilt after the
 * targets were resolved, and a rebuild may give the service, its endpoint and its zone new ids (ids
 * made after a wait depend on how many polls it took). Names and the VPCs, made before any wait, stand.
 */
async function current(lab: ResolvedTargets, op: Operator): Promise<Chosen> {
  const ids = { ...lab.ids };
  const problems: string[] = [];
  await resolvePrivateLink(lab, op, ids, lab.accountIds, problems);
  const svc = lab.privateLink!.services[0]!;
  const found = ids.privateLink?.[svc.name];
  if (!found) throw new Error(`${svc.name} no longer resolves: ${problems.join('; ')}`);
  return { svc, ids: found };
}

const has = (lab: ResolvedTargets, more: (c: Chosen) => boolean = () => true) => {
  const c = chosen(lab);
  return Boolean(c && more(c));
};

/** The consumer endpoint the zone's record points at (else the first): the one live checks go through. */
function namedEndpoint({ svc, ids }: Chosen): ConsumerEndpointIds {
  const vpc = ids.zone?.endpointVpc ?? svc.endpoints[0]!.vpc;
  return ids.endpoints.find((e) => e.vpc === vpc) ?? ids.endpoints[0]!;
}

/** The `reach` placements in the given VPCs (P9–P10 rows), by the probe placements' VPCs. */
function reachIn(lab: ResolvedTargets, svc: PrivateLinkServiceTarget, vpcs: string[]): string[] {
  const placements = lab.endpoints?.probe?.placements ?? [];
  return (svc.live?.reach ?? []).filter((p) =>
    vpcs.includes(placements.find((x) => x.name === p)?.vpc ?? ''),
  );
}

const row = (id: string, r: string): Break => ({ id, row: r });

export const acceptanceOff: Drift = {
  id: 'pl-acceptance-off',
  says: 'the endpoint service stops requiring acceptance: any allowed principal’s endpoint connects at once',
  appliesTo: (lab) => has(lab, (c) => c.svc.acceptanceRequired),
  async breaks(lab) {
    return [row('P3', chosen(lab)!.svc.name)];
  },
  async apply(lab, op) {
    const { svc, ids } = await current(lab, op);
    await op(svc.account).ec2.send(
      new ModifyVpcEndpointServiceConfigurationCommand({
        ServiceId: ids.serviceId,
        AcceptanceRequired: false,
      }),
    );
  },
};

export const principalsStar: Drift = {
  id: 'pl-principals-star',
  says: 'the endpoint service allows every principal (`*`): any AWS account can find it and request an endpoint',
  appliesTo: (lab) => has(lab),
  async breaks(lab) {
    const { svc } = chosen(lab)!;
    return [row('P3', svc.name), ...(svc.live?.refusedAccounts ?? []).map((a) => row('P12', a))];
  },
  async apply(lab, op) {
    const { svc, ids } = await current(lab, op);
    await op(svc.account).ec2.send(
      new ModifyVpcEndpointServicePermissionsCommand({
        ServiceId: ids.serviceId,
        AddAllowedPrincipals: ['*'],
      }),
    );
  },
};

/**
 * A rejected connection leaves the endpoint `rejected`: its DNS names stop
 * answering, so the record's name resolves to nothing in the consumer VPC.
 */
export const connectionRejected: Drift = {
  id: 'pl-connection-rejected',
  says: 'the provider rejects the consumer endpoint’s connection',
  appliesTo: (lab) => has(lab, (c) => Boolean(namedEndpoint(c).endpointId)),
  async breaks(lab) {
    const c = chosen(lab)!;
    const endpoint = namedEndpoint(c);
    return [
      row('P4', privateLinkRow(c.svc.name, endpoint.vpc)),
      row('P6', c.svc.name),
      ...reachIn(lab, c.svc, [endpoint.vpc]).map((p) => row('P9', p)),
    ];
  },
  async apply(lab, op) {
    const c = await current(lab, op);
    await op(c.svc.account).ec2.send(
      new RejectVpcEndpointConnectionsCommand({
        ServiceId: c.ids.serviceId,
        VpcEndpointIds: [namedEndpoint(c).endpointId!],
      }),
    );
  },
};

/**
 * The zone moves: associated with the VPC of a placement that must not
 * resolve it, then taken off every intended VPC (AWS refuses to remove a
 * private zone's last VPC, "LastVPCAssociation", so the new one comes first).
 */
function elsewhereVpc(lab: ResolvedTargets, c: Chosen): string | undefined {
  const placements = lab.endpoints?.probe?.placements ?? [];
  const intended = c.svc.dns?.vpcs ?? [];
  const unresolved = (c.svc.live?.unresolved ?? []).map((p) => placements.find((x) => x.name === p)?.vpc);
  return unresolved.find((v) => v && !intended.includes(v) && lab.ids.vpc[v]);
}

export const zoneDisassociated: Drift = {
  id: 'pl-zone-disassociated',
  says: 'the private zone is associated with a VPC that must not resolve it and taken off the consumer VPC',
  appliesTo: (lab) => has(lab, (c) => Boolean(c.ids.zone && elsewhereVpc(lab, c))),
  async breaks(lab) {
    const c = chosen(lab)!;
    const other = elsewhereVpc(lab, c)!;
    const placements = lab.endpoints?.probe?.placements ?? [];
    return [
      row('P7', c.ids.zone!.recordName),
      ...reachIn(lab, c.svc, c.svc.dns!.vpcs).map((p) => row('P9', p)),
      ...(c.svc.live?.unresolved ?? [])
        .filter((p) => placements.find((x) => x.name === p)?.vpc === other)
        .map((p) => row('P11', p)),
    ];
  },
  async apply(lab, op) {
    const c = await current(lab, op);
    const zone = c.ids.zone!;
    const { route53 } = op(zone.account);
    const vpc = (name: string) => ({ VPCRegion: lab.region as VPCRegion, VPCId: lab.ids.vpc[name]! });
    await route53.send(
      new AssociateVPCWithHostedZoneCommand({ HostedZoneId: zone.id, VPC: vpc(elsewhereVpc(lab, c)!) }),
    );
    for (const v of c.svc.dns!.vpcs)
      await route53.send(new DisassociateVPCFromHostedZoneCommand({ HostedZoneId: zone.id, VPC: vpc(v) }));
  },
};

/**
 * The record is pointed at another interface endpoint of the consumer VPC
 * (an AWS service's): the name still resolves from the VPC, to addresses
 * that are not the service's.
 */
export const recordElsewhere: Drift = {
  id: 'pl-record-elsewhere',
  says: 'the private record points at another interface endpoint of the consumer VPC',
  appliesTo: (lab) => has(lab, (c) => Boolean(c.ids.zone)),
  async breaks(lab) {
    const c = chosen(lab)!;
    return [
      row('P8', c.ids.zone!.recordName),
      ...reachIn(lab, c.svc, [namedEndpoint(c).vpc]).map((p) => row('P9', p)),
    ];
  },
  async apply(lab, op) {
    const c = await current(lab, op);
    const zone = c.ids.zone!;
    const consumer = namedEndpoint(c);
    const { VpcEndpoints } = await op(consumer.account).ec2.send(
      new DescribeVpcEndpointsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [consumer.vpcId] },
          { Name: 'vpc-endpoint-type', Values: ['Interface'] },
        ],
      }),
    );
    const other = (VpcEndpoints ?? [])
      .filter((e) => e.ServiceName !== c.ids.serviceName && e.DnsEntries?.length)
      .sort((a, b) => (a.ServiceName ?? '').localeCompare(b.ServiceName ?? ''))[0];
    if (!other) throw new Error(`${consumer.vpc} has no other interface endpoint to point the record at`);
    const target = other.DnsEntries![0]!;
    const record =
      zone.recordType === 'CNAME'
        ? { Type: 'CNAME' as const, TTL: 60, ResourceRecords: [{ Value: target.DnsName! }] }
        : {
            Type: 'A' as const,
            AliasTarget: {
              HostedZoneId: target.HostedZoneId!,
              DNSName: target.DnsName!,
              EvaluateTargetHealth: false,
            },
          };
    await op(zone.account).route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone.id,
        ChangeBatch: {
          Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: zone.recordName, ...record } }],
        },
      }),
    );
  },
};

/**
 * Every target leaves the listener's target group: while they drain they
 * take no new connection ("the load balancer stops routing new connections
 * to the target", ELB User Guide, "Deregistration delay"), and no target is
 * healthy.
 */
export const targetDeregistered: Drift = {
  id: 'pl-target-deregistered',
  says: 'the service’s targets are deregistered from the load balancer’s target group',
  appliesTo: (lab) => has(lab),
  async breaks(lab) {
    const c = chosen(lab)!;
    const vpcs = c.svc.endpoints.map((e) => e.vpc);
    return [row('P2', c.svc.name), ...reachIn(lab, c.svc, vpcs).map((p) => row('P10', p))];
  },
  async apply(lab, op) {
    const { svc, ids } = await current(lab, op);
    const { elbv2 } = op(svc.account);
    const { Listeners } = await elbv2.send(
      new DescribeListenersCommand({ LoadBalancerArn: ids.loadBalancerArn }),
    );
    const listener = Listeners?.find((l) => l.Port === ids.port);
    const TargetGroupArn = listener?.DefaultActions?.find((a) => a.Type === 'forward')?.TargetGroupArn;
    if (!TargetGroupArn)
      throw new Error(`${svc.loadBalancer.name} has no listener forwarding on ${ids.port}`);
    const { TargetHealthDescriptions } = await elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn }),
    );
    await elbv2.send(
      new DeregisterTargetsCommand({
        TargetGroupArn,
        Targets: (TargetHealthDescriptions ?? []).map((t) => t.Target!),
      }),
    );
  },
};

/** The consumer endpoint's groups stop admitting the service port from the consumer VPC. */
export const endpointSgNo443: Drift = {
  id: 'pl-endpoint-sg-no-443',
  says: 'the consumer endpoint’s security group no longer admits the service port from its VPC',
  appliesTo: (lab) => has(lab),
  async breaks(lab) {
    const c = chosen(lab)!;
    const endpoint = namedEndpoint(c);
    return [
      row('P5', privateLinkRow(c.svc.name, endpoint.vpc)),
      ...reachIn(lab, c.svc, [endpoint.vpc]).map((p) => row('P10', p)),
    ];
  },
  async apply(lab, op) {
    const endpoint = namedEndpoint(await current(lab, op));
    const cidr = lab.network!.vpcs.find((v) => v.name === endpoint.vpc)!.cidr;
    for (const GroupId of Object.values(endpoint.securityGroupIds))
      await op(endpoint.account).ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: endpoint.port,
              ToPort: endpoint.port,
              IpRanges: [{ CidrIp: cidr }],
            },
          ],
        }),
      );
  },
};

/**
 * The load balancer enabled in one more Availability Zone, in a subnet the
 * operator made for it: ELB lets zones be added while endpoints are
 * associated (API_SetSubnets: "you must include all subnets that were
 * enabled previously … plus any additional subnets"). The service runs
 * where the lab did not plan it (P1), and the new zone's node checks the
 * targets from an address their groups do not admit: the targets fail its
 * checks (P2), though connections through the planned zones still open.
 */
export const loadBalancerExtraZone: Drift = {
  id: 'pl-nlb-extra-zone',
  says: 'the service’s load balancer is enabled in one more Availability Zone, in a new subnet of the provider VPC',
  appliesTo: (lab) => has(lab),
  async breaks(lab) {
    const { svc } = chosen(lab)!;
    return [row('P1', svc.name), row('P2', svc.name)];
  },
  async apply(lab, op) {
    const { svc, ids } = await current(lab, op);
    const { ec2, elbv2 } = op(svc.account);
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: ids.subnetIds }));
    const used = new Set((Subnets ?? []).map((s) => s.AvailabilityZone));
    const { AvailabilityZones } = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    const zone = (AvailabilityZones ?? []).find((z) => !used.has(z.ZoneName))!.ZoneName!;
    const vpc = lab.network!.vpcs.find((v) => v.name === svc.loadBalancer.vpc)!;
    const cidr = vpc.cidr.replace(/^(\d+\.\d+)\.\d+\.\d+\/\d+$/, '$1.249.0/24');
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({ VpcId: ids.vpcId, CidrBlock: cidr, AvailabilityZone: zone }),
    );
    await elbv2.send(
      new SetSubnetsCommand({
        LoadBalancerArn: ids.loadBalancerArn,
        Subnets: [...ids.subnetIds, Subnet!.SubnetId!],
      }),
    );
  },
};

export const privateLinkDrifts: Drift[] = [
  acceptanceOff,
  principalsStar,
  connectionRejected,
  zoneDisassociated,
  recordElsewhere,
  targetDeregistered,
  endpointSgNo443,
  loadBalancerExtraZone,
];
