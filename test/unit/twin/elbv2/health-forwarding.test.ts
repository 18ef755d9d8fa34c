import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { builderFor, type LabBuilder } from '../../../../lab/builder.ts';
import {
  connectToNode,
  findNetworkLoadBalancer,
  forwardThroughLoadBalancer,
} from '../../../../twin/network/load-balancing.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { delay } from '../../../../twin/state/profile.ts';
import { Twin } from '../../../../twin/twin.ts';

/**
 * Target health and forwarding of a Network Load Balancer built only
 * through the public API: two zones, an instance target in each behind a
 * security group of its own admitting TCP 443 from the VPC. Health comes
 * from the path between each node and the target
 * (docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html),
 * and a connection at a node follows listener → group → a healthy target
 * in the node's zone, failing open when none is healthy.
 */
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
type Out = Record<string, Record<string, unknown>[] & Record<string, unknown>>;

let twin: Twin;
let clock: ManualClock;
let lab: LabBuilder;
let vpcId: string;
const subnets: Record<'a' | 'b', string> = { a: '', b: '' };
const groups: Record<'a' | 'b', string> = { a: '', b: '' };
const instances: Record<'a' | 'b', string> = { a: '', b: '' };
let lbArn: string;
let tgArn: string;

const elb = <O = Out>(operation: string, input: object) =>
  lab.call<O>('elasticloadbalancing', operation, input);
const seconds = (n: number) => clock.advance(n * delay(twin.profile, 'elbv2SecondMs'));
const rule443 = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.80.0.0/16' }] };

async function health(): Promise<Record<string, { State: string; Reason?: string }>> {
  const out = await elb<{
    TargetHealthDescriptions: { Target: { Id: string }; TargetHealth: { State: string; Reason?: string } }[];
  }>('DescribeTargetHealth', { TargetGroupArn: tgArn });
  return Object.fromEntries(out.TargetHealthDescriptions.map((d) => [d.Target.Id, d.TargetHealth]));
}

async function network(): Promise<void> {
  vpcId = ((await lab.ec2<Out>('CreateVpc', { CidrBlock: '10.80.0.0/16' })).Vpc as Record<string, string>)
    .VpcId!;
  for (const [zone, octet] of [
    ['a', 1],
    ['b', 2],
  ] as const) {
    const subnet = await lab.ec2<Out>('CreateSubnet', {
      VpcId: vpcId,
      CidrBlock: `10.80.${octet}.0/24`,
      AvailabilityZone: `${REGION}${zone}`,
    });
    subnets[zone] = (subnet.Subnet as Record<string, string>).SubnetId!;
    const sg = await lab.ec2<{ GroupId: string }>('CreateSecurityGroup', {
      GroupName: `svc-${zone}`,
      Description: 'service',
      VpcId: vpcId,
    });
    groups[zone] = sg.GroupId;
    await lab.ec2('AuthorizeSecurityGroupIngress', { GroupId: sg.GroupId, IpPermissions: [rule443] });
    const run = await lab.ec2<{ Instances: { InstanceId: string }[] }>('RunInstances', {
      ImageId: 'ami-0c02fb55956c7d316',
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnets[zone],
      PrivateIpAddress: `10.80.${octet}.10`,
      SecurityGroupIds: [sg.GroupId],
    });
    instances[zone] = run.Instances[0]!.InstanceId;
  }
}

/** An internal NLB in both subnets, TCP 443 → a target group of both instances, settled. */
async function loadBalancer(
  extra: {
    SecurityGroups?: string[];
    HealthCheckPort?: string;
    TargetType?: 'ip';
    Targets?: { Id: string; AvailabilityZone?: string }[];
  } = {},
): Promise<void> {
  const lb = await elb<{ LoadBalancers: { LoadBalancerArn: string }[] }>('CreateLoadBalancer', {
    Name: 'svc-nlb',
    Type: 'network',
    Scheme: 'internal',
    Subnets: [subnets.a, subnets.b],
    ...(extra.SecurityGroups && { SecurityGroups: extra.SecurityGroups }),
  });
  lbArn = lb.LoadBalancers[0]!.LoadBalancerArn;
  const tg = await elb<{ TargetGroups: { TargetGroupArn: string }[] }>('CreateTargetGroup', {
    Name: 'svc-tg',
    Protocol: 'TCP',
    Port: 443,
    VpcId: vpcId,
    TargetType: extra.TargetType ?? 'instance',
    ...(extra.HealthCheckPort && { HealthCheckPort: extra.HealthCheckPort }),
  });
  tgArn = tg.TargetGroups[0]!.TargetGroupArn;
  await elb('RegisterTargets', {
    TargetGroupArn: tgArn,
    Targets: extra.Targets ?? [{ Id: instances.a }, { Id: instances.b }],
  });
  await elb('CreateListener', {
    LoadBalancerArn: lbArn,
    Protocol: 'TCP',
    Port: 443,
    DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
  });
  clock.advance(delay(twin.profile, 'elbv2ProvisioningMs'));
  seconds(5 * 30);
}

