import type {
  InstanceState,
  NetworkInterfaceState,
  SubnetState,
  VpcState,
} from '../../../../twin/services/ec2/model/state.ts';
import type { Twin } from '../../../../twin/twin.ts';
import { ACCOUNT, allOut, icmpFrom, LabBuilder, tcpFrom } from '../network/fixtures.ts';

/**
 * A small lab for Run Command: three VPCs on a Transit Gateway. `a` and
 * `b` reach each other (and the hub), `c` is attached but no route table
 * joins it to `a` or `b` (the deny pair). Each VPC has the ssm,
 * ssmmessages and ec2messages interface endpoints, so agents are Online.
 */
export const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/ssm-agent`;

export interface SsmLab {
  lab: LabBuilder;
  hosts: Record<
    'a' | 'b' | 'c',
    { vpc: VpcState; subnet: SubnetState; instance: InstanceState; eni: NetworkInterfaceState }
  >;
}

function endpointsFor(lab: LabBuilder, vpc: VpcState, subnet: SubnetState): void {
  const sg = lab.securityGroup(vpc, [tcpFrom(vpc.cidr, 443)]);
  for (const service of ['ssm', 'ssmmessages', 'ec2messages'])
    lab.endpoint(vpc, service, { type: 'Interface', subnets: [subnet], groups: [sg] });
}

/** Builds the lab into `twin` (on a ManualClock), or into a fresh twin. */
export function ssmLab(twin?: Twin): SsmLab {
  const lab = new LabBuilder(twin);
  const tgw = lab.transitGateway();
  const make = (second: number) => {
    const vpc = lab.vpc(`10.${second}.0.0/16`);
    const subnet = lab.subnet(vpc, `10.${second}.1.0/24`, 0);
    const sg = lab.securityGroup(vpc, [icmpFrom('10.0.0.0/8'), tcpFrom('10.0.0.0/8', 443), allOut]);
    const { instance, eni } = lab.instance(subnet, `10.${second}.1.10`, [sg], {
      iamInstanceProfileArn: PROFILE_ARN,
      tags: { Name: `host-${second}`, Role: 'app' },
    });
    lab.route(lab.mainTable(vpc), '10.0.0.0/8', { kind: 'transit-gateway', id: tgw.id });
    endpointsFor(lab, vpc, subnet);
    return { vpc, subnet, instance, eni };
  };
  const hosts = { a: make(10), b: make(20), c: make(30) };
  const att = (h: SsmLab['hosts']['a']) => lab.attach(tgw, h.vpc, [h.subnet]);
  const [attA, attB, attC] = [att(hosts.a), att(hosts.b), att(hosts.c)];
  lab.tgwRouteTable(tgw, { associate: [attA, attB], propagate: [attA, attB] });
  lab.tgwRouteTable(tgw, { associate: [attC], propagate: [] });
  return { lab, hosts };
}
