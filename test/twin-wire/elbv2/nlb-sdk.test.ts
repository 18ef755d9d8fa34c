import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  RegisterTargetsCommand,
  SetSubnetsCommand,
  waitUntilLoadBalancerAvailable,
  waitUntilTargetInService,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * A Network Load Balancer through the unchanged
 * @aws-sdk/client-elastic-load-balancing-v2: what Terraform and the suite
 * call, the answers' shapes, ELB's errors by name, and target health that
 * follows the target's security group.
 */
let twin: TestTwin;
let elb: ElasticLoadBalancingV2Client;
let ec2: EC2Client;
const clock = new ManualClock(Date.UTC(2026, 0, 1));
const AMI = 'ami-0abcdef1234567890';
let vpcId: string;
let subnetA: string;
let subnetB: string;
let groupId: string;
let instanceId: string;
let lbArn: string;
let tgArn: string;

const seconds = (n: number) => clock.advance(n * delay(twin.server.twin.profile, 'elbv2SecondMs'));

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  elb = new ElasticLoadBalancingV2Client(twin.clientConfig());
  ec2 = new EC2Client(twin.clientConfig());
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.70.0.0/16' }));
  vpcId = Vpc!.VpcId!;
  const a = await ec2.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.70.1.0/24', AvailabilityZone: 'us-east-1a' }),
  );
  const b = await ec2.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.70.2.0/24', AvailabilityZone: 'us-east-1b' }),
  );
  subnetA = a.Subnet!.SubnetId!;
  subnetB = b.Subnet!.SubnetId!;
  const sg = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: 'service', Description: 'service', VpcId: vpcId }),
  );
  groupId = sg.GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.70.0.0/16' }] },
      ],
    }),
  );
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: AMI,
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetA,
      SecurityGroupIds: [groupId],
    }),
  );
  instanceId = run.Instances![0]!.InstanceId!;
});
afterAll(() => twin.close());

describe('CreateLoadBalancer (network, internal)', () => {
  test('is provisioning, then active; its nodes are requester-managed ENIs in each subnet', async () => {
    const { LoadBalancers } = await elb.send(
      new CreateLoadBalancerCommand({
        Name: 'zero-trust-nlb',
        Type: 'network',
        Scheme: 'internal',
        Subnets: [subnetA, subnetB],
        Tags: [{ Key: 'Name', Value: 'zero-trust-nlb' }],
      }),
    );
    const lb = LoadBalancers![0]!;
    lbArn = lb.LoadBalancerArn!;
    expect(lbArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:\d{12}:loadbalancer\/net\/zero-trust-nlb\/[0-9a-f]{16}$/,
    );
    expect(lb).toMatchObject({
      Type: 'network',
      Scheme: 'internal',
      VpcId: vpcId,
      State: { Code: 'provisioning' },
      CanonicalHostedZoneId: 'Z26RNL4JYFTOTI',
    });
    expect(lb.DNSName).toMatch(/^zero-trust-nlb-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
    expect(lb.AvailabilityZones!.map((z) => [z.ZoneName, z.SubnetId])).toEqual([
      ['us-east-1a', subnetA],
      ['us-east-1b', subnetB],
    ]);

    const id = lbArn.split('/').slice(-2).join('/');
    const { NetworkInterfaces } = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'description', Values: [`ELB net/${id}`] }] }),
    );
    expect(NetworkInterfaces!.map((n) => n.SubnetId).sort()).toEqual([subnetA, subnetB].sort());
    expect(NetworkInterfaces![0]).toMatchObject({
      InterfaceType: 'network_load_balancer',
      RequesterManaged: true,
      Status: 'in-use',
    });

    clock.advance(delay(twin.server.twin.profile, 'elbv2ProvisioningMs'));
    const waited = await waitUntilLoadBalancerAvailable(
      { client: elb, maxWaitTime: 5, minDelay: 1 },
      { LoadBalancerArns: [lbArn] },
    );
    expect(waited.state).toBe('SUCCESS');
  });

  test('the same name with other settings is DuplicateLoadBalancerName; an unknown name LoadBalancerNotFound', async () => {
    await expect(
      elb.send(
        new CreateLoadBalancerCommand({
          Name: 'zero-trust-nlb',
          Type: 'network',
          Scheme: 'internal',
          Subnets: [subnetA],
        }),
      ),
    ).rejects.toMatchObject({ name: 'DuplicateLoadBalancerNameException' });
    await expect(
      elb.send(new DescribeLoadBalancersCommand({ Names: ['no-such-nlb'] })),
    ).rejects.toMatchObject({
      name: 'LoadBalancerNotFoundException',
      message: 'One or more load balancers not found',
    });
  });

  test('two subnets in one zone are refused', async () => {
    const c = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.70.3.0/24', AvailabilityZone: 'us-east-1a' }),
    );
    await expect(
      elb.send(
        new CreateLoadBalancerCommand({
          Name: 'two-in-a',
          Type: 'network',
          Scheme: 'internal',
          Subnets: [subnetA, c.Subnet!.SubnetId!],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidConfigurationRequestException' });
  });

  test('cross-zone load balancing is off by default and can be turned on', async () => {
    const before = await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn }));
    expect(before.Attributes).toContainEqual({ Key: 'load_balancing.cross_zone.enabled', Value: 'false' });
    const after = await elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: lbArn,
        Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }],
      }),
    );
    expect(after.Attributes).toContainEqual({ Key: 'load_balancing.cross_zone.enabled', Value: 'true' });
  });

  test('SetSubnets adds a zone with a node of its own; leaving out a subnet enabled before is refused', async () => {
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.70.9.0/24', AvailabilityZone: 'us-east-1d' }),
    );
    const subnetC = Subnet!.SubnetId!;
    const { LoadBalancers } = await elb.send(
      new CreateLoadBalancerCommand({
        Name: 'zones-nlb',
        Type: 'network',
        Scheme: 'internal',
        Subnets: [subnetA],
      }),
    );
    const arn = LoadBalancers![0]!.LoadBalancerArn!;
    const added = await elb.send(
      new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: [subnetA, subnetC] }),
    );
    expect(added.AvailabilityZones!.map((z) => [z.ZoneName, z.SubnetId])).toEqual([
      ['us-east-1a', subnetA],
      ['us-east-1d', subnetC],
    ]);
    const nodes = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [subnetC] }] }),
    );
    expect(nodes.NetworkInterfaces!.map((n) => n.Description)).toEqual([
      expect.stringMatching(/^ELB net\/zones-nlb\//),
    ]);
    await expect(
      elb.send(new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: [subnetC] })),
    ).rejects.toMatchObject({
      name: 'InvalidConfigurationRequestException',
    });
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
  });
});