const forward = (
  zoneName: string,
  more: { clientIp?: string; viaPrivateLink?: boolean; port?: number } = {},
) =>
  forwardThroughLoadBalancer(twin, {
    loadBalancerArn: lbArn,
    port: more.port ?? 443,
    zoneName,
    viaPrivateLink: more.viaPrivateLink ?? true,
    ...(more.clientIp && { clientIp: more.clientIp }),
  });

beforeEach(async () => {
  clock = new ManualClock();
  twin = new Twin({ clock, seed: 'elbv2-health' });
  lab = builderFor(twin, ACCOUNT, REGION);
  await network();
});
afterEach(() => twin.dispose());

describe('target health from reachability', () => {
  beforeEach(() => loadBalancer());

  test('targets the nodes reach on 443 are healthy; each node forwards to its own zone', async () => {
    expect(await health()).toEqual({
      [instances.a]: { State: 'healthy' },
      [instances.b]: { State: 'healthy' },
    });
    expect(forward('us-east-1a')).toEqual({ answered: true, target: { id: instances.a, port: 443 } });
    expect(forward('us-east-1b')).toEqual({ answered: true, target: { id: instances.b, port: 443 } });
  });

  test('a target whose security group stops admitting the nodes is unhealthy (Target.FailedHealthChecks)', async () => {
    await lab.ec2('RevokeSecurityGroupIngress', { GroupId: groups.a, IpPermissions: [rule443] });
    const now = await health();
    expect(now[instances.a]).toMatchObject({ State: 'unhealthy', Reason: 'Target.FailedHealthChecks' });
    expect(now[instances.b]).toEqual({ State: 'healthy' });
  });

  test('with cross-zone load balancing off a node whose zone has no healthy target forwards nothing; on, it crosses', async () => {
    await lab.ec2('RevokeSecurityGroupIngress', { GroupId: groups.a, IpPermissions: [rule443] });
    const off = forward('us-east-1a');
    expect(off.answered).toBe(false);
    expect(off.because).toMatch(/no healthy target in its zone/);
    await elb('ModifyLoadBalancerAttributes', {
      LoadBalancerArn: lbArn,
      Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }],
    });
    expect(forward('us-east-1a')).toEqual({ answered: true, target: { id: instances.b, port: 443 } });
  });

  test('a stopped instance target is unused (Target.InvalidState) and gets nothing', async () => {
    await lab.ec2('StopInstances', { InstanceIds: [instances.a] });
    expect((await health())[instances.a]).toMatchObject({ State: 'unused', Reason: 'Target.InvalidState' });
    expect(forward('us-east-1a').answered).toBe(false);
  });

  test('a deregistered target drains (no new connections), then is gone after the deregistration delay', async () => {
    await elb('ModifyLoadBalancerAttributes', {
      LoadBalancerArn: lbArn,
      Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }],
    });
    await elb('DeregisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: instances.a }] });
    expect((await health())[instances.a]).toMatchObject({
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress',
    });
    expect(forward('us-east-1a')).toEqual({ answered: true, target: { id: instances.b, port: 443 } });
    seconds(299);
    expect(Object.keys(await health())).toContain(instances.a);
    seconds(1);
    expect(Object.keys(await health())).toEqual([instances.b]);
  });

  test('no listener on the port: not answered, and the reason says so', () => {
    expect(forward('us-east-1a', { port: 80 })).toEqual({
      answered: false,
      because: 'svc-nlb has no listener on port 80',
    });
  });

  test('findNetworkLoadBalancer shows the nodes, one per zone, with their addresses', () => {
    const lb = findNetworkLoadBalancer(twin, lbArn)!;
    expect(lb).toMatchObject({
      name: 'svc-nlb',
      type: 'network',
      scheme: 'internal',
      state: 'active',
      vpcId,
    });
    expect(lb.zones.map((z) => [z.zoneName, z.subnetId])).toEqual([
      ['us-east-1a', subnets.a],
      ['us-east-1b', subnets.b],
    ]);
    for (const z of lb.zones) expect(z.privateIp).toMatch(/^10\.80\.[12]\.\d+$/);
  });
});

