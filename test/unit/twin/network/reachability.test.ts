import { beforeEach, describe, expect, test } from 'vitest';
import { type ProbeResult, probePath } from '../../../../twin/network/reachability.ts';
import type {
  NetworkInterfaceState,
  SubnetState,
  VpcState,
} from '../../../../twin/services/ec2/model/state.ts';
import {
  ACCOUNT,
  allOut,
  allowAllAcl,
  icmpFrom,
  LabBuilder,
  OTHER_ACCOUNT,
  REGION,
  tcpFrom,
} from './fixtures.ts';

let lab: LabBuilder;
beforeEach(() => {
  lab = new LabBuilder();
});

function ping(from: NetworkInterfaceState, to: string): ProbeResult {
  return probePath(lab.twin, {
    from: { accountId: from.ownerId, region: REGION, networkInterfaceId: from.id },
    to,
    protocol: 'icmp',
  });
}

/** Two hosts in two subnets of one VPC; the destination admits ICMP from the VPC. */
function oneVpc() {
  const vpc = lab.vpc('10.10.0.0/16');
  const a = lab.subnet(vpc, '10.10.1.0/24', 0);
  const b = lab.subnet(vpc, '10.10.2.0/24', 1);
  const sg = lab.securityGroup(vpc, [icmpFrom('10.10.0.0/16'), allOut]);
  const src = lab.instance(a, '10.10.1.10', [sg]).eni;
  const dst = lab.instance(b, '10.10.2.10', [sg]).eni;
  return { vpc, a, b, sg, src, dst };
}

