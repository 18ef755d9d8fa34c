import { describe } from 'vitest';
import {
  egressDiffs,
  egressLines,
  environmentDiffs,
  getFunctionConfiguration,
  intendedEgressLines,
  placementDiffs,
  placementOf,
  runtimeSupport,
} from '../../helpers/application/functions.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import { egressGroup, egressService, groupKey } from '../../helpers/targets/application.ts';
import { listSecurityGroups } from '../../helpers/vpc.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { applicationContext } from './context.ts';

/**
 * The application's functions, by configuration: where each runs, as whom,
 * on what runtime, and where its security groups let it go.
 */
const { lab, functions, ids } = applicationContext();
const phase8 = (item: string) => seed('mesh', `PHASE 8 — Lambda: ${item}`);
const eachFunction = eachRow(functions, 'no application.functions in targets', (f) => f.name);
type Fn = (typeof functions)[number];

/** Ids as targets name them, so a report says `private-1 (subnet-…)`. */
function namesOf(f: Fn): Record<string, string> {
  const names: Record<string, string> = { [f.vpcId]: f.vpc };
  f.subnets.forEach((s, i) => {
    names[f.subnetIds[i]!] = s;
  });
  for (const [key, id] of Object.entries(ids.securityGroup))
    names[id] = `sg:${key.split('/').slice(1).join('/')}`;
  for (const [service, id] of Object.entries(ids.prefixList)) names[id] = `prefixList:${service}`;
  for (const [name, id] of Object.entries(lab.targets.ids.subnet)) names[id] ??= name;
  return names;
}

const named = (line: string, names: Record<string, string>) =>
  line.replace(/(sg|pl|subnet|vpc)-[0-9a-f]+/g, (id) => (names[id] ? `${names[id]} (${id})` : id));

describe.concurrent('S · The application functions run where, as whom and on what the lab intends', {
  tags: ['config'],
}, () => {
  eachFunction(
    { id: 'S1', seed: phase8('Configure Lambda Networking (VPC): private subnets, both AZs') },
    '$name runs in the intended VPC, subnets (every one, no other) and security groups',
    async (f, { expect, annotate }) => {
      const config = await getFunctionConfiguration(lab.clients(), f.name);
      const placement = placementOf(config);
      const intended = { vpcId: f.vpcId, subnetIds: f.subnetIds, securityGroupIds: f.securityGroupIds };
      const diffs = placementDiffs(intended, placement, namesOf(f));
      await attachEvidence(annotate, 'config', diffs.join('; ') || 'as intended', { intended, placement });
      expect(diffs, `${f.name}'s placement`).toEqual([]);
    },
  );

  eachFunction(
    { id: 'S2', seed: phase8('Create Execution Role; Add Environment Variables') },
    '$name runs as the intended role with the intended environment',
    async (f, { expect, annotate }) => {
      const config = await getFunctionConfiguration(lab.clients(), f.name);
      const env = environmentDiffs(f.environment, config);
      await attachEvidence(
        annotate,
        'config',
        `role ${config.Role}${env.length ? `; ${env.join('; ')}` : ''}`,
        {
          role: config.Role,
          intendedRole: f.roleArn,
          environment: Object.keys(config.Environment?.Variables ?? {}),
          differences: env,
        },
      );
      expect(config.Role, `${f.name}'s execution role`).toBe(f.roleArn);
      expect(env, `${f.name}'s environment`).toEqual([]);
    },
  );

  eachFunction(
    { id: 'S3', seed: phase8('Runtime: Python 3.x (latest available)') },
    "$name's runtime is one AWS still supports",
    async (f, { expect, annotate }) => {
      const config = await getFunctionConfiguration(lab.clients(), f.name);
      const support = runtimeSupport(config.Runtime);
      await attachEvidence(annotate, 'config', support.says, { runtime: config.Runtime, ...support });
      expect(support.supported, `${f.name}: ${support.says}`).toBe(true);
    },
  );

  eachFunction(
    { id: 'S4', seed: phase8('Security group → allow outbound to DynamoDB + S3 endpoints') },
    "$name's security groups allow exactly the intended egress",
    async (f, { expect, annotate, skip }) => {
      if (!f.egress) return skip(`no egress for ${f.name} in targets`);
      const config = await getFunctionConfiguration(lab.clients(), f.name);
      const placement = placementOf(config);
      const names = namesOf(f);
      const idOf = (to: string) =>
        egressService(to) !== undefined
          ? ids.prefixList[egressService(to)!]!
          : ids.securityGroup[groupKey(f.vpc, egressGroup(to)!)]!;
      const intended = intendedEgressLines(f.egress, idOf);
      // Outside a VPC a function's traffic leaves through Lambda's own network, which no group limits
      // ("Giving Lambda functions access to resources in an Amazon VPC", Lambda Developer Guide).
      const actual = placement.vpcId
        ? egressLines(await listSecurityGroups(lab.clients(), placement.securityGroupIds))
        : ['all → anywhere (runs in no VPC: no security group limits it)'];
      const { extra, missing } = egressDiffs(intended, actual);
      await attachEvidence(
        annotate,
        'config',
        [
          ...extra.map((l) => `also ${named(l, names)}`),
          ...missing.map((l) => `lacks ${named(l, names)}`),
        ].join('; ') || 'as intended',
        { intended, actual, groups: placement.securityGroupIds },
      );
      expect(
        extra.map((l) => named(l, names)),
        `${f.name}'s egress beyond the intended`,
      ).toEqual([]);
      expect(
        missing.map((l) => named(l, names)),
        `${f.name}'s intended egress that is missing`,
      ).toEqual([]);
    },
  );
});
