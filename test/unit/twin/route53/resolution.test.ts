import type { Change } from '@aws-sdk/client-route-53';
import { beforeEach, describe, expect, test } from 'vitest';
import type { CallerPosition } from '../../../../twin/core/principal.ts';
import { resolveName } from '../../../../twin/network/dns.ts';
import type { VpcState } from '../../../../twin/services/ec2/model/state.ts';
import { route53 } from '../../../../twin/services/route53/api.ts';
import type { Route53Model } from '../../../../twin/services/route53/model/index.ts';
import { changeRecordSets } from '../../../../twin/services/route53/model/records.ts';
import { associateVpc, createHostedZone } from '../../../../twin/services/route53/model/zones.ts';
import { profileNamed } from '../../../../twin/state/profile.ts';
import { ACCOUNT, allOut, LabBuilder, REGION } from '../network/fixtures.ts';

/**
 * DNS inside a VPC with Route 53 private hosted zones: the zone answers
 * only in its VPCs, is authoritative for its names, and follows CNAMEs and
 * aliases through the same resolver.
 */
let lab: LabBuilder;
let r53: Route53Model;
let seq = 0;

beforeEach(() => {
  lab = new LabBuilder();
  r53 = lab.twin.model(route53, ACCOUNT, REGION);
});

function callerIn(vpc: VpcState, cidr: string, ip: string): CallerPosition {
  const subnet = lab.subnet(vpc, cidr, 0);
  const eni = lab.instance(subnet, ip, [lab.securityGroup(vpc, [allOut])]).eni;
  return {
    accountId: ACCOUNT,
    region: REGION,
    vpcId: vpc.id,
    subnetId: subnet.id,
    securityGroupIds: eni.securityGroupIds,
    networkInterfaceId: eni.id,
    privateIp: eni.privateIp,
  };
}

function zoneOn(vpc: VpcState, name: string): string {
  return createHostedZone(r53, {
    name,
    callerReference: `ref-${++seq}`,
    vpc: { VPCId: vpc.id, VPCRegion: REGION },
  }).zone.id;
}

const upsert = (Name: string, Type: 'A' | 'CNAME', ...values: string[]): Change => ({
  Action: 'UPSERT',
  ResourceRecordSet: { Name, Type, TTL: 60, ResourceRecords: values.map((Value) => ({ Value })) },
});

