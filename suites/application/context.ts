import { inject } from 'vitest';
import { namedPrincipal } from '../../helpers/policies.ts';
import { type ApplicationIds, groupKey } from '../../helpers/targets/application.ts';
import { Lab } from '../../helpers/targets/lab.ts';

/**
 * What every application check file asks of the targets: the lab, its
 * application intent, the ids it resolved to (helpers/targets/application.ts)
 * and the principals policies are evaluated for. Made per test file from
 * what the run provides: a run's files share workers, so nothing here may
 * outlive the file that asked.
 */
export function applicationContext() {
  const lab = new Lab(inject('targets'));
  const { ids, region, runner } = lab.targets;
  const account = lab.accountId('lab');
  const app = lab.targets.application;
  const appIds: ApplicationIds = ids.application ?? {
    function: {},
    table: {},
    securityGroup: {},
    prefixList: {},
  };
  return {
    lab,
    app,
    region,
    account,
    ids: appIds,
    /** The functions targets name, each with what it resolved to. */
    functions: (app?.functions ?? []).map((f) => ({
      ...f,
      arn: appIds.function[f.name]!,
      roleArn: ids.role[f.role]!,
      vpcId: ids.vpc[f.vpc]!,
      subnetIds: f.subnets.map((s) => ids.subnet[s]!),
      securityGroupIds: f.securityGroups.map((g) => appIds.securityGroup[groupKey(f.vpc, g)]!),
    })),
    tables: (app?.tables ?? []).map((t) => ({ ...t, arn: appIds.table[t.name]! })),
    buckets: app?.buckets ?? [],
    /** A targets principal (`runner`, `role:NAME`, `service:NAME`) as the policy evaluator sees it. */
    who: (ref: string) => namedPrincipal(ref, { accountId: account, runner, roleArns: ids.role }),
    /** A key alias targets name → its ARN. */
    keyArn: (alias: string) => ids.key[alias],
  };
}

export type ApplicationContext = ReturnType<typeof applicationContext>;