describe('inside one VPC', () => {
  test('a ping that security groups allow is answered with TTL 64 and sub-millisecond RTT', () => {
    const { src } = oneVpc();
    const result = ping(src, '10.10.2.10');
    expect(result.answered).toBe(true);
    expect(result.ttl).toBe(64);
    expect(result.rttMs).toBeGreaterThan(0);
    expect(result.rttMs).toBeLessThan(2);
  });

  test('a destination security group without an ICMP rule drops the request there, naming the group', () => {
    const { vpc, b, src } = oneVpc();
    const sshOnly = lab.securityGroup(vpc, [tcpFrom('10.10.0.0/16', 22), allOut]);
    lab.instance(b, '10.10.2.20', [sshOnly]);
    const result = ping(src, '10.10.2.20');
    expect(result.answered).toBe(false);
    expect(result.diedAt?.direction).toBe('request');
    expect(result.diedAt?.reason).toContain(sshOnly.id);
    expect(result.diedAt?.reason).toContain('no ingress rule');
  });

  test('security groups are stateful: a responder with no egress rule still answers', () => {
    const { vpc, b, src } = oneVpc();
    const noEgress = lab.securityGroup(vpc, [icmpFrom('10.10.0.0/16')]);
    lab.instance(b, '10.10.2.30', [noEgress]);
    expect(ping(src, '10.10.2.30').answered).toBe(true);
  });

  test('network ACLs are stateless: inbound echo allowed but no outbound rule for the reply means no answer', () => {
    const { vpc, b, src } = oneVpc();
    lab.networkAcl(
      vpc,
      [b],
      [
        {
          ruleNumber: 100,
          egress: false,
          protocol: '1',
          action: 'allow',
          cidr: '10.10.0.0/16',
          icmp: { type: -1, code: -1 },
        },
      ],
    );
    const result = ping(src, '10.10.2.10');
    expect(result.answered).toBe(false);
    expect(result.diedAt?.direction).toBe('reply');
    expect(result.diedAt?.reason).toMatch(/ICMP echo reply out of subnet-/);
  });

  test('ACL rules are evaluated lowest number first: a deny at 90 beats an allow at 100, not the other way round', () => {
    const { vpc, b, src } = oneVpc();
    const deny = {
      ruleNumber: 90,
      egress: false,
      protocol: '-1',
      action: 'deny' as const,
      cidr: '10.10.1.0/24',
    };
    const acl = lab.networkAcl(vpc, [b], [deny, ...allowAllAcl]);
    const blocked = ping(src, '10.10.2.10');
    expect(blocked.answered).toBe(false);
    expect(blocked.diedAt?.reason).toContain(`${acl.id} rule 90 denies`);
    acl.entries = [{ ...deny, ruleNumber: 110 }, ...allowAllAcl];
    expect(ping(src, '10.10.2.10').answered).toBe(true);
  });

  test('no ACL is evaluated between two interfaces of one subnet', () => {
    const { vpc, a, sg, src } = oneVpc();
    lab.networkAcl(vpc, [a], []);
    lab.instance(a, '10.10.1.11', [sg]);
    expect(ping(src, '10.10.1.11').answered).toBe(true);
    expect(ping(src, '10.10.2.10').diedAt?.reason).toContain('rule * denies');
  });

  test('an address nobody holds, and a stopped instance, give no answer', () => {
    const { b, sg, src } = oneVpc();
    expect(ping(src, '10.10.2.99').diedAt?.reason).toContain('no network interface');
    const stopped = lab.instance(b, '10.10.2.40', [sg], { state: 'stopped' });
    expect(ping(src, '10.10.2.40').diedAt?.reason).toContain(`${stopped.instance.id} is stopped`);
  });

  test('security group rules may reference a group: members are admitted, others are not', () => {
    const { vpc, a, b, src } = oneVpc();
    const clients = lab.securityGroup(vpc, [allOut]);
    const server = lab.securityGroup(vpc, [
      { egress: false, protocol: 'icmp', fromPort: 8, toPort: -1, referencedGroupId: clients.id },
    ]);
    lab.instance(b, '10.10.2.50', [server]);
    const member = lab.instance(a, '10.10.1.50', [clients]).eni;
    expect(ping(member, '10.10.2.50').answered).toBe(true);
    expect(ping(src, '10.10.2.50').diedAt?.reason).toContain(server.id);
  });

  test('a route through an appliance needs source/destination checking off, and each pass costs a TTL', () => {
    const { vpc, a, b, sg, src } = oneVpc();
    const own = lab.subnet(vpc, '10.10.3.0/24', 0);
    const appliance = lab.instance(own, '10.10.3.99', [
      lab.securityGroup(vpc, [{ ...allOut, egress: false }, allOut]),
    ]).eni;
    const rt = lab.routeTable(vpc, [a]);
    lab.route(rt, '10.10.2.0/24', { kind: 'network-interface', id: appliance.id });
    lab.instance(b, '10.10.2.70', [sg]);
    expect(ping(src, '10.10.2.70').diedAt?.reason).toContain(
      `${appliance.id} has source/destination checking on`,
    );
    appliance.sourceDestCheck = false;
    const through = ping(src, '10.10.2.70');
    expect(through.answered).toBe(true);
    expect(through.hops.some((h) => h.says === `${appliance.id} forwards the packet`)).toBe(true);
    // The answer comes straight back by the local route: one routed hop on the way there only.
    expect(through.ttl).toBe(64);
    lab.route(lab.routeTable(vpc, [b]), '10.10.1.0/24', { kind: 'network-interface', id: appliance.id });
    expect(ping(src, '10.10.2.70').ttl).toBe(63);
  });

  test('a route table that sends traffic back to an appliance in the same subnet loops', () => {
    const { vpc, a, b, sg, src } = oneVpc();
    const appliance = lab.instance(a, '10.10.1.99', [sg], {}).eni;
    appliance.sourceDestCheck = false;
    lab.route(lab.routeTable(vpc, [a]), '10.10.2.0/24', { kind: 'network-interface', id: appliance.id });
    lab.instance(b, '10.10.2.80', [sg]);
    expect(ping(src, '10.10.2.80').diedAt?.reason).toContain('a routing loop');
  });

  test('TCP to an instance crosses the same filters with the port', () => {
    const { vpc, b, src } = oneVpc();
    lab.instance(b, '10.10.2.60', [lab.securityGroup(vpc, [tcpFrom('10.10.0.0/16', 443)])]);
    const tcp = (port: number) =>
      probePath(lab.twin, {
        from: { accountId: ACCOUNT, region: REGION, networkInterfaceId: src.id },
        to: '10.10.2.60',
        protocol: { tcp: port },
      });
    expect(tcp(443).answered).toBe(true);
    expect(tcp(22).answered).toBe(false);
  });
});

