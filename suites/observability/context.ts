import { inject } from 'vitest';
import { Lab } from '../../helpers/targets/lab.ts';
import { flowLogAccount, flowLogResourceId } from '../../helpers/targets/observability.ts';
import { flowLogRow } from '../../helpers/targets/rows.ts';

/**
 * What every observability check file asks of the targets: the lab, its
 * trail (with the ARN it resolved to) and its flow logs as rows (each with
 * its row name, its account and the id of what it watches). Made per test
 * file from what the run provides: a run's files share workers, so nothing
 * here may outlive the file that asked.
 */
export function observabilityContext() {
  const lab = new Lab(inject('targets'));
  const obs = lab.targets.observability;
  const { ids, region } = lab.targets;
  return {
    lab,
    region,
    account: lab.accountId('lab'),
    trail: obs?.trail,
    trailArn: ids.trail!,
    flowLogs: (obs?.flowLogs ?? []).map((f) => ({
      ...f,
      row: flowLogRow(f),
      account: flowLogAccount(lab.targets, f),
      resourceId: flowLogResourceId(ids, f),
    })),
    /** Skips a trail check where targets name no trail. */
    skipWithoutTrail: (skip: (note: string) => never) => {
      if (!obs?.trail) skip('no observability.trail in targets');
    },
  };
}
