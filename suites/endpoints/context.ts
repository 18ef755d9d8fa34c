import { inject } from 'vitest';
import { Lab } from '../../helpers/targets/lab.ts';

/**
 * What every endpoint check file asks of the targets: the lab, the VPCs
 * whose endpoints it intends, and the probe. Made per test file from what
 * the run provides: a run's files share workers.
 */
export function endpointsContext() {
  const lab = new Lab(inject('targets'));
  return {
    lab,
    ids: lab.targets.ids,
    region: lab.targets.region,
    endpointVpcs: lab.targets.endpoints?.vpcs ?? [],
    probe: lab.targets.endpoints?.probe,
    vpcTarget: (name: string) => lab.network.vpcs.find((v) => v.name === name)!,
  };
}
