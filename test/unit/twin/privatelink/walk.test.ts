import { beforeEach, describe, expect, test } from 'vitest';
import { resolveName } from '../../../../twin/network/dns.ts';
import { probePath } from '../../../../twin/network/reachability.ts';
import { CONSUMER, type Out, PROVIDER, type PrivateLinkLab, privateLinkLab, REGION } from './support.ts';

/**
 * The path consumer → endpoint interface → PrivateLink → NLB → target, and
 * the endpoint's public DNS names, as a client in the consumer's VPC meets
 * them.
 */
let lab: PrivateLinkLab;
let serviceId: string;
let serviceName: string;

beforeEach(async () => {
  lab = await privateLinkLab();
  const created = await lab.provider.ec2<Out>('CreateVpcEndpointServiceConfiguration', {
    NetworkLoadBalancerArns: [lab.nlbArn],
    AcceptanceRequired: true,
  });
  serviceId = created.ServiceConfiguration!.ServiceId as string;
  serviceName = created.ServiceConfiguration!.ServiceName as string;
  await lab.provider.ec2('ModifyVpcEndpointServicePermissions', {
    ServiceId: serviceId,
    AddAllowedPrincipals: [`arn:aws:iam::${CONSUMER}:root`],
  });
});

interface Endpoint {
  VpcEndpointId: string;
  State: string;
  NetworkInterfaceIds: string[];
  DnsEntries: { DnsName: string }[];
}

async function requestEndpoint(): Promise<Endpoint> {
  const out = await lab.consumer.ec2<{ VpcEndpoint: Endpoint }>('CreateVpcEndpoint', {
    VpcEndpointType: 'Interface',
    VpcId: lab.consumerVpcId,
    ServiceName: serviceName,
    SubnetIds: [lab.consumerSubnetId],
    SecurityGroupIds: [lab.endpointGroupId],
  });
  return out.VpcEndpoint;
}

async function endpointIp(endpoint: Endpoint): Promise<string> {
  const out = await lab.consumer.ec2<{ NetworkInterfaces: { PrivateIpAddress: string }[] }>(
    'DescribeNetworkInterfaces',
    { NetworkInterfaceIds: endpoint.NetworkInterfaceIds },
  );
  return out.NetworkInterfaces[0]!.PrivateIpAddress;
}

async function accepted(): Promise<Endpoint> {
  const endpoint = await requestEndpoint();
  await lab.provider.ec2('AcceptVpcEndpointConnections', {
    ServiceId: serviceId,
    VpcEndpointIds: [endpoint.VpcEndpointId],
  });
  await lab.pass(60_000);
  return endpoint;
}

function connect(ip: string, port = 443) {
  return probePath(lab.twin, {
    from: { accountId: CONSUMER, region: REGION, networkInterfaceId: lab.clientEniId },
    to: ip,
    protocol: { tcp: port },
  });
}

function resolveFromConsumer(name: string) {
  return resolveName(
    lab.twin,
    {
      accountId: CONSUMER,
      region: REGION,
      vpcId: lab.consumerVpcId,
      subnetId: lab.consumerSubnetId,
      securityGroupIds: [],
      networkInterfaceId: lab.clientEniId,
      privateIp: '10.0.1.10',
    },
    name,
  );
}

