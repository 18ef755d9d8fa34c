import { beforeEach, describe, expect, test } from 'vitest';
import { ipInCidr } from '../../../../common/ip.ts';
import type { CallerPosition } from '../../../../twin/core/principal.ts';
import { resolveName } from '../../../../twin/network/dns.ts';
import { servicePrefixList } from '../../../../twin/network/prefix-lists.ts';
import { internetPath, servicePath } from '../../../../twin/network/service-path.ts';
import type { NetworkInterfaceState, SecurityGroupState } from '../../../../twin/services/ec2/model/state.ts';
import { allOut, allowAllAcl, LabBuilder, REGION, tcpFrom } from './fixtures.ts';

let lab: LabBuilder;
beforeEach(() => {
  lab = new LabBuilder();
});

function positionOf(eni: NetworkInterfaceState): CallerPosition {
  return {
    accountId: eni.ownerId,
    region: REGION,
    vpcId: eni.vpcId,
    subnetId: eni.subnetId,
    securityGroupIds: eni.securityGroupIds,
    networkInterfaceId: eni.id,
    privateIp: eni.privateIp,
  };
}

/** A VPC with a private subnet (own route table) holding the caller, and a public subnet. */
function privateVpc(callerGroups?: SecurityGroupState[]) {
  const vpc = lab.vpc('10.40.0.0/16');
  const priv = lab.subnet(vpc, '10.40.1.0/24', 0);
  const pub = lab.subnet(vpc, '10.40.0.0/24', 0);
  const privRt = lab.routeTable(vpc, [priv]);
  const pubRt = lab.routeTable(vpc, [pub]);
  const groups = callerGroups ?? [lab.securityGroup(vpc, [allOut])];
  const caller = lab.instance(priv, '10.40.1.10', groups).eni;
  return { vpc, priv, pub, privRt, pubRt, caller, at: positionOf(caller) };
}