describe('target group, listener and target health', () => {
  test('CreateTargetGroup applies the TCP health-check defaults', async () => {
    const { TargetGroups } = await elb.send(
      new CreateTargetGroupCommand({
        Name: 'zero-trust-tg',
        Protocol: 'TCP',
        Port: 443,
        VpcId: vpcId,
        TargetType: 'instance',
      }),
    );
    const tg = TargetGroups![0]!;
    tgArn = tg.TargetGroupArn!;
    expect(tg).toMatchObject({
      Protocol: 'TCP',
      Port: 443,
      TargetType: 'instance',
      HealthCheckProtocol: 'TCP',
      HealthCheckPort: 'traffic-port',
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 10,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      LoadBalancerArns: [],
    });
  });

  test('a registered target of a group no listener uses is unused (Target.NotInUse)', async () => {
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instanceId }] }));
    const { TargetHealthDescriptions } = await elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }),
    );
    expect(TargetHealthDescriptions).toEqual([
      {
        Target: { Id: instanceId, Port: 443 },
        HealthCheckPort: '443',
        TargetHealth: {
          State: 'unused',
          Reason: 'Target.NotInUse',
          Description: 'Target group is not configured to receive traffic from the load balancer',
        },
      },
    ]);
  });

  test('CreateListener forwards TCP 443; a second one on the port is DuplicateListener', async () => {
    const { Listeners } = await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: 'TCP',
        Port: 443,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
      }),
    );
    expect(Listeners![0]).toMatchObject({
      Port: 443,
      Protocol: 'TCP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
    });
    await expect(
      elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lbArn,
          Protocol: 'TCP',
          Port: 443,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: (await otherGroup()).TargetGroupArn! }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'DuplicateListenerException' });
    const listed = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    expect(listed.Listeners!.map((l) => l.Port)).toEqual([443]);
    const groups = await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }));
    expect(groups.TargetGroups!.map((g) => g.TargetGroupArn)).toEqual([tgArn]);
  });

  test('ModifyListener moves the port; DescribeTargetGroups finds by name; a lambda target group is not served', async () => {
    const { Listeners } = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    const arn = Listeners![0]!.ListenerArn!;
    const moved = await elb.send(new ModifyListenerCommand({ ListenerArn: arn, Port: 8443 }));
    expect(moved.Listeners![0]).toMatchObject({ Port: 8443, Protocol: 'TCP' });
    await elb.send(new ModifyListenerCommand({ ListenerArn: arn, Port: 443 }));
    const byName = await elb.send(new DescribeTargetGroupsCommand({ Names: ['zero-trust-tg'] }));
    expect(byName.TargetGroups!.map((g) => [g.TargetGroupArn, g.LoadBalancerArns])).toEqual([
      [tgArn, [lbArn]],
    ]);
    await expect(elb.send(new DescribeTargetGroupsCommand({ Names: ['nope'] }))).rejects.toMatchObject({
      name: 'TargetGroupNotFoundException',
    });
    await expect(
      elb.send(new CreateTargetGroupCommand({ Name: 'fn', TargetType: 'lambda' })),
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('twin') });
  });

  test('the target is initial until the healthy threshold has passed, then healthy; the waiter sees it', async () => {
    const first = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    expect(first.TargetHealthDescriptions![0]!.TargetHealth).toMatchObject({
      State: 'initial',
      Reason: 'Elb.InitialHealthChecking',
    });
    seconds(5 * 30);
    const waited = await waitUntilTargetInService(
      { client: elb, maxWaitTime: 5, minDelay: 1 },
      { TargetGroupArn: tgArn, Targets: [{ Id: instanceId }] },
    );
    expect(waited.state).toBe('SUCCESS');
  });

  test('the target security group no longer admitting the nodes makes it unhealthy (Target.FailedHealthChecks)', async () => {
    const rule = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.70.0.0/16' }] };
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [rule] }));
    const { TargetHealthDescriptions } = await elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }),
    );
    expect(TargetHealthDescriptions![0]!.TargetHealth).toEqual({
      State: 'unhealthy',
      Reason: 'Target.FailedHealthChecks',
      Description: 'Health checks failed',
    });
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [rule] }));
  });

  test('RegisterTargets refuses an instance that is not running', async () => {
    const run = await ec2.send(
      new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, SubnetId: subnetB }),
    );
    const stopped = run.Instances![0]!.InstanceId!;
    await ec2.send(new StopInstancesCommand({ InstanceIds: [stopped] }));
    await expect(
      elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: stopped }] })),
    ).rejects.toMatchObject({ name: 'InvalidTargetException' });
  });

  test('a group in use cannot be deleted (ResourceInUse); tags read back', async () => {
    await expect(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }))).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
    await elb.send(new AddTagsCommand({ ResourceArns: [tgArn], Tags: [{ Key: 'team', Value: 'platform' }] }));
    const { TagDescriptions } = await elb.send(new DescribeTagsCommand({ ResourceArns: [lbArn, tgArn] }));
    expect(TagDescriptions).toEqual([
      { ResourceArn: lbArn, Tags: [{ Key: 'Name', Value: 'zero-trust-nlb' }] },
      { ResourceArn: tgArn, Tags: [{ Key: 'team', Value: 'platform' }] },
    ]);
  });

  test('a deregistered target drains for the deregistration delay, then is gone', async () => {
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instanceId }] }));
    const draining = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    expect(draining.TargetHealthDescriptions![0]!.TargetHealth).toMatchObject({
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress',
    });
    seconds(300);
    const gone = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    expect(gone.TargetHealthDescriptions).toEqual([]);
  });

  test('DeleteLoadBalancer takes its listeners and releases its nodes', async () => {
    const { Listeners } = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    await elb.send(new DeleteListenerCommand({ ListenerArn: Listeners![0]!.ListenerArn! }));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lbArn }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
    const id = lbArn.split('/').slice(-2).join('/');
    const { NetworkInterfaces } = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'description', Values: [`ELB net/${id}`] }] }),
    );
    expect(NetworkInterfaces).toEqual([]);
    await expect(
      elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] })),
    ).rejects.toMatchObject({
      name: 'LoadBalancerNotFoundException',
    });
  });
});

