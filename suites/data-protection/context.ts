import { inject } from 'vitest';
import { namedPrincipal } from '../../helpers/policies.ts';
import { Lab } from '../../helpers/targets/lab.ts';

/**
 * What every data-protection check file asks of the targets: the lab, its
 * data-protection intent, and the principals the policies are evaluated for.
 * Made per test file from what the run provides: workers are shared by the
 * files of a run (the conformance project does not isolate them), so
 * nothing here may outlive the file that asked.
 */
export function dataProtectionContext() {
  const lab = new Lab(inject('targets'));
  const { ids, runner, region } = lab.targets;
  const account = lab.targets.accountIds.lab!;
  const dp = lab.targets.dataProtection;
  const sourceArns = { 'sns.amazonaws.com': ids.topicArn ?? '' };
  return {
    lab,
    dp,
    ids,
    runner,
    region,
    account,
    who: (ref: string) => namedPrincipal(ref, { accountId: account, runner, roleArns: ids.role, sourceArns }),
    keyArn: (alias: string) => ids.key[alias]!,
    skipWithout: (skip: (note: string) => never) => {
      if (!dp) skip('no dataProtection in targets');
    },
  };
}
