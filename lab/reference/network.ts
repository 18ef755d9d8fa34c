import type {
  CreateRouteTableResult,
  CreateSecurityGroupResult,
  CreateSubnetResult,
  CreateTransitGatewayResult,
  CreateTransitGatewayRouteTableResult,
  CreateTransitGatewayVpcAttachmentResult,
  CreateVpcPeeringConnectionResult,
  CreateVpcResult,
} from '@aws-sdk/client-ec2';
import { type LabBuilder, named } from '../builder.ts';

/**
 * The reference lab's network (lab.md, "Network"): three lab VPCs joined by
 * Cloud-TGW with segmented route tables, a partner VPC in the log-archive
 * account peered with Shared-Services, private subnets only, no internet
 * path anywhere, and SSM endpoints so Run Command works without NAT.
 */
export interface VpcSpec {
  key: string;
  name: string;
  cidr: string;
  subnets: { name: string; cidr: string; az: string }[];
  host: { name: string; ip: string; icmpFrom: string[] };
  /** Peer CIDRs sent to the TGW from the private route table. */
  viaTgw: string[];
}

export const labVpcs: VpcSpec[] = [
  {
    key: 'prod',
    name: 'Prod-VPC',
    cidr: '10.0.0.0/16',
    subnets: [
      { name: 'Prod-private-1', cidr: '10.0.1.0/24', az: 'us-east-1a' },
      { name: 'Prod-private-2', cidr: '10.0.2.0/24', az: 'us-east-1b' },
    ],
    host: { name: 'prod-app', ip: '10.0.1.10', icmpFrom: ['10.0.0.0/8'] },
    viaTgw: ['10.1.0.0/16', '10.2.0.0/16'],
  },
  {
    key: 'dev',
    name: 'Dev-VPC',
    cidr: '10.1.0.0/16',
    subnets: [
      { name: 'Dev-private-1', cidr: '10.1.1.0/24', az: 'us-east-1a' },
      { name: 'Dev-private-2', cidr: '10.1.2.0/24', az: 'us-east-1b' },
    ],
    host: { name: 'dev-app', ip: '10.1.1.10', icmpFrom: ['10.0.0.0/8'] },
    viaTgw: ['10.0.0.0/16', '10.2.0.0/16'],
  },
  {
    key: 'shared',
    name: 'Shared-Services-VPC',
    cidr: '10.2.0.0/16',
    subnets: [
      { name: 'Shared-private-1', cidr: '10.2.1.0/24', az: 'us-east-1a' },
      { name: 'Shared-private-2', cidr: '10.2.2.0/24', az: 'us-east-1b' },
    ],
    host: { name: 'shared-app', ip: '10.2.1.10', icmpFrom: ['10.0.0.0/8'] },
    viaTgw: ['10.0.0.0/16', '10.1.0.0/16'],
  },
];

export const partnerVpc: VpcSpec = {
  key: 'partner',
  name: 'Partner-VPC',
  cidr: '192.168.0.0/16',
  subnets: [{ name: 'Partner-private-1', cidr: '192.168.1.0/24', az: 'us-east-1a' }],
  host: { name: 'partner-app', ip: '192.168.1.10', icmpFrom: ['10.2.1.0/24'] },
  viaTgw: [],
};

/** The interface endpoints Run Command needs in a VPC without NAT. */
export const SSM_ENDPOINTS = ['ssm', 'ssmmessages', 'ec2messages'];

export interface BuiltVpc {
  spec: VpcSpec;
  vpcId: string;
  subnetIds: string[];
  routeTableId: string;
  endpointSgId: string;
  hostSgId: string;
}

