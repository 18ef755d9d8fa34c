import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  DeleteVpcEndpointsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointsCommand,
  ModifyVpcEndpointCommand,
  RevokeSecurityGroupEgressCommand,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { reachRows } from '../../helpers/privatelink/live-rows.ts';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';
import { serviceRow } from '../../helpers/targets/rows.ts';
import {
  endpointSgAdmitsPrefixList,
  interfaceEndpointLosesAz,
  s3PolicyKeyedOnBucketAccount,
  s3PolicyLetsAnyoneWrite,
} from './endpoints-scope.ts';
import { dynamodbRows, pipelineStopsIfIn, writerStopsIfIn } from './lab-view.ts';
import type { Break, Drift, Operator } from './types.ts';

/**
 * Drifts of private connectivity: gateway routes, endpoint policies, private
 * DNS, endpoint security groups, and a NAT path that should not exist. Each
 * picks what it changes from the targets' endpoints and probe placements.
 */
export const ec2 = (op: Operator, lab: ResolvedTargets, vpc: string) =>
  op(lab.network!.vpcs.find((v) => v.name === vpc)!.account).ec2;

export async function endpointOf(
  lab: ResolvedTargets,
  op: Operator,
  vpc: string,
  service: string,
): Promise<VpcEndpoint> {
  const { VpcEndpoints } = await ec2(op, lab, vpc).send(
    new DescribeVpcEndpointsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [lab.ids.vpc[vpc]!] },
        { Name: 'service-name', Values: [`com.amazonaws.${lab.region}.${service}`] },
      ],
    }),
  );
  return VpcEndpoints![0]!;
}

/** A VPC with an S3 gateway endpoint, and the probe placements in it that expect S3 to answer. */
function s3Vpc(lab: ResolvedTargets) {
  const e = lab.endpoints?.vpcs.find((v) => v.gateway.includes('s3'));
  if (!e) return undefined;
  return {
    vpc: e.vpc,
    placements: (lab.endpoints?.probe?.placements ?? []).filter(
      (p) => p.vpc === e.vpc && p.expect.s3 === 'ok',
    ),
  };
}

const e6 = (name: string): Break => ({ id: 'E6', row: name });
const e7 = (name: string): Break => ({ id: 'E7', row: name });

export const gatewayRouteRemoved: Drift = {
  id: 'ep-s3-gateway-route-removed',
  says: "the S3 gateway endpoint is taken off its VPC's route tables",
  appliesTo: (lab) => Boolean(s3Vpc(lab)),
  async breaks(lab, op) {
    const { vpc, placements } = s3Vpc(lab)!;
    return [
      { id: 'E1', row: serviceRow(vpc, 's3') },
      ...placements.map((p) => e6(p.name)),
      ...(await pipelineStopsIfIn(lab, op, vpc)),
      ...(await writerStopsIfIn(lab, op, vpc)),
    ];
  },
  async apply(lab, op) {
    const { vpc } = s3Vpc(lab)!;
    const endpoint = await endpointOf(lab, op, vpc, 's3');
    await ec2(op, lab, vpc).send(
      new ModifyVpcEndpointCommand({
        VpcEndpointId: endpoint.VpcEndpointId,
        RemoveRouteTableIds: endpoint.RouteTableIds,
      }),
    );
  },
};

const denyAll = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }],
});
const allowAll = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
});

export const s3PolicyDenies: Drift = {
  id: 'ep-s3-endpoint-policy-denies',
  says: 'the S3 endpoint policy is replaced by one that denies everything',
  appliesTo: (lab) => Boolean(s3Vpc(lab)),
  async breaks(lab, op) {
    const { vpc, placements } = s3Vpc(lab)!;
    const policyChecked = lab.endpoints!.vpcs.find((v) => v.vpc === vpc)!.s3PolicyAccounts;
    return [
      ...(policyChecked ? [{ id: 'E5', row: vpc }] : []),
      ...placements.map((p) => e6(p.name)),
      ...(await pipelineStopsIfIn(lab, op, vpc)),
      ...(await writerStopsIfIn(lab, op, vpc)),
    ];
  },
  async apply(lab, op) {
    const { vpc } = s3Vpc(lab)!;
    const endpoint = await endpointOf(lab, op, vpc, 's3');
    await ec2(op, lab, vpc).send(
      new ModifyVpcEndpointCommand({ VpcEndpointId: endpoint.VpcEndpointId, PolicyDocument: denyAll }),
    );
  },
};