/** Three VPCs on a Transit Gateway; `hub` talks to both spokes, spokes not to each other. */
function hubAndSpokes() {
  const mk = (cidr: string) => {
    const vpc = lab.vpc(cidr);
    const base = cidr.split('.').slice(0, 2).join('.');
    const s1 = lab.subnet(vpc, `${base}.1.0/24`, 0);
    const s2 = lab.subnet(vpc, `${base}.2.0/24`, 1);
    const sg = lab.securityGroup(vpc, [icmpFrom('10.0.0.0/8'), allOut]);
    const host = lab.instance(s1, `${base}.1.10`, [sg]).eni;
    lab.route(lab.mainTable(vpc), '10.0.0.0/8', { kind: 'transit-gateway', id: tgw.id });
    return { vpc, s1, s2, sg, host };
  };
  const tgw = lab.transitGateway();
  const a = mk('10.10.0.0/16');
  const b = mk('10.20.0.0/16');
  const hub = mk('10.30.0.0/16');
  const attA = lab.attach(tgw, a.vpc, [a.s1, a.s2]);
  const attB = lab.attach(tgw, b.vpc, [b.s1, b.s2]);
  const attHub = lab.attach(tgw, hub.vpc, [hub.s1, hub.s2]);
  const spokeRt = lab.tgwRouteTable(tgw, { associate: [attA, attB], propagate: [attHub] });
  const hubRt = lab.tgwRouteTable(tgw, { associate: [attHub], propagate: [attA, attB] });
  return { tgw, a, b, hub, attA, attB, attHub, spokeRt, hubRt };
}

describe('across a Transit Gateway', () => {
  test('spoke to hub is answered, with TTL one lower and a longer RTT than inside a VPC', () => {
    const { a } = hubAndSpokes();
    const result = ping(a.host, '10.30.1.10');
    expect(result.answered).toBe(true);
    expect(result.ttl).toBe(63);
    expect(result.rttMs).toBeGreaterThan(0.5);
  });

  test('spoke to spoke dies at the Transit Gateway, naming its route table and the attachment', () => {
    const { a, spokeRt, attA } = hubAndSpokes();
    const result = ping(a.host, '10.20.1.10');
    expect(result.answered).toBe(false);
    expect(result.diedAt?.reason).toBe(
      `${spokeRt.id} (associated with ${attA.id}) has no route to 10.20.1.10: dropped at the Transit Gateway`,
    );
    const dstEni = [...lab.model().networkInterfaces.values()].find((e) => e.privateIp === '10.20.1.10');
    expect(
      result.touched.some(
        (t) => t.networkInterfaceId === a.host.id && t.direction === 'egress' && t.action === 'ACCEPT',
      ),
    ).toBe(true);
    expect(result.touched.some((t) => t.networkInterfaceId === dstEni?.id)).toBe(false);
  });

  test('an attachment with no associated route table drops everything', () => {
    const { a, attA } = hubAndSpokes();
    attA.associatedRouteTableId = undefined;
    expect(ping(a.host, '10.30.1.10').diedAt?.reason).toContain(
      `${attA.id} is not associated with any transit gateway route table`,
    );
  });

  test('a blackhole route drops traffic even when a propagated route would match', () => {
    const { a, spokeRt } = hubAndSpokes();
    spokeRt.staticRoutes.push({ cidr: '10.30.1.0/24', blackhole: true });
    expect(ping(a.host, '10.30.1.10').diedAt?.reason).toContain('blackhole route 10.30.1.0/24');
    expect(ping(a.host, '10.30.2.10').diedAt?.reason).toContain('no network interface');
  });

  test('propagation one way only: the request arrives but the answer has no route back', () => {
    const { a, hubRt, attA } = hubAndSpokes();
    hubRt.propagatingAttachmentIds = hubRt.propagatingAttachmentIds.filter((id) => id !== attA.id);
    const result = ping(a.host, '10.30.1.10');
    expect(result.answered).toBe(false);
    expect(result.diedAt?.direction).toBe('reply');
    expect(result.diedAt?.reason).toContain('has no route to 10.10.1.10: dropped at the Transit Gateway');
    expect(
      result.touched.some(
        (t) => t.srcIp === '10.10.1.10' && t.action === 'ACCEPT' && t.direction === 'ingress',
      ),
    ).toBe(true);
  });

  test('a missing return route in the destination VPC means no answer (asymmetric routing)', () => {
    const { a, hub } = hubAndSpokes();
    const rt = lab.mainTable(hub.vpc);
    rt.routes = rt.routes.filter((r) => r.target.kind === 'local');
    const result = ping(a.host, '10.30.1.10');
    expect(result.diedAt?.direction).toBe('reply');
    expect(result.diedAt?.reason).toBe(`${rt.id} has no route to 10.10.1.10: dropped`);
  });

  test('resources in an Availability Zone without an attachment subnet cannot reach the Transit Gateway', () => {
    const { a, attA } = hubAndSpokes();
    attA.subnetIds = [a.s2.id];
    expect(ping(a.host, '10.30.1.10').diedAt?.reason).toContain(`${attA.id} has no subnet in use1-az1`);
  });

  test('a longer prefix wins: a /24 to a pending peering connection blackholes what the /8 would carry', () => {
    const { a, hub } = hubAndSpokes();
    const pcx = lab.peering(a.vpc, hub.vpc, 'pending-acceptance');
    lab.route(lab.mainTable(a.vpc), '10.30.1.0/24', { kind: 'peering', id: pcx });
    expect(ping(a.host, '10.30.1.10').diedAt?.reason).toMatch(
      new RegExp(`route 10\\.30\\.1\\.0/24 → ${pcx} is a blackhole`),
    );
  });
});

