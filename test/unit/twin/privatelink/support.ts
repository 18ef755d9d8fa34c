import { builderFor, type LabBuilder } from '../../../../lab/builder.ts';
import type { ServiceDefinition } from '../../../../twin/core/service.ts';
import { ec2 } from '../../../../twin/services/ec2/api.ts';
import { createServiceEni } from '../../../../twin/services/ec2/model/network-interfaces.ts';
import { ELBV2_SIGNING_NAME, Elbv2Model } from '../../../../twin/services/elbv2/model/index.ts';
import { services } from '../../../../twin/services/registry.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { Twin } from '../../../../twin/twin.ts';

/**
 * A provider and a consumer of an endpoint service, built through the EC2
 * API: the provider's VPC 10.2.0.0/16 holds a target (10.2.1.10) behind a
 * Network Load Balancer listening on TCP 443; the consumer's VPC
 * 10.0.0.0/16 holds a client (10.0.1.10) and, once `connect` runs, an
 * interface endpoint whose group admits 443 from the VPC.
 */
export const PROVIDER = '123456789012';
export const CONSUMER = '444455556666';
export const STRANGER = '777788889999';
export const REGION = 'us-east-1';

export type Out = Record<string, Record<string, unknown>>;

/** ELBv2's model, through its own service definition when the twin registers one, else a stand-in. */
function elbv2Model(twin: Twin, accountId: string): Elbv2Model {
  const def =
    services.find((s) => s.signingName === ELBV2_SIGNING_NAME) ??
    ({
      signingName: ELBV2_SIGNING_NAME,
      createModel: (t: Twin, a: string, r: string) => new Elbv2Model(t, a, r),
    } as unknown as ServiceDefinition<unknown>);
  return twin.model(def, accountId, REGION) as Elbv2Model;
}

export interface PrivateLinkLab {
  twin: Twin;
  clock: ManualClock;
  provider: LabBuilder;
  consumer: LabBuilder;
  stranger: LabBuilder;
  nlbArn: string;
  clientEniId: string;
  consumerVpcId: string;
  consumerSubnetId: string;
  endpointGroupId: string;
  /** A twin-side wait: moves the clock and runs what became due. */
  pass(ms: number): Promise<void>;
}

async function vpcWithHost(lab: LabBuilder, octet: number, admit: string) {
  const vpcId = (await lab.ec2<Out>('CreateVpc', { CidrBlock: `10.${octet}.0.0/16` })).Vpc!.VpcId as string;
  await lab.ec2('ModifyVpcAttribute', { VpcId: vpcId, EnableDnsHostnames: { Value: true } });
  const subnetId = (
    await lab.ec2<Out>('CreateSubnet', {
      VpcId: vpcId,
      CidrBlock: `10.${octet}.1.0/24`,
      AvailabilityZone: `${REGION}a`,
    })
  ).Subnet!.SubnetId as string;
  const groupId = (
    await lab.ec2<Out>('CreateSecurityGroup', { VpcId: vpcId, GroupName: 'host', Description: 'host' })
  ).GroupId as unknown as string;
  await lab.ec2('AuthorizeSecurityGroupIngress', {
    GroupId: groupId,
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: admit }] }],
  });
  const run = await lab.ec2<{ Instances: { NetworkInterfaces: { NetworkInterfaceId: string }[] }[] }>(
    'RunInstances',
    {
      ImageId: 'ami-0c02fb55956c7d316',
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetId,
      PrivateIpAddress: `10.${octet}.1.10`,
      SecurityGroupIds: [groupId],
    },
  );
  return { vpcId, subnetId, groupId, eniId: run.Instances[0]!.NetworkInterfaces[0]!.NetworkInterfaceId };
}

