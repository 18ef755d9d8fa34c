import {
  AssociateRouteTableCommand,
  AssociateTransitGatewayRouteTableCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  EnableTransitGatewayRouteTablePropagationCommand,
  type IpPermission,
  ModifyVpcAttributeCommand,
  RunInstancesCommand,
  type TagSpecification,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../helpers/clients.ts';

/**
 * The second lab's network, built with the SDK as its operator would:
 * four VPCs in 172.20–23.0.0/16 on Mesh-TGW. Payments and Analytics talk
 * to each other and to Core; Sandbox is a spoke that may reach Core only.
 * Unlike the reference lab, spokes summarise the mesh as one /14 route,
 * and the TGW learns spoke networks by propagation, not static routes.
 */
export interface SpokeSpec {
  key: string;
  name: string;
  cidr: string;
  subnets: { name: string; cidr: string; az: string }[];
  host: { name: string; ip: string };
  /** Destinations this VPC's private route table sends to the TGW. */
  viaTgw: string[];
  /** Extra ingress on the host's group, beyond ICMP from the mesh. */
  ingress?: IpPermission[];
}

const MESH = '172.20.0.0/14';

export const spokes: SpokeSpec[] = [
  {
    key: 'core',
    name: 'Core-VPC',
    cidr: '172.20.0.0/16',
    subnets: [
      { name: 'core-app-a', cidr: '172.20.16.0/20', az: 'eu-west-1a' },
      { name: 'core-app-b', cidr: '172.20.32.0/20', az: 'eu-west-1b' },
    ],
    host: { name: 'core-svc', ip: '172.20.16.20' },
    viaTgw: ['172.21.0.0/16', '172.22.0.0/16', '172.23.0.0/16'],
    ingress: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '172.21.0.0/16' }] }],
  },
  {
    key: 'payments',
    name: 'Payments-VPC',
    cidr: '172.21.0.0/16',
    subnets: [
      { name: 'payments-app-a', cidr: '172.21.16.0/20', az: 'eu-west-1a' },
      { name: 'payments-app-b', cidr: '172.21.32.0/20', az: 'eu-west-1b' },
    ],
    host: { name: 'pay-api', ip: '172.21.16.20' },
    viaTgw: [MESH],
  },
  {
    key: 'analytics',
    name: 'Analytics-VPC',
    cidr: '172.22.0.0/16',
    subnets: [
      { name: 'analytics-app-a', cidr: '172.22.16.0/20', az: 'eu-west-1a' },
      { name: 'analytics-app-b', cidr: '172.22.32.0/20', az: 'eu-west-1c' },
    ],
    host: { name: 'etl-worker', ip: '172.22.16.20' },
    viaTgw: [MESH],
  },
  {
    key: 'sandbox',
    name: 'Sandbox-VPC',
    cidr: '172.23.0.0/16',
    subnets: [{ name: 'sandbox-a', cidr: '172.23.16.0/20', az: 'eu-west-1b' }],
    host: { name: 'sandbox-box', ip: '172.23.16.20' },
    viaTgw: ['172.20.0.0/16'],
  },
];

export interface BuiltSpoke {
  spec: SpokeSpec;
  vpcId: string;
  subnetIds: string[];
  routeTableId: string;
  endpointGroupId: string;
}

export const tagged = (ResourceType: string, name: string): TagSpecification[] => [
  { ResourceType: ResourceType as TagSpecification['ResourceType'], Tags: [{ Key: 'Name', Value: name }] },
];

