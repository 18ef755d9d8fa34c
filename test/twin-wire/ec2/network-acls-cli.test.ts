import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { builderFor } from '../../../lab/builder.ts';
import { probePath } from '../../../twin/network/reachability.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';
import { type Host, joinByTransitGateway, vpcWithHost } from '../../unit/twin/network/api-lab.ts';

/**
 * Issue #4 as an operator met it: with the AWS CLI, an ICMP deny of one
 * spoke's range at a low rule number in the default ACL of the hub's
 * subnet. Pings from that spoke must go unanswered; the other spoke's still
 * answer (docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html: lowest
 * rule first; docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html: traffic
 * from a transit gateway meets the destination subnet's inbound rules).
 */
const ACCOUNT = '123456789012';
let twin: TestTwin;
let hub: Host;
let spokeA: Host;
let spokeB: Host;

beforeAll(async () => {
  twin = await startTestTwin({
    lab: async (t) => {
      const lab = builderFor(t, ACCOUNT, 'us-east-1');
      hub = await vpcWithHost(lab, 70);
      spokeA = await vpcWithHost(lab, 71);
      spokeB = await vpcWithHost(lab, 72);
      await joinByTransitGateway(lab, [hub, spokeA, spokeB]);
    },
  });
});
afterAll(() => twin.close());

const ping = (from: Host, to: Host) =>
  probePath(twin.server.twin, {
    from: { accountId: ACCOUNT, region: 'us-east-1', networkInterfaceId: from.eniId },
    to: to.ip,
    protocol: 'icmp',
  });

describe.runIf(hasAwsCli)('AWS CLI 2.9', () => {
  test('ec2 create-network-acl-entry --ingress … --rule-number 50 silences that spoke only', async () => {
    expect(ping(spokeA, hub).answered).toBe(true);
    const out = await aws(twin, [
      'ec2',
      'create-network-acl-entry',
      '--network-acl-id',
      hub.aclId,
      '--ingress',
      '--rule-number',
      '50',
      '--protocol',
      'icmp',
      '--icmp-type-code',
      'Type=-1,Code=-1',
      '--rule-action',
      'deny',
      '--cidr-block',
      '10.71.0.0/16',
    ]);
    expect(out.code, out.stderr).toBe(0);
    const shown = await aws(twin, ['ec2', 'describe-network-acls', '--network-acl-ids', hub.aclId]);
    expect((shown.json as { NetworkAcls: { Entries: object[] }[] }).NetworkAcls[0]!.Entries).toContainEqual({
      CidrBlock: '10.71.0.0/16',
      Egress: false,
      IcmpTypeCode: { Code: -1, Type: -1 },
      Protocol: '1',
      RuleAction: 'deny',
      RuleNumber: 50,
    });
    const denied = ping(spokeA, hub);
    expect(denied.answered).toBe(false);
    expect(denied.diedAt?.reason).toContain(
      `${hub.aclId} rule 50 denies ICMP echo request into ${hub.subnetId}`,
    );
    expect(ping(spokeB, hub).answered).toBe(true);
  });
});
