import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { builderFor, type LabBuilder } from '../../../../lab/builder.ts';
import { probePath } from '../../../../twin/network/reachability.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { Twin } from '../../../../twin/twin.ts';
import { type Host, joinByTransitGateway, type Out, vpcWithHost } from './api-lab.ts';

/**
 * The reachability engine on network ACLs built only through the EC2 API,
 * as an operator builds them: a hub and two spokes joined by a Transit
 * Gateway whose attachments sit in the hosts' own subnets (as in the
 * reference lab). Network ACLs (docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html):
 * rules are evaluated from the lowest number up and the first match
 * decides; they are stateless, so the echo reply needs its own allow on
 * its way back; inbound rules match the source, outbound rules the
 * destination. A packet out of a Transit Gateway meets the destination
 * subnet's inbound rules even when the attachment's interface is in that
 * subnet (docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html).
 */
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ECHO_REQUEST = 8;
const ECHO_REPLY = 0;

let twin: Twin;
let lab: LabBuilder;
let hub: Host;
let spokeA: Host;
let spokeB: Host;

/** An entry as `aws ec2 create-network-acl-entry` makes it. */
function entry(
  aclId: string,
  ruleNumber: number,
  direction: 'inbound' | 'outbound',
  action: 'allow' | 'deny',
  cidr: string,
  icmpType = -1,
): Promise<unknown> {
  return lab.ec2('CreateNetworkAclEntry', {
    NetworkAclId: aclId,
    RuleNumber: ruleNumber,
    Protocol: 'icmp',
    RuleAction: action,
    Egress: direction === 'outbound',
    CidrBlock: cidr,
    IcmpTypeCode: { Type: icmpType, Code: -1 },
  });
}

const ping = (from: Host, to: Host) =>
  probePath(twin, {
    from: { accountId: ACCOUNT, region: REGION, networkInterfaceId: from.eniId },
    to: to.ip,
    protocol: 'icmp',
  });

beforeEach(async () => {
  twin = new Twin({ clock: new ManualClock(), seed: 'network-acls' });
  lab = builderFor(twin, ACCOUNT, REGION);
  hub = await vpcWithHost(lab, 60);
  spokeA = await vpcWithHost(lab, 61);
  spokeB = await vpcWithHost(lab, 62);
  await joinByTransitGateway(lab, [hub, spokeA, spokeB]);
});
afterEach(() => twin.dispose());

