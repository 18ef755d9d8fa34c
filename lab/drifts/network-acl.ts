import { CreateNetworkAclEntryCommand, DescribeNetworkAclsCommand } from '@aws-sdk/client-ec2';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';
import { hostsIn, hubAttachment, spokeOfHub, vpcOf } from '../../helpers/targets/view.ts';
import { reachRow } from './lab-view.ts';
import type { Drift, Operator } from './types.ts';

/**
 * Network ACL drifts, made through the public API as an operator makes them
 * (`aws ec2 create-network-acl-entry`). Rules are evaluated from the lowest
 * number up and the first match decides; ACLs are stateless, so a deny of
 * ICMP from a range also stops the echo replies that range sends back
 * (docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html). Traffic out of
 * a Transit Gateway meets the destination subnet's inbound rules
 * (docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html).
 */

/** The hub's first host, the spoke whose VPC range is denied, and that range. */
function parties(lab: ResolvedTargets) {
  const hub = hubAttachment(lab);
  const { spoke } = spokeOfHub(lab) ?? {};
  if (!hub || !spoke) return undefined;
  const hubHost = lab.network!.hosts.find((h) => vpcOf(lab, h.name) === hub.vpc);
  const spokeVpc = lab.network!.vpcs.find((v) => v.name === spoke.vpc);
  if (!hubHost || !spokeVpc || !hostsIn(lab, spoke.vpc).length) return undefined;
  return { hubVpc: hub.vpc, hubHost, spokeVpc };
}

/** The ACL of a subnet, as DescribeNetworkAcls finds it by association. */
async function aclOfSubnet(op: Operator, account: string, subnetId: string) {
  const { NetworkAcls } = await op(account).ec2.send(
    new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
  );
  return NetworkAcls![0]!;
}

export const hubAclDeniesSpokeIcmp: Drift = {
  id: 'net-acl-hub-denies-spoke-icmp',
  says: "the network ACL of the hub host's subnet denies ICMP from one spoke's range at a low rule number",
  appliesTo: (lab) => {
    const p = parties(lab);
    return Boolean(
      p &&
        lab.network!.reachability.some(
          (r) =>
            r.expect === 'allow' &&
            r.protocol === 'icmp' &&
            [r.from, r.to].some((h) => vpcOf(lab, h) === p.spokeVpc.name),
        ),
    );
  },
  async breaks(lab, op) {
    const { hubVpc, hubHost, spokeVpc } = parties(lab)!;
    const acl = await aclOfSubnet(op, hubHost.account, lab.ids.subnet[hubHost.subnet]!);
    const underAcl = new Set(
      (acl.Associations ?? []).map((a) => a.SubnetId).filter((s): s is string => Boolean(s)),
    );
    const filtered = (host: string) => {
      const h = lab.network!.hosts.find((x) => x.name === host)!;
      return vpcOf(lab, host) === hubVpc && underAcl.has(lab.ids.subnet[h.subnet]!);
    };
    const inSpoke = (host: string) => vpcOf(lab, host) === spokeVpc.name;
    // Both ways: the spoke's echo requests are denied on the way in; its echo replies to the hub too.
    return lab
      .network!.reachability.filter(
        (r) =>
          r.expect === 'allow' &&
          r.protocol === 'icmp' &&
          ((inSpoke(r.from) && filtered(r.to)) || (inSpoke(r.to) && filtered(r.from))),
      )
      .map(reachRow);
  },
  async apply(lab, op) {
    const { hubHost, spokeVpc } = parties(lab)!;
    const acl = await aclOfSubnet(op, hubHost.account, lab.ids.subnet[hubHost.subnet]!);
    const taken = new Set((acl.Entries ?? []).filter((e) => !e.Egress).map((e) => e.RuleNumber));
    const ruleNumber = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].find((n) => !taken.has(n))!;
    await op(hubHost.account).ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: acl.NetworkAclId,
        RuleNumber: ruleNumber,
        Protocol: 'icmp',
        RuleAction: 'deny',
        Egress: false,
        CidrBlock: spokeVpc.cidr,
        IcmpTypeCode: { Type: -1, Code: -1 },
      }),
    );
  },
};

export const aclDrifts: Drift[] = [hubAclDeniesSpokeIcmp];