/** A VPC with its private subnets, one private route table, an endpoint SG and the host's SG. */
export async function buildVpc(lab: LabBuilder, spec: VpcSpec): Promise<BuiltVpc> {
  const { Vpc } = await lab.ec2<CreateVpcResult>('CreateVpc', {
    CidrBlock: spec.cidr,
    ...named('vpc', spec.name),
  });
  const vpcId = Vpc!.VpcId!;
  await lab.ec2('ModifyVpcAttribute', { VpcId: vpcId, EnableDnsHostnames: { Value: true } });
  const { RouteTable } = await lab.ec2<CreateRouteTableResult>('CreateRouteTable', {
    VpcId: vpcId,
    ...named('route-table', `${spec.key}-private-rt`),
  });
  const routeTableId = RouteTable!.RouteTableId!;
  const subnetIds: string[] = [];
  for (const s of spec.subnets) {
    const { Subnet } = await lab.ec2<CreateSubnetResult>('CreateSubnet', {
      VpcId: vpcId,
      CidrBlock: s.cidr,
      AvailabilityZone: s.az,
      ...named('subnet', s.name),
    });
    subnetIds.push(Subnet!.SubnetId!);
    await lab.ec2('AssociateRouteTable', { RouteTableId: routeTableId, SubnetId: Subnet!.SubnetId });
  }
  const endpointSg = await lab.ec2<CreateSecurityGroupResult>('CreateSecurityGroup', {
    GroupName: `${spec.key}-endpoints`,
    Description: 'Interface endpoints: HTTPS from the VPC only',
    VpcId: vpcId,
    ...named('security-group', `${spec.key}-endpoints`),
  });
  await lab.ec2('AuthorizeSecurityGroupIngress', {
    GroupId: endpointSg.GroupId,
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: spec.cidr }] }],
  });
  const hostSg = await lab.ec2<CreateSecurityGroupResult>('CreateSecurityGroup', {
    GroupName: `${spec.host.name}-sg`,
    Description: `${spec.host.name}: ICMP from intended sources only`,
    VpcId: vpcId,
    ...named('security-group', `${spec.host.name}-sg`),
  });
  await lab.ec2('AuthorizeSecurityGroupIngress', {
    GroupId: hostSg.GroupId,
    IpPermissions: [
      {
        IpProtocol: 'icmp',
        FromPort: -1,
        ToPort: -1,
        IpRanges: spec.host.icmpFrom.map((CidrIp) => ({ CidrIp })),
      },
    ],
  });
  return {
    spec,
    vpcId,
    subnetIds,
    routeTableId,
    endpointSgId: endpointSg.GroupId!,
    hostSgId: hostSg.GroupId!,
  };
}

/** The interface endpoints Run Command needs, in every subnet of the VPC (after the hosts took their fixed addresses). */
export async function addSsmEndpoints(lab: LabBuilder, vpc: BuiltVpc): Promise<void> {
  for (const service of SSM_ENDPOINTS) {
    await lab.ec2('CreateVpcEndpoint', {
      VpcId: vpc.vpcId,
      VpcEndpointType: 'Interface',
      ServiceName: `com.amazonaws.${lab.region}.${service}`,
      SubnetIds: vpc.subnetIds,
      SecurityGroupIds: [vpc.endpointSgId],
      PrivateDnsEnabled: true,
      ...named('vpc-endpoint', `${vpc.spec.key}-${service}`),
    });
  }
}

/** The app host: a private instance at its fixed address, managed by SSM through its instance profile. */
export async function launchHost(
  lab: LabBuilder,
  vpc: BuiltVpc,
  instanceProfileArn: string,
): Promise<string> {
  const out = await lab.ec2<{ Instances?: { InstanceId?: string }[] }>('RunInstances', {
    ImageId: 'ami-0c02fb55956c7d316',
    InstanceType: 't3.micro',
    MinCount: 1,
    MaxCount: 1,
    SubnetId: vpc.subnetIds[0],
    PrivateIpAddress: vpc.spec.host.ip,
    SecurityGroupIds: [vpc.hostSgId],
    IamInstanceProfile: { Arn: instanceProfileArn },
    ...named('instance', vpc.spec.host.name),
  });
  return out.Instances![0]!.InstanceId!;
}