describe('private hosted zones in VPC DNS', () => {
  test('the associated VPC resolves the record; another VPC gets NXDOMAIN (.internal) or the public answer', () => {
    const prod = lab.vpc('10.70.0.0/16');
    const dev = lab.vpc('10.71.0.0/16');
    const inProd = callerIn(prod, '10.70.1.0/24', '10.70.1.10');
    const inDev = callerIn(dev, '10.71.1.0/24', '10.71.1.10');
    changeRecordSets(r53, zoneOn(prod, 'svc.internal'), [upsert('api.svc.internal', 'A', '10.70.1.20')]);
    changeRecordSets(r53, zoneOn(prod, 'corp.example.com'), [
      upsert('app.corp.example.com', 'A', '10.70.1.21'),
    ]);
    expect(resolveName(lab.twin, inProd, 'api.svc.internal')).toEqual({
      found: true,
      addresses: ['10.70.1.20'],
      via: 'private-zone',
    });
    expect(resolveName(lab.twin, inDev, 'api.svc.internal')).toMatchObject({
      found: false,
      error: 'NXDOMAIN',
    });
    expect(resolveName(lab.twin, inProd, 'APP.corp.example.com.')).toMatchObject({
      addresses: ['10.70.1.21'],
    });
    expect(resolveName(lab.twin, inDev, 'app.corp.example.com')).toMatchObject({
      found: true,
      via: 'public',
    });
  });

  test('a CNAME to an EC2 host name resolves to that host address', () => {
    const prod = lab.vpc('10.70.0.0/16');
    const at = callerIn(prod, '10.70.1.0/24', '10.70.1.10');
    changeRecordSets(r53, zoneOn(prod, 'svc.internal'), [
      upsert('db.svc.internal', 'CNAME', 'ip-10-70-1-33.ec2.internal'),
    ]);
    expect(resolveName(lab.twin, at, 'db.svc.internal')).toEqual({
      found: true,
      addresses: ['10.70.1.33'],
      via: 'private-zone',
    });
  });

  test('a name the zone lacks is NXDOMAIN, never the public answer: the private zone is authoritative', () => {
    const prod = lab.vpc('10.70.0.0/16');
    const at = callerIn(prod, '10.70.1.0/24', '10.70.1.10');
    expect(resolveName(lab.twin, at, 'www.example.com')).toMatchObject({ found: true, via: 'public' });
    zoneOn(prod, 'example.com');
    expect(resolveName(lab.twin, at, 'www.example.com')).toMatchObject({
      found: false,
      error: 'NXDOMAIN',
      because: expect.stringContaining('example.com.'),
    });
  });

  test('the most specific zone of the VPC answers, and an alias A follows its target', () => {
    const prod = lab.vpc('10.70.0.0/16');
    const at = callerIn(prod, '10.70.1.0/24', '10.70.1.10');
    const parent = zoneOn(prod, 'example.internal');
    const child = zoneOn(prod, 'api.example.internal');
    changeRecordSets(r53, parent, [upsert('v1.api.example.internal', 'A', '10.70.9.9')]);
    changeRecordSets(r53, child, [
      upsert('v1.api.example.internal', 'A', '10.70.1.40'),
      {
        Action: 'CREATE',
        ResourceRecordSet: {
          Name: 'latest.api.example.internal',
          Type: 'A',
          AliasTarget: {
            HostedZoneId: child,
            DNSName: 'v1.api.example.internal',
            EvaluateTargetHealth: false,
          },
        },
      },
    ]);
    expect(resolveName(lab.twin, at, 'v1.api.example.internal')).toMatchObject({ addresses: ['10.70.1.40'] });
    expect(resolveName(lab.twin, at, 'latest.api.example.internal')).toMatchObject({
      addresses: ['10.70.1.40'],
      via: 'private-zone',
    });
  });

  test('a chain that ends at an interface endpoint keeps the endpoint, so service calls route through it', () => {
    const prod = lab.vpc('10.70.0.0/16');
    const at = callerIn(prod, '10.70.1.0/24', '10.70.1.10');
    const vpce = lab.endpoint(prod, 'ssm', {
      type: 'Interface',
      subnets: [lab.subnet(prod, '10.70.2.0/24', 0)],
      groups: [lab.securityGroup(prod, [allOut])],
      privateDns: true,
    });
    changeRecordSets(r53, zoneOn(prod, 'corp.internal'), [
      upsert('ssm.corp.internal', 'CNAME', 'ssm.us-east-1.amazonaws.com'),
    ]);
    expect(resolveName(lab.twin, at, 'ssm.corp.internal')).toMatchObject({
      found: true,
      via: 'interface-endpoint',
      endpointId: vpce.id,
    });
  });

  test('a CNAME loop ends in SERVFAIL, not a hang', () => {
    const prod = lab.vpc('10.70.0.0/16');
    const at = callerIn(prod, '10.70.1.0/24', '10.70.1.10');
    changeRecordSets(r53, zoneOn(prod, 'loop.internal'), [
      upsert('a.loop.internal', 'CNAME', 'b.loop.internal'),
      upsert('b.loop.internal', 'CNAME', 'a.loop.internal'),
    ]);
    expect(resolveName(lab.twin, at, 'a.loop.internal')).toMatchObject({ found: false, error: 'SERVFAIL' });
  });

  test('without the VPC DNS host names attribute the zone does not answer', () => {
    const prod = lab.vpc('10.70.0.0/16');
    const at = callerIn(prod, '10.70.1.0/24', '10.70.1.10');
    changeRecordSets(r53, zoneOn(prod, 'corp.example.com'), [
      upsert('app.corp.example.com', 'A', '10.70.1.21'),
    ]);
    prod.enableDnsHostnames = false;
    expect(resolveName(lab.twin, at, 'app.corp.example.com')).toMatchObject({ via: 'public' });
  });

  test('records and associations reach VPC DNS only once the change is INSYNC', () => {
    lab.twin.profile = profileNamed('realistic');
    const prod = lab.vpc('10.70.0.0/16');
    const dev = lab.vpc('10.71.0.0/16');
    const inProd = callerIn(prod, '10.70.1.0/24', '10.70.1.10');
    const inDev = callerIn(dev, '10.71.1.0/24', '10.71.1.10');
    const zone = zoneOn(prod, 'svc.internal');
    lab.clock.advance(60_000);
    const change = changeRecordSets(r53, zone, [upsert('api.svc.internal', 'A', '10.70.1.20')]);
    associateVpc(r53, zone, { VPCId: dev.id, VPCRegion: REGION });
    expect(r53.changeInfo(change).Status).toBe('PENDING');
    expect(resolveName(lab.twin, inProd, 'api.svc.internal')).toMatchObject({
      found: false,
      error: 'NXDOMAIN',
    });
    expect(resolveName(lab.twin, inDev, 'api.svc.internal')).toMatchObject({
      found: false,
      error: 'NXDOMAIN',
    });
    lab.clock.advance(60_000);
    expect(r53.changeInfo(change).Status).toBe('INSYNC');
    expect(resolveName(lab.twin, inProd, 'api.svc.internal')).toMatchObject({ addresses: ['10.70.1.20'] });
    expect(resolveName(lab.twin, inDev, 'api.svc.internal')).toMatchObject({ addresses: ['10.70.1.20'] });
  });
});