describe('before health is known', () => {
  test('targets are initial while the NLB provisions and until the healthy threshold passes; nothing is forwarded', async () => {
    const lb = await elb<{ LoadBalancers: { LoadBalancerArn: string }[] }>('CreateLoadBalancer', {
      Name: 'young',
      Type: 'network',
      Scheme: 'internal',
      Subnets: [subnets.a],
    });
    lbArn = lb.LoadBalancers[0]!.LoadBalancerArn;
    const tg = await elb<{ TargetGroups: { TargetGroupArn: string }[] }>('CreateTargetGroup', {
      Name: 'young-tg',
      Protocol: 'TCP',
      Port: 443,
      VpcId: vpcId,
    });
    tgArn = tg.TargetGroups[0]!.TargetGroupArn;
    await elb('RegisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: instances.a }] });
    await elb('CreateListener', {
      LoadBalancerArn: lbArn,
      Protocol: 'TCP',
      Port: 443,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
    });
    expect((await health())[instances.a]).toMatchObject({
      State: 'initial',
      Reason: 'Elb.RegistrationInProgress',
    });
    expect(forward('us-east-1a').because).toMatch(/still provisioning/);
    clock.advance(delay(twin.profile, 'elbv2ProvisioningMs'));
    expect((await health())[instances.a]).toMatchObject({
      State: 'initial',
      Reason: 'Elb.InitialHealthChecking',
    });
    expect(forward('us-east-1a').answered).toBe(false);
    seconds(5 * 30);
    expect((await health())[instances.a]).toEqual({ State: 'healthy' });
  });
});

describe('fail-open', () => {
  test('when every target fails its health checks the NLB still forwards to them, where the path is open', async () => {
    // Health checks go to 8443, which no group admits; traffic on 443 is admitted.
    await loadBalancer({ HealthCheckPort: '8443' });
    const now = await health();
    expect(Object.values(now).map((h) => h.State)).toEqual(['unhealthy', 'unhealthy']);
    const result = forward('us-east-1a');
    expect(result.answered).toBe(true);
  });

  test('failing open does not open a path the security groups close', async () => {
    await loadBalancer();
    for (const zone of ['a', 'b'] as const)
      await lab.ec2('RevokeSecurityGroupIngress', { GroupId: groups[zone], IpPermissions: [rule443] });
    const result = forward('us-east-1a');
    expect(result.answered).toBe(false);
    expect(result.because).toMatch(/no ingress rule allowing/);
  });
});

describe("the load balancer's own security groups", () => {
  let nlbGroup: string;
  beforeEach(async () => {
    const sg = await lab.ec2<{ GroupId: string }>('CreateSecurityGroup', {
      GroupName: 'nlb',
      Description: 'nlb',
      VpcId: vpcId,
    });
    nlbGroup = sg.GroupId;
    await lab.ec2('AuthorizeSecurityGroupIngress', {
      GroupId: nlbGroup,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] },
      ],
    });
    await loadBalancer({ SecurityGroups: [nlbGroup] });
  });

  test('inbound rules apply to PrivateLink traffic while enforcement is on (the default)', async () => {
    expect(forward('us-east-1a', { clientIp: '10.0.5.5' }).answered).toBe(true);
    const refused = forward('us-east-1a', { clientIp: '10.1.5.5' });
    expect(refused.answered).toBe(false);
    expect(refused.because).toMatch(new RegExp(`${nlbGroup}.*no ingress rule`));
  });

  test('with EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic off, PrivateLink traffic skips them; other traffic does not', async () => {
    await elb('SetSecurityGroups', {
      LoadBalancerArn: lbArn,
      SecurityGroups: [nlbGroup],
      EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'off',
    });
    expect(forward('us-east-1a', { clientIp: '10.1.5.5' }).answered).toBe(true);
    expect(forward('us-east-1a', { clientIp: '10.1.5.5', viaPrivateLink: false }).answered).toBe(false);
  });
});