export async function buildSpoke(
  { ec2 }: AwsClients,
  spec: SpokeSpec,
  instanceProfileArn: string,
): Promise<BuiltSpoke> {
  const { Vpc } = await ec2.send(
    new CreateVpcCommand({ CidrBlock: spec.cidr, TagSpecifications: tagged('vpc', spec.name) }),
  );
  const vpcId = Vpc!.VpcId!;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const { RouteTable } = await ec2.send(
    new CreateRouteTableCommand({ VpcId: vpcId, TagSpecifications: tagged('route-table', `${spec.key}-rt`) }),
  );
  const subnetIds: string[] = [];
  for (const s of spec.subnets) {
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: s.cidr,
        AvailabilityZone: s.az,
        TagSpecifications: tagged('subnet', s.name),
      }),
    );
    subnetIds.push(Subnet!.SubnetId!);
    await ec2.send(
      new AssociateRouteTableCommand({
        RouteTableId: RouteTable!.RouteTableId!,
        SubnetId: Subnet!.SubnetId!,
      }),
    );
  }
  const endpointGroupId = await securityGroup(ec2, vpcId, `${spec.key}-vpce`, 'HTTPS from the VPC', [
    { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: spec.cidr }] },
  ]);
  const hostGroupId = await securityGroup(ec2, vpcId, `${spec.host.name}-sg`, 'ICMP from the mesh', [
    { IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: MESH }] },
    ...(spec.ingress ?? []),
  ]);
  await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-0d64bb532e0502c46',
      InstanceType: 't4g.small',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetIds[0],
      PrivateIpAddress: spec.host.ip,
      SecurityGroupIds: [hostGroupId],
      IamInstanceProfile: { Arn: instanceProfileArn },
      TagSpecifications: tagged('instance', spec.host.name),
    }),
  );
  for (const service of ['ssm', 'ssmmessages', 'ec2messages']) {
    await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.eu-west-1.${service}`,
        SubnetIds: subnetIds,
        SecurityGroupIds: [endpointGroupId],
        PrivateDnsEnabled: true,
      }),
    );
  }
  return { spec, vpcId, subnetIds, routeTableId: RouteTable!.RouteTableId!, endpointGroupId };
}

export async function securityGroup(
  ec2: AwsClients['ec2'],
  vpcId: string,
  name: string,
  description: string,
  ingress: IpPermission[],
): Promise<string> {
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: name,
      Description: description,
      VpcId: vpcId,
      TagSpecifications: tagged('security-group', name),
    }),
  );
  if (ingress.length)
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: ingress }));
  return GroupId!;
}

/**
 * Mesh-TGW: one table for Core, one shared by the two application spokes,
 * one for Sandbox. Core learns every spoke by propagation; the application
 * table learns both applications by propagation and Core statically;
 * Sandbox's table knows Core only.
 */
export async function buildMesh({ ec2 }: AwsClients, built: BuiltSpoke[]): Promise<void> {
  const { TransitGateway } = await ec2.send(
    new CreateTransitGatewayCommand({
      Description: 'second lab mesh',
      Options: {
        AmazonSideAsn: 64_620,
        DnsSupport: 'enable',
        AutoAcceptSharedAttachments: 'disable',
        DefaultRouteTableAssociation: 'disable',
        DefaultRouteTablePropagation: 'disable',
      },
      TagSpecifications: tagged('transit-gateway', 'Mesh-TGW'),
    }),
  );
  const tgwId = TransitGateway!.TransitGatewayId!;
  const attachment: Record<string, string> = {};
  for (const spoke of built) {
    const { TransitGatewayVpcAttachment } = await ec2.send(
      new CreateTransitGatewayVpcAttachmentCommand({
        TransitGatewayId: tgwId,
        VpcId: spoke.vpcId,
        SubnetIds: spoke.subnetIds,
        TagSpecifications: tagged('transit-gateway-attachment', `${spoke.spec.key}-tgw-att`),
      }),
    );
    attachment[spoke.spec.key] = TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    for (const cidr of spoke.spec.viaTgw)
      await ec2.send(
        new CreateRouteCommand({
          RouteTableId: spoke.routeTableId,
          DestinationCidrBlock: cidr,
          TransitGatewayId: tgwId,
        }),
      );
  }
  const tables = [
    { name: 'core-tgw-rt', members: ['core'], learns: ['payments', 'analytics', 'sandbox'], statics: [] },
    {
      name: 'apps-tgw-rt',
      members: ['payments', 'analytics'],
      learns: ['payments', 'analytics'],
      statics: ['core'],
    },
    { name: 'sandbox-tgw-rt', members: ['sandbox'], learns: [], statics: ['core'] },
  ];
  const cidrOf = (key: string) => built.find((b) => b.spec.key === key)!.spec.cidr;
  for (const table of tables) {
    const { TransitGatewayRouteTable } = await ec2.send(
      new CreateTransitGatewayRouteTableCommand({
        TransitGatewayId: tgwId,
        TagSpecifications: tagged('transit-gateway-route-table', table.name),
      }),
    );
    const TransitGatewayRouteTableId = TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
    for (const member of table.members)
      await ec2.send(
        new AssociateTransitGatewayRouteTableCommand({
          TransitGatewayRouteTableId,
          TransitGatewayAttachmentId: attachment[member],
        }),
      );
    for (const learned of table.learns)
      await ec2.send(
        new EnableTransitGatewayRouteTablePropagationCommand({
          TransitGatewayRouteTableId,
          TransitGatewayAttachmentId: attachment[learned],
        }),
      );
    for (const to of table.statics)
      await ec2.send(
        new CreateTransitGatewayRouteCommand({
          TransitGatewayRouteTableId,
          DestinationCidrBlock: cidrOf(to),
          TransitGatewayAttachmentId: attachment[to],
        }),
      );
  }
}
