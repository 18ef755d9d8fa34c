import { builderFor, type LabBuilder } from '../../../../lab/builder.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { delay } from '../../../../twin/state/profile.ts';
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

export interface PrivateLinkLab {
  twin: Twin;
  clock: ManualClock;
  provider: LabBuilder;
  consumer: LabBuilder;
  stranger: LabBuilder;
  nlbArn: string;
  providerNetwork: Awaited<ReturnType<typeof providerSide>>;
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

/**
 * An internal NLB in the provider's subnet, TCP 443 → an ip target group
 * holding 10.2.1.10:443, built through ELBv2's API; the clock is moved past
 * provisioning and the initial health checks, so the target is healthy.
 */
async function networkLoadBalancer(twin: Twin, clock: ManualClock, vpcId: string, subnetId: string) {
  const elb = <O>(operation: string, input: object) =>
    builderFor(twin, PROVIDER, REGION).call<O>('elasticloadbalancing', operation, input);
  const lb = await elb<{ LoadBalancers: { LoadBalancerArn: string }[] }>('CreateLoadBalancer', {
    Name: 'provider-nlb',
    Type: 'network',
    Scheme: 'internal',
    Subnets: [subnetId],
  });
  const arn = lb.LoadBalancers[0]!.LoadBalancerArn;
  const tg = await elb<{ TargetGroups: { TargetGroupArn: string }[] }>('CreateTargetGroup', {
    Name: 'provider-targets',
    Protocol: 'TCP',
    Port: 443,
    VpcId: vpcId,
    TargetType: 'ip',
  });
  const groupArn = tg.TargetGroups[0]!.TargetGroupArn;
  await elb('RegisterTargets', { TargetGroupArn: groupArn, Targets: [{ Id: '10.2.1.10', Port: 443 }] });
  await elb('CreateListener', {
    LoadBalancerArn: arn,
    Protocol: 'TCP',
    Port: 443,
    DefaultActions: [{ Type: 'forward', TargetGroupArn: groupArn }],
  });
  // Provisioning, then HealthyThresholdCount (5) × interval (30 s) of health checks.
  clock.advance(delay(twin.profile, 'elbv2ProvisioningMs') + 5 * 30 * delay(twin.profile, 'elbv2SecondMs'));
  return { arn, groupArn };
}

/** The provider's side in PROVIDER's account, through the public API: its VPC, the target and the NLB in front of it. */
export async function providerSide(
  twin: Twin,
  clock: ManualClock,
): Promise<{ nlbArn: string; targetGroupArn: string; vpcId: string; subnetId: string; hostGroupId: string }> {
  // The target admits 443 from its own VPC: the NLB node's address is the source it sees.
  const target = await vpcWithHost(builderFor(twin, PROVIDER, REGION), 2, '10.2.0.0/16');
  const nlb = await networkLoadBalancer(twin, clock, target.vpcId, target.subnetId);
  return {
    nlbArn: nlb.arn,
    targetGroupArn: nlb.groupArn,
    vpcId: target.vpcId,
    subnetId: target.subnetId,
    hostGroupId: target.groupId,
  };
}

export async function privateLinkLab(): Promise<PrivateLinkLab> {
  const clock = new ManualClock();
  const twin = new Twin({ clock, accounts: [PROVIDER, CONSUMER, STRANGER] });
  const provider = builderFor(twin, PROVIDER, REGION);
  const consumer = builderFor(twin, CONSUMER, REGION);
  const stranger = builderFor(twin, STRANGER, REGION);
  const providerNetwork = await providerSide(twin, clock);
  const { nlbArn } = providerNetwork;
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
    providerNetwork,
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