describe('gateway endpoints', () => {
  test('S3 goes through the gateway endpoint whose prefix-list route is in the caller subnet table', () => {
    const { vpc, privRt, at } = privateVpc();
    const vpce = lab.endpoint(vpc, 's3', {
      type: 'Gateway',
      routeTables: [privRt],
      policy: '{"Statement":[]}',
    });
    lab.route(privRt, servicePrefixList(REGION, 's3').id, { kind: 'gateway-endpoint', id: vpce.id });
    expect(servicePath(lab.twin, at, 's3', REGION)).toEqual({
      reachable: true,
      via: 'gateway-endpoint',
      endpointId: vpce.id,
      endpointPolicy: '{"Statement":[]}',
    });
  });

  test('with an S3 interface endpoint beside the gateway endpoint, callers in the VPC still use the gateway', () => {
    const { vpc, priv, privRt, at } = privateVpc();
    const gateway = lab.endpoint(vpc, 's3', { type: 'Gateway', routeTables: [privRt] });
    lab.route(privRt, servicePrefixList(REGION, 's3').id, { kind: 'gateway-endpoint', id: gateway.id });
    const sg = lab.securityGroup(vpc, [tcpFrom('10.40.0.0/16', 443)]);
    lab.endpoint(vpc, 's3', { type: 'Interface', subnets: [priv], groups: [sg] });
    expect(servicePath(lab.twin, at, 's3', REGION)).toMatchObject({
      via: 'gateway-endpoint',
      endpointId: gateway.id,
    });
  });

  test('without the route (endpoint on another table) and without a NAT, S3 is unreachable', () => {
    const { vpc, pubRt, privRt, at } = privateVpc();
    lab.endpoint(vpc, 's3', { type: 'Gateway', routeTables: [pubRt] });
    const path = servicePath(lab.twin, at, 's3', REGION);
    expect(path.reachable).toBe(false);
    expect(!path.reachable && path.because).toContain(`${privRt.id} has no route to`);
  });

  test('the caller security group must allow HTTPS out to the prefix list', () => {
    const vpcOnly = { egress: true, protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/8' };
    const lab1 = privateVpc();
    const sg = lab.securityGroup(lab1.vpc, [vpcOnly]);
    lab1.caller.securityGroupIds = [sg.id];
    const vpce = lab.endpoint(lab1.vpc, 'dynamodb', { type: 'Gateway', routeTables: [lab1.privRt] });
    const list = servicePrefixList(REGION, 'dynamodb');
    lab.route(lab1.privRt, list.id, { kind: 'gateway-endpoint', id: vpce.id });
    expect(servicePath(lab.twin, lab1.at, 'dynamodb', REGION).reachable).toBe(false);
    sg.rules.push({
      id: 'sgr-pl',
      groupId: sg.id,
      egress: true,
      protocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      prefixListId: list.id,
    });
    expect(servicePath(lab.twin, lab1.at, 'dynamodb', REGION)).toMatchObject({
      reachable: true,
      via: 'gateway-endpoint',
    });
  });
});

describe('interface endpoints', () => {
  function withSsmEndpoint(endpointRules = [tcpFrom('10.40.0.0/16', 443)], privateDns = true) {
    const base = privateVpc();
    const endpointSg = lab.securityGroup(base.vpc, endpointRules);
    const vpce = lab.endpoint(base.vpc, 'ssm', {
      type: 'Interface',
      subnets: [base.priv],
      groups: [endpointSg],
      privateDns,
    });
    return { ...base, endpointSg, vpce };
  }

  test('private DNS points the service name at the endpoint interfaces, which admit HTTPS from the VPC', () => {
    const { at, vpce } = withSsmEndpoint();
    const dns = resolveName(lab.twin, at, 'ssm.us-east-1.amazonaws.com');
    expect(dns).toMatchObject({ found: true, via: 'interface-endpoint', endpointId: vpce.id });
    expect(dns.found && dns.addresses[0]).toMatch(/^10\.40\.1\./);
    expect(servicePath(lab.twin, at, 'ssm', REGION)).toMatchObject({
      reachable: true,
      via: 'interface-endpoint',
      endpointId: vpce.id,
    });
  });

  test('an endpoint security group without 443 from the caller leaves the service unreachable, with no fallback', () => {
    const { at, vpce, endpointSg } = withSsmEndpoint([tcpFrom('10.99.0.0/16', 443)]);
    const path = servicePath(lab.twin, at, 'ssm', REGION);
    expect(path.reachable).toBe(false);
    expect(!path.reachable && path.because).toContain(vpce.id);
    expect(!path.reachable && path.because).toContain(endpointSg.id);
  });

  test('the endpoint subnet ACL must allow HTTPS in and the ephemeral answer out', () => {
    const { vpc, pub, at } = privateVpc();
    const sg = lab.securityGroup(vpc, [tcpFrom('10.40.0.0/16', 443)]);
    lab.endpoint(vpc, 'logs', { type: 'Interface', subnets: [pub], groups: [sg] });
    lab.networkAcl(
      vpc,
      [pub],
      [
        {
          ruleNumber: 100,
          egress: false,
          protocol: '6',
          action: 'allow',
          cidr: '10.40.0.0/16',
          portRange: { from: 443, to: 443 },
        },
      ],
    );
    const path = servicePath(lab.twin, at, 'logs', REGION);
    expect(!path.reachable && path.because).toMatch(/TCP 443→\d+ out of subnet-/);
  });

  test('with private DNS off the name resolves to the public address, which needs a NAT', () => {
    const { at } = withSsmEndpoint(undefined, false);
    const dns = resolveName(lab.twin, at, 'ssm.us-east-1.amazonaws.com');
    expect(dns).toMatchObject({ found: true, via: 'public' });
    expect(servicePath(lab.twin, at, 'ssm', REGION).reachable).toBe(false);
  });

  test('private DNS needs DNS host names on in the VPC', () => {
    const { at, vpc } = withSsmEndpoint();
    vpc.enableDnsHostnames = false;
    expect(resolveName(lab.twin, at, 'ssm.us-east-1.amazonaws.com')).toMatchObject({ via: 'public' });
  });
});

describe('NAT and internet gateways', () => {
  function natted(callerGroups?: SecurityGroupState[]) {
    const base = privateVpc(callerGroups);
    const igw = lab.internetGateway(base.vpc);
    lab.route(base.pubRt, '0.0.0.0/0', { kind: 'internet-gateway', id: igw });
    const nat = lab.natGateway(base.pub, '10.40.0.5', '198.51.100.7');
    lab.route(base.privRt, '0.0.0.0/0', { kind: 'nat-gateway', id: nat });
    return { ...base, igw, nat };
  }

  test('a private caller reaches services and the internet through the NAT gateway', () => {
    const { at } = natted();
    expect(servicePath(lab.twin, at, 'sts', REGION)).toEqual({ reachable: true, via: 'nat' });
    expect(internetPath(lab.twin, at)).toEqual({ reachable: true, via: 'nat' });
  });

  test('a NAT whose subnet has no internet gateway route goes nowhere', () => {
    const { at, pubRt } = natted();
    pubRt.routes = pubRt.routes.filter((r) => r.target.kind === 'local');
    const path = servicePath(lab.twin, at, 'kms', REGION);
    expect(!path.reachable && path.because).toContain(`${pubRt.id} has no route`);
  });

  test('caller egress limited to the VPC blocks the NAT path', () => {
    const vpcOnly = { egress: true, protocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '10.40.0.0/16' };
    const { at, vpc } = natted();
    const sg = lab.securityGroup(vpc, [vpcOnly]);
    const eni = lab.model().networkInterfaces.get(at.networkInterfaceId)!;
    eni.securityGroupIds = [sg.id];
    const path = internetPath(lab.twin, at);
    expect(!path.reachable && path.because).toContain('no egress rule');
  });

  test('a caller with a public address in a subnet routed to the internet gateway goes straight out', () => {
    const { pub, vpc, igw } = natted();
    const host = lab.instance(pub, '10.40.0.20', [lab.securityGroup(vpc, [allOut])]).eni;
    host.publicIp = '198.51.100.20';
    expect(servicePath(lab.twin, positionOf(host), 'sqs', REGION)).toEqual({
      reachable: true,
      via: 'internet-gateway',
    });
    host.publicIp = undefined;
    const path = internetPath(lab.twin, positionOf(host));
    expect(!path.reachable && path.because).toContain(
      `has no public IPv4 address, so ${igw} cannot translate it`,
    );
  });

  test('an ACL that allows HTTPS out but not the ephemeral answer in gives no answer', () => {
    const { at, vpc, priv } = natted();
    lab.networkAcl(
      vpc,
      [priv],
      [
        { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
        {
          ruleNumber: 100,
          egress: false,
          protocol: '6',
          action: 'allow',
          cidr: '10.40.0.0/16',
          portRange: { from: 1024, to: 65535 },
        },
      ],
    );
    const path = internetPath(lab.twin, at);
    expect(!path.reachable && path.because).toContain('into subnet-');
    lab.networkAcl(vpc, [priv], allowAllAcl);
  });
});

describe('DNS inside a VPC', () => {
  test('EC2 host names, AWS names, internet names, unknown private names and a resolver that is off', () => {
    const { at, vpc } = privateVpc();
    expect(resolveName(lab.twin, at, 'ip-10-40-1-10.ec2.internal')).toEqual({
      found: true,
      addresses: ['10.40.1.10'],
      via: 'vpc',
    });
    const s3 = resolveName(lab.twin, at, 'my-bucket.s3.us-east-1.amazonaws.com');
    expect(s3.found && servicePrefixList(REGION, 's3').cidrs.some((c) => ipInCidr(s3.addresses[0]!, c))).toBe(
      true,
    );
    expect(resolveName(lab.twin, at, 'example.org')).toMatchObject({ found: true, via: 'public' });
    expect(resolveName(lab.twin, at, 'api.service.internal')).toMatchObject({
      found: false,
      error: 'NXDOMAIN',
    });
    vpc.enableDnsSupport = false;
    expect(resolveName(lab.twin, at, 'example.org')).toMatchObject({ found: false, error: 'SERVFAIL' });
  });
});