describe('VPC peering', () => {
  function peered() {
    const hubs = hubAndSpokes();
    const partner: VpcState = lab.vpc('172.20.0.0/16', OTHER_ACCOUNT);
    const ps: SubnetState = lab.subnet(partner, '172.20.1.0/24', 0);
    const pcx = lab.peering(hubs.hub.vpc, partner);
    lab.route(lab.mainTable(hubs.hub.vpc), '172.20.0.0/16', { kind: 'peering', id: pcx });
    lab.route(lab.mainTable(partner), '10.30.0.0/16', { kind: 'peering', id: pcx });
    const partnerSg = lab.securityGroup(partner, [
      { egress: false, protocol: 'icmp', fromPort: -1, toPort: -1, referencedGroupId: hubs.hub.sg.id },
      icmpFrom('10.10.0.0/16'),
      allOut,
    ]);
    const host = lab.instance(ps, '172.20.1.10', [partnerSg]).eni;
    return { ...hubs, partner, pcx, host };
  }

  test('the peer VPC answers, across accounts, and admits a group of the other side by reference', () => {
    const { hub } = peered();
    const result = ping(hub.host, '172.20.1.10');
    expect(result.answered).toBe(true);
    expect(result.ttl).toBe(64);
  });

  test('traffic that came over the Transit Gateway cannot continue over the peering connection', () => {
    const { a, hub, pcx, tgw, spokeRt, attHub } = peered();
    lab.route(lab.mainTable(a.vpc), '172.20.0.0/16', { kind: 'transit-gateway', id: tgw.id });
    spokeRt.staticRoutes.push({ cidr: '172.20.0.0/16', attachmentId: attHub.id, blackhole: false });
    const result = ping(a.host, '172.20.1.10');
    expect(result.answered).toBe(false);
    expect(result.diedAt?.reason).toBe(
      `traffic that entered ${hub.vpc.id} through a transit gateway cannot leave it again through ${pcx}: AWS does not route transitively`,
    );
  });

  test('a peering connection carries only traffic for the peer VPC', () => {
    const { hub, pcx } = peered();
    lab.route(lab.mainTable(hub.vpc), '172.16.0.0/12', { kind: 'peering', id: pcx });
    expect(ping(hub.host, '172.16.0.10').diedAt?.reason).toContain(`${pcx} carries traffic only to`);
  });

  test('a hub host outside the referenced group is refused by the peer', () => {
    const { hub, host } = peered();
    const outsider = lab.instance(hub.s1, '10.30.1.20', [lab.securityGroup(hub.vpc, [allOut])]).eni;
    const result = ping(outsider, '172.20.1.10');
    expect(result.diedAt?.reason).toContain(`of ${host.id} has no ingress rule`);
  });
});