describe('ip targets', () => {
  test("an instance's address is healthy; an address nothing holds is unhealthy (nothing answers)", async () => {
    await loadBalancer({ TargetType: 'ip', Targets: [{ Id: '10.80.1.10' }, { Id: '10.80.2.99' }] });
    const now = await health();
    expect(now['10.80.1.10']).toEqual({ State: 'healthy' });
    expect(now['10.80.2.99']).toMatchObject({ State: 'unhealthy', Reason: 'Target.FailedHealthChecks' });
  });

  test('RegisterTargets refuses a public address, and one outside the VPC without AvailabilityZone all', async () => {
    await loadBalancer({ TargetType: 'ip', Targets: [{ Id: '10.80.1.10' }] });
    await expect(
      elb('RegisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: '8.8.8.8' }] }),
    ).rejects.toMatchObject({
      code: 'InvalidTargetException',
    });
    await expect(
      elb('RegisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: '192.168.5.5' }] }),
    ).rejects.toMatchObject({ code: 'ValidationError' });
    await elb('RegisterTargets', {
      TargetGroupArn: tgArn,
      Targets: [{ Id: '192.168.5.5', AvailabilityZone: 'all' }],
    });
    seconds(5 * 30);
    // No route from the VPC to 192.168.0.0/16: the checks die on the way.
    expect((await health())['192.168.5.5']).toMatchObject({ State: 'unhealthy' });
  });
});

describe("targets admitting the load balancer's security group", () => {
  test('a target group rule referencing the NLB group admits its health checks and forwarded traffic', async () => {
    const sg = await lab.ec2<{ GroupId: string }>('CreateSecurityGroup', {
      GroupName: 'nlb',
      Description: 'nlb',
      VpcId: vpcId,
    });
    await lab.ec2('AuthorizeSecurityGroupIngress', {
      GroupId: sg.GroupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      ],
    });
    for (const zone of ['a', 'b'] as const) {
      await lab.ec2('RevokeSecurityGroupIngress', { GroupId: groups[zone], IpPermissions: [rule443] });
      await lab.ec2('AuthorizeSecurityGroupIngress', {
        GroupId: groups[zone],
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: sg.GroupId }] },
        ],
      });
    }
    await loadBalancer({ SecurityGroups: [sg.GroupId] });
    expect(Object.values(await health()).map((h) => h.State)).toEqual(['healthy', 'healthy']);
    expect(forward('us-east-1b', { clientIp: '10.1.2.3' })).toEqual({
      answered: true,
      target: { id: instances.b, port: 443 },
    });
  });

  test("the NLB group's outbound rules judge its health checks", async () => {
    const sg = await lab.ec2<{ GroupId: string }>('CreateSecurityGroup', {
      GroupName: 'nlb-closed',
      Description: 'nlb',
      VpcId: vpcId,
    });
    await lab.ec2('RevokeSecurityGroupEgress', {
      GroupId: sg.GroupId,
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
    await loadBalancer({ SecurityGroups: [sg.GroupId] });
    expect(Object.values(await health()).map((h) => h.State)).toEqual(['unhealthy', 'unhealthy']);
  });
});

describe('unused targets', () => {
  test('a target in a zone the NLB does not enable is unused (Target.NotInUse); one asked for but not registered, Target.NotRegistered', async () => {
    const lb = await elb<{ LoadBalancers: { LoadBalancerArn: string }[] }>('CreateLoadBalancer', {
      Name: 'one-zone',
      Type: 'network',
      Scheme: 'internal',
      Subnets: [subnets.a],
    });
    lbArn = lb.LoadBalancers[0]!.LoadBalancerArn;
    const tg = await elb<{ TargetGroups: { TargetGroupArn: string }[] }>('CreateTargetGroup', {
      Name: 'one-zone-tg',
      Protocol: 'TCP',
      Port: 443,
      VpcId: vpcId,
    });
    tgArn = tg.TargetGroups[0]!.TargetGroupArn;
    await elb('RegisterTargets', { TargetGroupArn: tgArn, Targets: [{ Id: instances.b }] });
    await elb('CreateListener', {
      LoadBalancerArn: lbArn,
      Protocol: 'TCP',
      Port: 443,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
    });
    clock.advance(delay(twin.profile, 'elbv2ProvisioningMs'));
    seconds(5 * 30);
    expect((await health())[instances.b]).toMatchObject({ State: 'unused', Reason: 'Target.NotInUse' });
    expect(forward('us-east-1a').answered).toBe(false);
    const asked = await elb<{ TargetHealthDescriptions: { TargetHealth: unknown }[] }>(
      'DescribeTargetHealth',
      {
        TargetGroupArn: tgArn,
        Targets: [{ Id: instances.a }],
      },
    );
    expect(asked.TargetHealthDescriptions[0]!.TargetHealth).toEqual({
      State: 'unused',
      Reason: 'Target.NotRegistered',
      Description: 'Target is not registered to the target group',
    });
  });
});