describe('authorization (elasticloadbalancing:*)', () => {
  test('a caller allowed Describe* and one name pattern can read, create only that, and not tag on create', async () => {
    const iam = new IAMClient(twin.clientConfig());
    const account = (twin.server.twin.accounts[0] as string) ?? '';
    await iam.send(new CreateUserCommand({ UserName: 'nlb-operator' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'nlb-operator',
        PolicyName: 'nlb',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'elasticloadbalancing:Describe*', Resource: '*' },
            {
              Effect: 'Allow',
              Action: 'elasticloadbalancing:CreateLoadBalancer',
              Resource: `arn:aws:elasticloadbalancing:us-east-1:${account}:loadbalancer/net/team-*`,
            },
          ],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'nlb-operator' }));
    const operator = new ElasticLoadBalancingV2Client({
      ...twin.clientConfig(),
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    await operator.send(new DescribeLoadBalancersCommand({}));
    const create = (Name: string, Tags?: { Key: string; Value: string }[]) =>
      operator.send(
        new CreateLoadBalancerCommand({
          Name,
          Type: 'network',
          Scheme: 'internal',
          Subnets: [subnetA],
          ...(Tags && { Tags }),
        }),
      );
    const denied = await create('other-nlb').catch((e: unknown) => e);
    expect(denied).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect((denied as Error).message).toMatch(
      /^User: arn:aws:iam::\d{12}:user\/nlb-operator is not authorized to perform: elasticloadbalancing:CreateLoadBalancer on resource: arn:aws:elasticloadbalancing:us-east-1:\d{12}:loadbalancer\/net\/other-nlb\/[0-9a-f]{16}/,
    );
    await expect(create('team-nlb', [{ Key: 'Name', Value: 'team-nlb' }])).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('elasticloadbalancing:AddTags'),
    });
    const made = await create('team-nlb');
    expect(made.LoadBalancers![0]!.LoadBalancerName).toBe('team-nlb');
  });
});

async function otherGroup() {
  const { TargetGroups } = await elb.send(
    new CreateTargetGroupCommand({
      Name: 'other-tg',
      Protocol: 'TCP',
      Port: 443,
      VpcId: vpcId,
      TargetType: 'ip',
    }),
  );
  return TargetGroups![0]!;
}