describe('default network ACLs (rule 100 allows all)', () => {
  test('with no entries added, both spokes and the hub answer each other', () => {
    for (const [from, to] of [
      [spokeA, hub],
      [spokeB, hub],
      [hub, spokeA],
    ] as const) {
      expect(ping(from, to).answered, `${from.ip} → ${to.ip}`).toBe(true);
    }
  });

  test('an inbound ICMP deny (type -1) of one spoke at a low rule number on the hub silences that spoke only', async () => {
    await entry(hub.aclId, 50, 'inbound', 'deny', '10.61.0.0/16');
    const denied = ping(spokeA, hub);
    expect(denied.answered).toBe(false);
    expect(denied.diedAt).toMatchObject({ direction: 'request' });
    expect(denied.diedAt?.reason).toContain(
      `${hub.aclId} rule 50 denies ICMP echo request into ${hub.subnetId}`,
    );
    expect(ping(spokeB, hub).answered).toBe(true);
  });

  test('the same deny after rule 100 changes nothing: the first matching rule decides', async () => {
    await entry(hub.aclId, 150, 'inbound', 'deny', '10.61.0.0/16');
    expect(ping(spokeA, hub).answered).toBe(true);
  });

  test('a deny of echo request (type 8) stops the request; a deny of echo reply (type 0) stops only replies', async () => {
    await entry(hub.aclId, 50, 'inbound', 'deny', '10.61.0.0/16', ECHO_REQUEST);
    expect(ping(spokeA, hub).answered).toBe(false);
    await entry(spokeB.aclId, 50, 'inbound', 'deny', '10.60.0.0/16', ECHO_REPLY);
    // The hub's echo requests enter B as type 8: the type-0 deny does not match them.
    expect(ping(hub, spokeB).answered).toBe(true);
    const reply = ping(spokeB, hub);
    expect(reply.answered).toBe(false);
    expect(reply.diedAt).toMatchObject({ direction: 'reply' });
    expect(reply.diedAt?.reason).toContain(
      `${spokeB.aclId} rule 50 denies ICMP echo reply into ${spokeB.subnetId}`,
    );
  });

  test('outbound at the source subnet: a deny of echo requests to the hub stops the spoke’s ping, not the hub’s', async () => {
    await entry(spokeA.aclId, 50, 'outbound', 'deny', '10.60.0.0/16', ECHO_REQUEST);
    const out = ping(spokeA, hub);
    expect(out.answered).toBe(false);
    expect(out.diedAt?.reason).toContain(
      `${spokeA.aclId} rule 50 denies ICMP echo request out of ${spokeA.subnetId}`,
    );
    expect(ping(hub, spokeA).answered).toBe(true);
  });

  test('the reply path is filtered too (stateless): an outbound echo-reply deny at the hub silences the spoke', async () => {
    await entry(hub.aclId, 50, 'outbound', 'deny', '10.61.0.0/16', ECHO_REPLY);
    const out = ping(spokeA, hub);
    expect(out.answered).toBe(false);
    expect(out.diedAt).toMatchObject({ direction: 'reply' });
    expect(out.diedAt?.reason).toContain(
      `${hub.aclId} rule 50 denies ICMP echo reply out of ${hub.subnetId}`,
    );
    expect(ping(spokeB, hub).answered).toBe(true);
  });
});

describe('a custom network ACL (denies everything until rules are added)', () => {
  let custom: string;
  beforeEach(async () => {
    const created = await lab.ec2<Out>('CreateNetworkAcl', { VpcId: hub.vpcId });
    custom = created.NetworkAcl!.NetworkAclId as string;
    const acls = await lab.ec2<{
      NetworkAcls: { Associations: { NetworkAclAssociationId: string; SubnetId: string }[] }[];
    }>('DescribeNetworkAcls', { NetworkAclIds: [hub.aclId] });
    const association = acls.NetworkAcls[0]!.Associations.find((a) => a.SubnetId === hub.subnetId)!;
    await lab.ec2('ReplaceNetworkAclAssociation', {
      AssociationId: association.NetworkAclAssociationId,
      NetworkAclId: custom,
    });
  });

  test('associated with no rules, nothing reaches the hub', () => {
    const out = ping(spokeA, hub);
    expect(out.answered).toBe(false);
    expect(out.diedAt?.reason).toContain(`${custom} rule * denies ICMP echo request into ${hub.subnetId}`);
  });

  test('an inbound allow alone is not enough: the echo reply needs an outbound allow', async () => {
    await entry(custom, 100, 'inbound', 'allow', '10.0.0.0/8');
    const half = ping(spokeA, hub);
    expect(half.answered).toBe(false);
    expect(half.diedAt).toMatchObject({ direction: 'reply' });
    await entry(custom, 100, 'outbound', 'allow', '10.0.0.0/8', ECHO_REPLY);
    expect(ping(spokeA, hub).answered).toBe(true);
  });

  test('a deny below the allow silences one spoke; the other still answers', async () => {
    await entry(custom, 100, 'inbound', 'allow', '10.0.0.0/8');
    await entry(custom, 100, 'outbound', 'allow', '10.0.0.0/8');
    await entry(custom, 90, 'inbound', 'deny', '10.62.0.0/16');
    expect(ping(spokeA, hub).answered).toBe(true);
    expect(ping(spokeB, hub).answered).toBe(false);
  });
});