export const s3PolicyWidened: Drift = {
  id: 'ep-s3-endpoint-policy-widened',
  says: 'the S3 endpoint policy is reset to let anyone through',
  appliesTo: (lab) => Boolean(lab.endpoints?.vpcs.some((v) => v.s3PolicyAccounts)),
  async breaks(lab) {
    return [{ id: 'E5', row: lab.endpoints!.vpcs.find((v) => v.s3PolicyAccounts)!.vpc }];
  },
  async apply(lab, op) {
    const vpc = lab.endpoints!.vpcs.find((v) => v.s3PolicyAccounts)!.vpc;
    const endpoint = await endpointOf(lab, op, vpc, 's3');
    await ec2(op, lab, vpc).send(
      new ModifyVpcEndpointCommand({ VpcEndpointId: endpoint.VpcEndpointId, PolicyDocument: allowAll }),
    );
  },
};

/** Run Command needs these; turning their DNS off would silence the hosts, not fail a check. */
export const SSM_TRIO = new Set(['ssm', 'ssmmessages', 'ec2messages']);

function dnsVictim(lab: ResolvedTargets) {
  for (const e of lab.endpoints?.vpcs ?? []) {
    const service = e.interface.find((s) => !SSM_TRIO.has(s));
    if (service) return { vpc: e.vpc, service };
  }
  return undefined;
}

export const privateDnsOff: Drift = {
  id: 'ep-private-dns-off',
  says: 'private DNS is turned off on an interface endpoint',
  appliesTo: (lab) => Boolean(dnsVictim(lab)),
  async breaks(lab) {
    const { vpc, service } = dnsVictim(lab)!;
    const placements = (lab.endpoints?.probe?.placements ?? []).filter((p) => p.vpc === vpc);
    return [
      { id: 'E2', row: serviceRow(vpc, service) },
      ...placements.map((p) => ({ id: 'E8', row: p.name })),
    ];
  },
  async apply(lab, op) {
    const { vpc, service } = dnsVictim(lab)!;
    const endpoint = await endpointOf(lab, op, vpc, service);
    await ec2(op, lab, vpc).send(
      new ModifyVpcEndpointCommand({ VpcEndpointId: endpoint.VpcEndpointId, PrivateDnsEnabled: false }),
    );
  },
};

export const endpointSgOpened: Drift = {
  id: 'ep-endpoint-sg-open-to-world',
  says: "an interface endpoint's security group admits HTTPS from anywhere",
  appliesTo: (lab) => Boolean(lab.endpoints?.vpcs.some((v) => v.interface.length)),
  async breaks(lab) {
    return [{ id: 'E4', row: lab.endpoints!.vpcs.find((v) => v.interface.length)!.vpc }];
  },
  async apply(lab, op) {
    const e = lab.endpoints!.vpcs.find((v) => v.interface.length)!;
    const endpoint = await endpointOf(lab, op, e.vpc, e.interface[0]!);
    await ec2(op, lab, e.vpc).send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: endpoint.Groups![0]!.GroupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
      }),
    );
  },
};

export const dynamodbEndpointDeleted: Drift = {
  id: 'ep-dynamodb-endpoint-deleted',
  says: 'the DynamoDB gateway endpoint is deleted',
  appliesTo: (lab) => Boolean(lab.endpoints?.vpcs.some((v) => v.gateway.includes('dynamodb'))),
  async breaks(lab, op) {
    const vpc = lab.endpoints!.vpcs.find((v) => v.gateway.includes('dynamodb'))!.vpc;
    const inVpc = (lab.endpoints?.probe?.placements ?? []).filter((p) => p.vpc === vpc).map((p) => p.name);
    return [
      { id: 'E1', row: serviceRow(vpc, 'dynamodb') },
      ...dynamodbRows(lab, inVpc, 'ok'),
      ...(await writerStopsIfIn(lab, op, vpc)),
    ];
  },
  async apply(lab, op) {
    const vpc = lab.endpoints!.vpcs.find((v) => v.gateway.includes('dynamodb'))!.vpc;
    const endpoint = await endpointOf(lab, op, vpc, 'dynamodb');
    await ec2(op, lab, vpc).send(
      new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpoint.VpcEndpointId!] }),
    );
  },
};

export const probeGroupLosesEgress: Drift = {
  id: 'ep-lambda-sg-egress-revoked',
  says: 'the Lambda security group loses its HTTPS egress',
  appliesTo: (lab) => Boolean(s3Vpc(lab)?.placements.length),
  async breaks(lab, op) {
    const placement = s3Vpc(lab)!.placements[0]!;
    return [
      e6(placement.name),
      ...dynamodbRows(lab, [placement.name], 'ok'),
      // With no egress the probe's connection to a PrivateLink service never opens either (its lookup still answers).
      ...reachRows(lab)
        .filter((r) => r.placement === placement.name)
        .map((r): Break => ({ id: 'P10', row: r.placement })),
      ...(await pipelineStopsIfIn(lab, op, placement.vpc, placement.securityGroups)),
      ...(await writerStopsIfIn(lab, op, placement.vpc, placement.securityGroups)),
    ];
  },
  async apply(lab, op) {
    const placement = s3Vpc(lab)!.placements[0]!;
    const client = ec2(op, lab, placement.vpc);
    for (const name of placement.securityGroups) {
      const { SecurityGroups } = await client.send(
        new DescribeSecurityGroupsCommand({ GroupIds: [lab.ids.securityGroup[name]!] }),
      );
      const egress = SecurityGroups![0]!.IpPermissionsEgress ?? [];
      if (egress.length)
        await client.send(
          new RevokeSecurityGroupEgressCommand({
            GroupId: lab.ids.securityGroup[name],
            IpPermissions: egress,
          }),
        );
    }
  },
};