describe('an ip target in a peered VPC (AvailabilityZone all)', () => {
  test('is checked across the peering, and every zone’s node forwards to it with cross-zone off', async () => {
    const peerVpc = (
      (await lab.ec2<Out>('CreateVpc', { CidrBlock: '10.81.0.0/16' })).Vpc as Record<string, string>
    ).VpcId!;
    const subnet = await lab.ec2<Out>('CreateSubnet', {
      VpcId: peerVpc,
      CidrBlock: '10.81.1.0/24',
      AvailabilityZone: `${REGION}a`,
    });
    const sg = await lab.ec2<{ GroupId: string }>('CreateSecurityGroup', {
      GroupName: 'remote',
      Description: 'remote',
      VpcId: peerVpc,
    });
    await lab.ec2('AuthorizeSecurityGroupIngress', { GroupId: sg.GroupId, IpPermissions: [rule443] });
    await lab.ec2('RunInstances', {
      ImageId: 'ami-0c02fb55956c7d316',
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: (subnet.Subnet as Record<string, string>).SubnetId,
      PrivateIpAddress: '10.81.1.10',
      SecurityGroupIds: [sg.GroupId],
    });
    const pcx = await lab.ec2<{ VpcPeeringConnection: { VpcPeeringConnectionId: string } }>(
      'CreateVpcPeeringConnection',
      { VpcId: vpcId, PeerVpcId: peerVpc },
    );
    const id = pcx.VpcPeeringConnection.VpcPeeringConnectionId;
    await lab.ec2('AcceptVpcPeeringConnection', { VpcPeeringConnectionId: id });
    for (const [vpc, cidr] of [
      [vpcId, '10.81.0.0/16'],
      [peerVpc, '10.80.0.0/16'],
    ] as const) {
      const tables = await lab.ec2<{ RouteTables: { RouteTableId: string }[] }>('DescribeRouteTables', {
        Filters: [{ Name: 'vpc-id', Values: [vpc] }],
      });
      for (const t of tables.RouteTables)
        await lab.ec2('CreateRoute', {
          RouteTableId: t.RouteTableId,
          DestinationCidrBlock: cidr,
          VpcPeeringConnectionId: id,
        });
    }
    await loadBalancer({ TargetType: 'ip', Targets: [{ Id: '10.81.1.10', AvailabilityZone: 'all' }] });
    expect((await health())['10.81.1.10']).toEqual({ State: 'healthy' });
    expect(forward('us-east-1b')).toEqual({ answered: true, target: { id: '10.81.1.10', port: 443 } });
  });
});

describe('a client connecting to a node directly', () => {
  test('is forwarded like PrivateLink traffic, its own address judged by the target group when the client IP is preserved', async () => {
    await loadBalancer();
    const node = findNetworkLoadBalancer(twin, lbArn)!.zones[0]!;
    // Instance targets preserve the client's address: the target's group (10.80.0.0/16 only) judges it.
    expect(
      connectToNode(twin, { networkInterfaceId: node.networkInterfaceId, port: 443, clientIp: '10.80.1.99' }),
    ).toEqual({
      answered: true,
      target: { id: instances.a, port: 443 },
    });
    const outside = connectToNode(twin, {
      networkInterfaceId: node.networkInterfaceId,
      port: 443,
      clientIp: '10.9.9.9',
    });
    expect(outside.answered).toBe(false);
    expect(outside.because).toMatch(/client IP preservation: .*no ingress rule/);
  });
});