/** An internal NLB in the provider's subnet, TCP 443 → an ip target group holding 10.2.1.10:443, healthy from the start. */
function networkLoadBalancer(twin: Twin, vpcId: string, subnetId: string): string {
  const model = elbv2Model(twin, PROVIDER);
  const node = createServiceEni(twin.model(ec2, PROVIDER, REGION), {
    subnetId,
    type: 'network_load_balancer',
    description: 'ELB net/provider-nlb/0123456789abcdef',
    requesterId: 'amazon-elb',
    securityGroupIds: [],
  });
  const arn = model.arnOf('loadbalancer/net', 'provider-nlb/0123456789abcdef');
  const long = twin.clock.now() - 3_600_000;
  model.loadBalancers.set(arn, {
    arn,
    name: 'provider-nlb',
    id: '0123456789abcdef',
    type: 'network',
    scheme: 'internal',
    accountId: PROVIDER,
    region: REGION,
    vpcId,
    createdAt: long,
    activeAt: long,
    dnsName: 'provider-nlb-0123456789abcdef.elb.us-east-1.amazonaws.com',
    ipAddressType: 'ipv4',
    securityGroupIds: [],
    enforceInboundOnPrivateLink: false,
    zones: [
      {
        zoneName: `${REGION}a`,
        zoneId: 'use1-az1',
        subnetId,
        networkInterfaceId: node.id,
        privateIp: node.privateIp,
      },
    ],
    attributes: new Map(),
    tags: new Map(),
  });
  const groupArn = model.arnOf('targetgroup', 'provider-targets/fedcba9876543210');
  model.targetGroups.set(groupArn, {
    arn: groupArn,
    name: 'provider-targets',
    id: 'fedcba9876543210',
    accountId: PROVIDER,
    region: REGION,
    protocol: 'TCP',
    port: 443,
    vpcId,
    targetType: 'ip',
    healthCheck: {
      enabled: true,
      protocol: 'TCP',
      port: 'traffic-port',
      intervalSeconds: 30,
      timeoutSeconds: 10,
      healthyThreshold: 5,
      unhealthyThreshold: 2,
    },
    attributes: new Map(),
    targets: new Map([['10.2.1.10:443', { id: '10.2.1.10', port: 443, registeredAt: long }]]),
    tags: new Map(),
  });
  const listenerArn = model.arnOf('listener/net', 'provider-nlb/0123456789abcdef/0a0b0c0d0e0f0a0b');
  model.listeners.set(listenerArn, {
    arn: listenerArn,
    loadBalancerArn: arn,
    port: 443,
    protocol: 'TCP',
    targetGroupArn: groupArn,
    certificateArns: [],
    tags: new Map(),
  });
  return arn;
}

export async function privateLinkLab(): Promise<PrivateLinkLab> {
  const clock = new ManualClock();
  const twin = new Twin({ clock, accounts: [PROVIDER, CONSUMER, STRANGER] });
  const provider = builderFor(twin, PROVIDER, REGION);
  const consumer = builderFor(twin, CONSUMER, REGION);
  const stranger = builderFor(twin, STRANGER, REGION);
  // The target admits 443 from its own VPC: the NLB node's address is the source it sees.
  const target = await vpcWithHost(provider, 2, '10.2.0.0/16');
  const nlbArn = networkLoadBalancer(twin, target.vpcId, target.subnetId);
  const client = await vpcWithHost(consumer, 0, '10.0.0.0/16');
  const endpointGroupId = (
    await consumer.ec2<Out>('CreateSecurityGroup', {
      VpcId: client.vpcId,
      GroupName: 'endpoint',
      Description: 'endpoint',
    })
  ).GroupId as unknown as string;
  await consumer.ec2('AuthorizeSecurityGroupIngress', {
    GroupId: endpointGroupId,
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }],
  });
  await stranger.ec2('CreateVpc', { CidrBlock: '10.9.0.0/16' });
  return {
    twin,
    clock,
    provider,
    consumer,
    stranger,
    nlbArn,
    clientEniId: client.eniId,
    consumerVpcId: client.vpcId,
    consumerSubnetId: client.subnetId,
    endpointGroupId,
    async pass(ms) {
      clock.advance(ms);
      await twin.scheduler.runDue();
    },
  };
}