/** A placement that must not reach S3 or the internet, in a VPC whose subnets have their own route table. */
function isolatedPlacement(lab: ResolvedTargets) {
  return lab.endpoints?.probe?.placements.find(
    (p) => p.expect.s3 === 'timeout' && p.expect.internet === 'timeout',
  );
}

export const natRouteAdded: Drift = {
  id: 'ep-nat-route-added',
  says: 'a NAT gateway (in a new public subnet) becomes the default route of an isolated VPC',
  appliesTo: (lab) => Boolean(isolatedPlacement(lab)),
  async breaks(lab, op) {
    const p = isolatedPlacement(lab)!;
    const tables = await routeTablesOf(lab, op, p.vpc, p.subnets);
    const vpc = lab.network!.vpcs.find((v) => v.name === p.vpc)!;
    const affected = vpc.subnets
      .filter((s) => tables.has(s.name))
      .map((s): Break => ({ id: 'N10', row: s.name }));
    // DynamoDB answers through the NAT where the placement meant it to time out (S13).
    return [...affected, e6(p.name), e7(p.name), ...dynamodbRows(lab, [p.name], 'timeout')];
  },
  async apply(lab, op) {
    const p = isolatedPlacement(lab)!;
    const client = ec2(op, lab, p.vpc);
    const vpcId = lab.ids.vpc[p.vpc]!;
    const vpc = lab.network!.vpcs.find((v) => v.name === p.vpc)!;
    const publicCidr = vpc.cidr.replace(/^(\d+\.\d+)\.\d+\.\d+\/\d+$/, '$1.250.0/24');
    const { Subnet } = await client.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: publicCidr }));
    const { InternetGateway } = await client.send(new CreateInternetGatewayCommand({}));
    await client.send(
      new AttachInternetGatewayCommand({
        InternetGatewayId: InternetGateway!.InternetGatewayId,
        VpcId: vpcId,
      }),
    );
    const { RouteTable } = await client.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    await client.send(
      new CreateRouteCommand({
        RouteTableId: RouteTable!.RouteTableId,
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: InternetGateway!.InternetGatewayId,
      }),
    );
    await client.send(
      new AssociateRouteTableCommand({ RouteTableId: RouteTable!.RouteTableId, SubnetId: Subnet!.SubnetId }),
    );
    const { AllocationId } = await client.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const { NatGateway } = await client.send(
      new CreateNatGatewayCommand({ SubnetId: Subnet!.SubnetId, AllocationId }),
    );
    for (const table of new Set((await routeTablesOf(lab, op, p.vpc, p.subnets)).values())) {
      await client.send(
        new CreateRouteCommand({
          RouteTableId: table,
          DestinationCidrBlock: '0.0.0.0/0',
          NatGatewayId: NatGateway!.NatGatewayId,
        }),
      );
    }
  },
};

/** Subnet name → the route table it uses, for the subnets of a VPC that share a table with `subnets`. */
async function routeTablesOf(
  lab: ResolvedTargets,
  op: Operator,
  vpcName: string,
  subnets: string[],
): Promise<Map<string, string>> {
  const vpc = lab.network!.vpcs.find((v) => v.name === vpcName)!;
  const client = ec2(op, lab, vpcName);
  const tableOf = new Map<string, string>();
  for (const s of vpc.subnets) {
    const { RouteTables } = await client.send(
      new DescribeRouteTablesCommand({
        Filters: [{ Name: 'association.subnet-id', Values: [lab.ids.subnet[s.name]!] }],
      }),
    );
    if (RouteTables?.[0]) tableOf.set(s.name, RouteTables[0].RouteTableId!);
  }
  const wanted = new Set(subnets.map((s) => tableOf.get(s)));
  return new Map([...tableOf].filter(([, t]) => wanted.has(t)));
}

export const endpointDrifts: Drift[] = [
  gatewayRouteRemoved,
  s3PolicyDenies,
  s3PolicyWidened,
  s3PolicyLetsAnyoneWrite,
  s3PolicyKeyedOnBucketAccount,
  privateDnsOff,
  endpointSgOpened,
  endpointSgAdmitsPrefixList,
  interfaceEndpointLosesAz,
  dynamodbEndpointDeleted,
  probeGroupLosesEgress,
  natRouteAdded,
];
