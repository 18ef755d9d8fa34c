import type { AwsClients } from '../clients.ts';
import { clientsFor, roleAccess } from '../clients.ts';
import type { HostTarget, ResolvedTargets } from './index.ts';
import { vpcOfSubnet } from './view.ts';

/**
 * The resolved targets seen the way tests ask about them: "the clients of
 * the account this host lives in", "the VPC this subnet belongs to". The
 * questions themselves live in `view.ts`, which the drifts ask too.
 */
export class Lab {
  constructor(readonly targets: ResolvedTargets) {}

  clients(accountKey = 'lab'): AwsClients {
    return clientsFor({ region: this.targets.region, ...roleAccess(this.targets.accounts[accountKey]) });
  }

  get network() {
    const net = this.targets.network;
    if (!net) throw new Error('no network in targets');
    return net;
  }

  host(name: string): HostTarget & { instanceId: string } {
    const host = this.network.hosts.find((h) => h.name === name);
    if (!host) throw new Error(`no host ${name} in targets`);
    return { ...host, instanceId: this.targets.ids.instance[name]! };
  }

  /** The VPC (target) a named subnet belongs to. */
  vpcOfSubnet(subnetName: string) {
    const vpc = vpcOfSubnet({ network: this.network }, subnetName);
    if (!vpc) throw new Error(`no subnet ${subnetName} in targets`);
    return vpc;
  }

  subnetIds(subnetName: string): { subnetId: string; vpcId: string } {
    const vpc = this.vpcOfSubnet(subnetName);
    return { subnetId: this.targets.ids.subnet[subnetName]!, vpcId: this.targets.ids.vpc[vpc.name]! };
  }

  accountId(key: string): string {
    return this.targets.accountIds[key]!;
  }
}