describe('a connection to an endpoint of a service of your own', () => {
  test('an accepted endpoint carries 443 through the NLB to its target, which answers', async () => {
    const endpoint = await accepted();
    const probe = connect(await endpointIp(endpoint));
    expect(probe.answered, probe.diedAt?.reason).toBe(true);
    expect(probe.reached).toEqual({ kind: 'eni', networkInterfaceId: endpoint.NetworkInterfaceIds[0] });
  });

  test('an endpoint awaiting acceptance carries nothing, and says so', async () => {
    const endpoint = await requestEndpoint();
    expect(endpoint.State).toBe('pendingAcceptance');
    const probe = connect(await endpointIp(endpoint));
    expect(probe.answered).toBe(false);
    expect(probe.diedAt?.reason).toMatch(/pendingAcceptance/);
  });

  test('accepted, it is pending until its network is ready, then available', async () => {
    const endpoint = await requestEndpoint();
    await lab.provider.ec2('AcceptVpcEndpointConnections', {
      ServiceId: serviceId,
      VpcEndpointIds: [endpoint.VpcEndpointId],
    });
    const state = async () =>
      (
        await lab.consumer.ec2<{ VpcEndpoints: { State: string }[] }>('DescribeVpcEndpoints', {
          VpcEndpointIds: [endpoint.VpcEndpointId],
        })
      ).VpcEndpoints[0]!.State;
    expect(await state()).toBe('pending');
    expect(connect(await endpointIp(endpoint)).answered).toBe(false);
    await lab.pass(60_000);
    expect(await state()).toBe('available');
  });

  test('a rejected endpoint carries nothing', async () => {
    const endpoint = await accepted();
    await lab.provider.ec2('RejectVpcEndpointConnections', {
      ServiceId: serviceId,
      VpcEndpointIds: [endpoint.VpcEndpointId],
    });
    const probe = connect(await endpointIp(endpoint));
    expect(probe.answered).toBe(false);
    expect(probe.diedAt?.reason).toMatch(/rejected/);
  });

  test("the endpoint's security group refusing 443 drops the connection at the endpoint interface", async () => {
    const endpoint = await accepted();
    await lab.consumer.ec2('RevokeSecurityGroupIngress', {
      GroupId: lab.endpointGroupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] },
      ],
    });
    const probe = connect(await endpointIp(endpoint));
    expect(probe.answered).toBe(false);
    expect(probe.diedAt?.hop.at).toBe(lab.endpointGroupId);
  });

  test('a port the NLB does not listen on gets no answer', async () => {
    const endpoint = await accepted();
    const ip = await endpointIp(endpoint);
    await lab.consumer.ec2('AuthorizeSecurityGroupIngress', {
      GroupId: lab.endpointGroupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] },
      ],
    });
    const probe = connect(ip, 8443);
    expect(probe.answered).toBe(false);
    expect(probe.diedAt?.reason).toMatch(/no listener on port 8443/);
  });

  test("the target's own security group refusing the NLB's address leaves no target in service", async () => {
    const endpoint = await accepted();
    const groups = await lab.provider.ec2<{ SecurityGroups: { GroupId: string }[] }>(
      'DescribeSecurityGroups',
      {
        Filters: [{ Name: 'group-name', Values: ['host'] }],
      },
    );
    await lab.provider.ec2('RevokeSecurityGroupIngress', {
      GroupId: groups.SecurityGroups[0]!.GroupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.2.0.0/16' }] },
      ],
    });
    expect(connect(await endpointIp(endpoint)).answered).toBe(false);
  });
});

describe('a lab whose PrivateLink loops back on itself', () => {
  test('answers nothing rather than recursing for ever', async () => {
    // The provider connects an endpoint in its own VPC to its own service and registers that endpoint as the target.
    const p = lab.providerNetwork;
    const { VpcEndpoint } = await lab.provider.ec2<{ VpcEndpoint: Endpoint }>('CreateVpcEndpoint', {
      VpcEndpointType: 'Interface',
      VpcId: p.vpcId,
      ServiceName: serviceName,
      SubnetIds: [p.subnetId],
      SecurityGroupIds: [p.hostGroupId],
    });
    await lab.provider.ec2('AcceptVpcEndpointConnections', {
      ServiceId: serviceId,
      VpcEndpointIds: [VpcEndpoint.VpcEndpointId],
    });
    const loopIp = (
      await lab.provider.ec2<{ NetworkInterfaces: { PrivateIpAddress: string }[] }>(
        'DescribeNetworkInterfaces',
        {
          NetworkInterfaceIds: VpcEndpoint.NetworkInterfaceIds,
        },
      )
    ).NetworkInterfaces[0]!.PrivateIpAddress;
    await lab.provider.call('elasticloadbalancing', 'DeregisterTargets', {
      TargetGroupArn: p.targetGroupArn,
      Targets: [{ Id: '10.2.1.10', Port: 443 }],
    });
    await lab.provider.call('elasticloadbalancing', 'RegisterTargets', {
      TargetGroupArn: p.targetGroupArn,
      Targets: [{ Id: loopIp, Port: 443 }],
    });
    await lab.pass(3_600_000);
    const endpoint = await accepted();
    const probe = connect(await endpointIp(endpoint));
    expect(probe.answered).toBe(false);
  });
});

