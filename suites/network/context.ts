import { inject } from 'vitest';
import { Lab } from '../../helpers/targets/lab.ts';

/**
 * What every network check file asks of the targets: the lab, and its VPCs,
 * subnets (each with its VPC's name, account and routes), hosts and Transit
 * Gateway as rows. Made per test file from what the run provides: a run's
 * files share workers, so nothing here may outlive the file that asked.
 */
export function networkContext() {
  const lab = new Lab(inject('targets'));
  const net = lab.targets.network;
  const vpcs = net?.vpcs ?? [];
  return {
    lab,
    net,
    ids: lab.targets.ids,
    vpcs,
    subnets: vpcs.flatMap((vpc) =>
      vpc.subnets.map((s) => ({
        ...s,
        subnet: s.name,
        vpc: vpc.name,
        account: vpc.account,
        routes: vpc.routes,
      })),
    ),
    hosts: net?.hosts ?? [],
    tgw: net?.transitGateway,
  };
}
