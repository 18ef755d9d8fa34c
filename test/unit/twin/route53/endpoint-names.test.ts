import { expect, test } from 'vitest';
import type { CallerPosition } from '../../../../twin/core/principal.ts';
import { resolveName } from '../../../../twin/network/dns.ts';
import { endpointDnsEntries } from '../../../../twin/services/ec2/model/vpc-endpoint-dns.ts';
import { route53 } from '../../../../twin/services/route53/api.ts';
import { changeRecordSets } from '../../../../twin/services/route53/model/records.ts';
import { createHostedZone } from '../../../../twin/services/route53/model/zones.ts';
import { ACCOUNT, allOut, LabBuilder, REGION } from '../network/fixtures.ts';

test("a CNAME and an alias to an endpoint's name resolve to its network interfaces in the zone's VPC only", () => {
  const lab = new LabBuilder();
  const r53 = lab.twin.model(route53, ACCOUNT, REGION);
  const prod = lab.vpc('10.70.0.0/16');
  const dev = lab.vpc('10.71.0.0/16');
  const pos = (vpc: typeof prod, cidr: string, ip: string): CallerPosition => {
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
  };
  const inProd = pos(prod, '10.70.1.0/24', '10.70.1.10');
  const inDev = pos(dev, '10.71.1.0/24', '10.71.1.10');
  const vpce = lab.endpoint(prod, 'ssm', {
    type: 'Interface',
    subnets: [lab.subnet(prod, '10.70.2.0/24', 0)],
    groups: [lab.securityGroup(prod, [allOut])],
    privateDns: false,
  });
  const entry = endpointDnsEntries(lab.model(), vpce)[0]!;
  const zone = createHostedZone(r53, {
    name: 'svc.example.internal',
    callerReference: 'r',
    vpc: { VPCId: prod.id, VPCRegion: REGION },
  }).zone.id;
  changeRecordSets(r53, zone, [
    {
      Action: 'CREATE',
      ResourceRecordSet: {
        Name: 'api.svc.example.internal',
        Type: 'CNAME',
        TTL: 60,
        ResourceRecords: [{ Value: entry.DnsName }],
      },
    },
    {
      Action: 'CREATE',
      ResourceRecordSet: {
        Name: 'alias.svc.example.internal',
        Type: 'A',
        AliasTarget: {
          HostedZoneId: entry.HostedZoneId,
          DNSName: entry.DnsName,
          EvaluateTargetHealth: false,
        },
      },
    },
  ]);
  const eniIps = vpce.networkInterfaceIds.map((id) => lab.model().networkInterfaces.get(id)!.privateIp);
  const cname = resolveName(lab.twin, inProd, 'api.svc.example.internal');
  console.log(JSON.stringify(cname));
  expect(cname.found && cname.addresses).toEqual(eniIps);
  expect(resolveName(lab.twin, inProd, 'alias.svc.example.internal')).toMatchObject({
    found: true,
    addresses: eniIps,
  });
  expect(resolveName(lab.twin, inDev, 'api.svc.example.internal')).toMatchObject({
    found: false,
    error: 'NXDOMAIN',
  });
});