describe("an endpoint's DNS names", () => {
  test('the regional and zonal names resolve to the endpoint interface once it is available', async () => {
    const endpoint = await accepted();
    const ip = await endpointIp(endpoint);
    const [regional, zonal] = endpoint.DnsEntries.map((e) => e.DnsName);
    expect(regional).toMatch(
      new RegExp(
        `^${endpoint.VpcEndpointId}-[0-9a-z]{8}\\.${serviceId}\\.us-east-1\\.vpce\\.amazonaws\\.com$`,
      ),
    );
    expect(zonal).toMatch(
      new RegExp(
        `^${endpoint.VpcEndpointId}-[0-9a-z]{8}-us-east-1a\\.${serviceId}\\.us-east-1\\.vpce\\.amazonaws\\.com$`,
      ),
    );
    expect(resolveFromConsumer(regional!)).toMatchObject({ found: true, addresses: [ip] });
    expect(resolveFromConsumer(zonal!)).toMatchObject({ found: true, addresses: [ip] });
  });

  test('they resolve from another VPC too: they are public records', async () => {
    const endpoint = await accepted();
    const ip = await endpointIp(endpoint);
    const vpc = (await lab.provider.ec2<Out>('DescribeVpcs', {})) as unknown as { Vpcs: { VpcId: string }[] };
    const answer = resolveName(
      lab.twin,
      {
        accountId: PROVIDER,
        region: REGION,
        vpcId: vpc.Vpcs[0]!.VpcId,
        subnetId: '',
        securityGroupIds: [],
        networkInterfaceId: '',
        privateIp: '10.2.1.10',
      },
      endpoint.DnsEntries[0]!.DnsName,
    );
    expect(answer).toMatchObject({ found: true, addresses: [ip] });
  });

  test('awaiting acceptance, rejected or deleted, the names do not resolve', async () => {
    const endpoint = await requestEndpoint();
    const name = endpoint.DnsEntries[0]!.DnsName;
    expect(resolveFromConsumer(name)).toMatchObject({ found: false, error: 'NXDOMAIN' });
    await lab.provider.ec2('RejectVpcEndpointConnections', {
      ServiceId: serviceId,
      VpcEndpointIds: [endpoint.VpcEndpointId],
    });
    expect(resolveFromConsumer(name)).toMatchObject({ found: false, error: 'NXDOMAIN' });
    await lab.consumer.ec2('DeleteVpcEndpoints', { VpcEndpointIds: [endpoint.VpcEndpointId] });
    expect(resolveFromConsumer(name)).toMatchObject({ found: false, error: 'NXDOMAIN' });
  });

  test('a made-up name under vpce.amazonaws.com does not resolve to an internet address', async () => {
    await accepted();
    const answer = resolveFromConsumer(
      `vpce-0123456789abcdef0-abcdefgh.${serviceId}.us-east-1.vpce.amazonaws.com`,
    );
    expect(answer).toMatchObject({ found: false, error: 'NXDOMAIN' });
  });

  test("an AWS service's interface endpoint keeps its private DNS, and its own vpce name now resolves to its interface", async () => {
    await lab.consumer.ec2('ModifyVpcAttribute', {
      VpcId: lab.consumerVpcId,
      EnableDnsHostnames: { Value: true },
    });
    const { VpcEndpoint } = await lab.consumer.ec2<{ VpcEndpoint: Endpoint }>('CreateVpcEndpoint', {
      VpcEndpointType: 'Interface',
      VpcId: lab.consumerVpcId,
      ServiceName: 'com.amazonaws.us-east-1.ssm',
      SubnetIds: [lab.consumerSubnetId],
      SecurityGroupIds: [lab.endpointGroupId],
    });
    const ip = await endpointIp(VpcEndpoint);
    expect(resolveFromConsumer('ssm.us-east-1.amazonaws.com')).toMatchObject({
      found: true,
      addresses: [ip],
    });
    expect(VpcEndpoint.DnsEntries[0]!.DnsName).toMatch(/\.ssm\.us-east-1\.vpce\.amazonaws\.com$/);
    expect(resolveFromConsumer(VpcEndpoint.DnsEntries[0]!.DnsName)).toMatchObject({
      found: true,
      addresses: [ip],
    });
  });
});