/** Cloud-TGW: DNS on, auto-accept off, no default association or propagation; one table per attachment. */
export async function buildTransitGateway(lab: LabBuilder, vpcs: BuiltVpc[]): Promise<string> {
  const { TransitGateway } = await lab.ec2<CreateTransitGatewayResult>('CreateTransitGateway', {
    Description: 'Cloud Secure Mesh hub',
    Options: {
      DnsSupport: 'enable',
      AutoAcceptSharedAttachments: 'disable',
      DefaultRouteTableAssociation: 'disable',
      DefaultRouteTablePropagation: 'disable',
    },
    ...named('transit-gateway', 'Cloud-TGW'),
  });
  const tgwId = TransitGateway!.TransitGatewayId!;
  const attachments: Record<string, string> = {};
  for (const vpc of vpcs) {
    const { TransitGatewayVpcAttachment } = await lab.ec2<CreateTransitGatewayVpcAttachmentResult>(
      'CreateTransitGatewayVpcAttachment',
      {
        TransitGatewayId: tgwId,
        VpcId: vpc.vpcId,
        SubnetIds: vpc.subnetIds,
        ...named('transit-gateway-attachment', `${vpc.spec.key}-attach`),
      },
    );
    attachments[vpc.spec.key] = TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    for (const cidr of vpc.spec.viaTgw) {
      await lab.ec2('CreateRoute', {
        RouteTableId: vpc.routeTableId,
        DestinationCidrBlock: cidr,
        TransitGatewayId: tgwId,
      });
    }
  }
  // Prod ↔ Shared and Dev ↔ Shared; no route between Prod and Dev.
  const tables: [string, string, Record<string, string>][] = [
    ['prod-rt', 'prod', { '10.2.0.0/16': 'shared' }],
    ['dev-rt', 'dev', { '10.2.0.0/16': 'shared' }],
    ['shared-rt', 'shared', { '10.0.0.0/16': 'prod', '10.1.0.0/16': 'dev' }],
  ];
  for (const [name, associated, routes] of tables) {
    const { TransitGatewayRouteTable } = await lab.ec2<CreateTransitGatewayRouteTableResult>(
      'CreateTransitGatewayRouteTable',
      {
        TransitGatewayId: tgwId,
        ...named('transit-gateway-route-table', name),
      },
    );
    const tableId = TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
    await lab.ec2('AssociateTransitGatewayRouteTable', {
      TransitGatewayRouteTableId: tableId,
      TransitGatewayAttachmentId: attachments[associated],
    });
    for (const [cidr, to] of Object.entries(routes)) {
      await lab.ec2('CreateTransitGatewayRoute', {
        TransitGatewayRouteTableId: tableId,
        DestinationCidrBlock: cidr,
        TransitGatewayAttachmentId: attachments[to],
      });
    }
  }
  return tgwId;
}

/** Shared-Services ↔ Partner peering across accounts, requested by the lab and accepted by the partner. */
export async function peerWithPartner(
  lab: LabBuilder,
  partner: LabBuilder,
  shared: BuiltVpc,
  partnerVpc: BuiltVpc,
): Promise<string> {
  const { VpcPeeringConnection } = await lab.ec2<CreateVpcPeeringConnectionResult>(
    'CreateVpcPeeringConnection',
    {
      VpcId: shared.vpcId,
      PeerVpcId: partnerVpc.vpcId,
      PeerOwnerId: partner.accountId,
      PeerRegion: partner.region,
      ...named('vpc-peering-connection', 'shared-partner'),
    },
  );
  const pcxId = VpcPeeringConnection!.VpcPeeringConnectionId!;
  await partner.ec2('AcceptVpcPeeringConnection', { VpcPeeringConnectionId: pcxId });
  await lab.ec2('CreateRoute', {
    RouteTableId: shared.routeTableId,
    DestinationCidrBlock: partnerVpc.spec.cidr,
    VpcPeeringConnectionId: pcxId,
  });
  await partner.ec2('CreateRoute', {
    RouteTableId: partnerVpc.routeTableId,
    DestinationCidrBlock: shared.spec.cidr,
    VpcPeeringConnectionId: pcxId,
  });
  return pcxId;
}
