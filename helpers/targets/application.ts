import { DescribePrefixListsCommand, DescribeSecurityGroupsCommand, type Filter } from '@aws-sdk/client-ec2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../clients.ts';
import { reading } from '../errors.ts';
import { allPages, exactlyNamed, type Found, picker } from './lookup.ts';
import { absentAs } from './observability.ts';
import type { Clients, ResolvedTargets } from './resolve.ts';
import type { Targets } from './schema.ts';
import type { AppFunctionTarget } from './schema-application.ts';

/**
 * Resolves the application part of targets (suites/application, ids S…):
 * each function to its ARN, its role to the ARN IAM knows, its security
 * groups (and those its egress names) to ids in its VPC, the AWS services
 * its egress names to their prefix lists in the lab's Region, and the
 * buckets to ones that exist here. A name AWS does not know stops the run
 * (exit 2) naming the field; an answer the runner may not read is "cannot
 * tell" (exit 3), never "absent". Tables are not looked up: that a table
 * exists, with the intended keys, is itself a check (S5).
 */
export interface ApplicationIds {
  /** Function name → its ARN. */
  function: Record<string, string>;
  /** Table name → its ARN, made from the name (DynamoDB's ARN format: Service Authorization Reference). */
  table: Record<string, string>;
  /** `VPC name/group as targets name it` → the group's id (a name is only unique within a VPC). */
  securityGroup: Record<string, string>;
  /** AWS service (`s3`, `dynamodb`) → the id of its AWS-managed prefix list in the lab's Region. */
  prefixList: Record<string, string>;
}

/** The key of a function's security group (or an egress rule's `sg:NAME`) in ApplicationIds.securityGroup. */
export const groupKey = (vpc: string, group: string) => `${vpc}/${group}`;

/** The security group an egress rule names (`sg:NAME`), or undefined for a CIDR or prefix list. */
export const egressGroup = (to: string) => (to.startsWith('sg:') ? to.slice(3) : undefined);

/** The AWS service an egress rule's prefix list stands for (`prefixList:s3` → `s3`). */
export const egressService = (to: string) =>
  to.startsWith('prefixList:') ? to.slice('prefixList:'.length) : undefined;

export async function resolveApplication(
  targets: Targets,
  clients: Clients,
  ids: ResolvedTargets['ids'],
  accountIds: Record<string, string>,
  problems: string[],
): Promise<void> {
  const app = targets.application!;
  const lab = clients('lab');
  const out: ApplicationIds = { function: {}, table: {}, securityGroup: {}, prefixList: {} };
  ids.application = out;
  for (const t of app.tables)
    out.table[t.name] = `arn:aws:dynamodb:${targets.region}:${accountIds.lab}:table/${t.name}`;
  const pick = picker(problems, accountIds, targets.region);
  const where = (account: string) => `in account ${accountIds[account]} (${targets.region})`;
  for (const [i, f] of app.functions.entries()) {
    const account = accountOf(targets, f);
    const field = `application.functions[${i}]`;
    const fn = await absentAs(
      problems,
      { field: `${field}.name`, what: `Lambda function "${f.name}"`, where: where(account) },
      () => clients(account).lambda.send(new GetFunctionConfigurationCommand({ FunctionName: f.name })),
    );
    if (fn) out.function[f.name] = fn.FunctionArn!;
    await resolveRole(clients(account), ids, f.role, `${field}.role`, where(account), problems);
    const vpcId = ids.vpc[f.vpc]!;
    const groups = [
      ...f.securityGroups.map((g, j) => [`${field}.securityGroups[${j}]`, g] as const),
      ...(f.egress ?? []).flatMap((e, j) => {
        const g = egressGroup(e.to);
        return g ? [[`${field}.egress[${j}].to`, g] as const] : [];
      }),
    ];
    for (const [path, group] of groups) {
      if (out.securityGroup[groupKey(f.vpc, group)]) continue;
      const found = await findSecurityGroups(clients(account), vpcId, group);
      const id = pick(path, `security group in ${f.vpc}`, group, account, found);
      if (id) out.securityGroup[groupKey(f.vpc, group)] = id;
    }
  }
  const services = new Set(
    app.functions.flatMap((f) => (f.egress ?? []).flatMap((e) => egressService(e.to) ?? [])),
  );
  for (const service of services) {
    const id = await findPrefixList(lab, targets.region, service);
    if (id) out.prefixList[service] = id;
    else problems.push(`application.functions: no prefix list for ${service} ${where('lab')}`);
  }
  // The roles a bucket admits: a policy names a role by its ARN, path included ("IAM identifiers").
  for (const [i, b] of app.buckets.entries())
    for (const [j, ref] of b.admits.entries())
      if (ref.startsWith('role:'))
        await resolveRole(
          lab,
          ids,
          ref.slice(5),
          `application.buckets[${i}].admits[${j}]`,
          where('lab'),
          problems,
        );
  await resolveKeys(lab, targets, ids, where('lab'), problems);
}

/** The account key a function lives in: its VPC's. */
function accountOf(targets: Targets, f: Pick<AppFunctionTarget, 'vpc'>): string {
  return targets.network?.vpcs.find((v) => v.name === f.vpc)?.account ?? 'lab';
}

/** A role by name or ARN → `ids.role[ref]`; an ARN must be the one IAM holds under its name. */
async function resolveRole(
  clients: AwsClients,
  ids: ResolvedTargets['ids'],
  ref: string,
  field: string,
  where: string,
  problems: string[],
): Promise<void> {
  if (ids.role[ref]) return;
  // An ARN's last path segment is the role's name ("IAM identifiers").
  const name = ref.startsWith('arn:') ? ref.split('/').at(-1)! : ref;
  const role = await absentAs(problems, { field, what: `role "${ref}"`, where }, () =>
    clients.iam.send(new GetRoleCommand({ RoleName: name })),
  );
  if (!role) return;
  if (ref.startsWith('arn:') && role.Role!.Arn !== ref)
    problems.push(`${field}: the role named "${name}" ${where} is ${role.Role!.Arn}, not ${ref}`);
  else ids.role[ref] = role.Role!.Arn!;
}

/** Security groups of a VPC by id, else by Name tag, else by group name (the console shows either). */
export async function findSecurityGroups(
  clients: AwsClients,
  vpcId: string,
  group: string,
): Promise<Found[]> {
  const inVpc: Filter = { Name: 'vpc-id', Values: [vpcId] };
  const byId = /^sg-[0-9a-f]+$/.test(group);
  const lookups: Filter[] = byId
    ? [{ Name: 'group-id', Values: [group] }]
    : [
        { Name: 'tag:Name', Values: [group] },
        { Name: 'group-name', Values: [group] },
      ];
  for (const filter of lookups) {
    const found = await reading(`look up security group ${group}`, () =>
      allPages((NextToken) =>
        clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [filter, inVpc], NextToken })),
      ).then((pages) =>
        pages
          .flatMap((o) => o.SecurityGroups ?? [])
          .map((g) => ({
            id: g.GroupId!,
            tags: g.Tags,
            name: filter.Name === 'group-name' ? g.GroupName : undefined,
          })),
      ),
    );
    const named = byId ? found : found.filter((f) => exactlyNamed(f, group));
    if (named.length) return named;
  }
  return [];
}

/**
 * The AWS-managed prefix list of a gateway-endpoint service, named
 * `com.amazonaws.<region>.<service>` ("DescribePrefixLists: … the prefix
 * list name and prefix list ID of the service", EC2 API Reference).
 */
async function findPrefixList(
  clients: AwsClients,
  region: string,
  service: string,
): Promise<string | undefined> {
  const name = `com.amazonaws.${region}.${service}`;
  const pages = await reading(`look up the prefix list ${name}`, () =>
    allPages((NextToken) =>
      clients.ec2.send(
        new DescribePrefixListsCommand({
          Filters: [{ Name: 'prefix-list-name', Values: [name] }],
          NextToken,
        }),
      ),
    ),
  );
  return pages.flatMap((p) => p.PrefixLists ?? []).find((p) => p.PrefixListName === name)?.PrefixListId;
}

/** Customer managed keys the buckets and tables name, by alias → `ids.key[alias]`. */
async function resolveKeys(
  lab: AwsClients,
  targets: Targets,
  ids: ResolvedTargets['ids'],
  where: string,
  problems: string[],
): Promise<void> {
  const app = targets.application!;
  const aliases: [string, string][] = [
    ...app.buckets.flatMap((b, i): [string, string][] =>
      typeof b.encryption === 'object' && b.encryption.key
        ? [[`application.buckets[${i}].encryption.key`, b.encryption.key]]
        : [],
    ),
    ...app.tables.flatMap((t, i): [string, string][] =>
      typeof t.encryption === 'object' ? [[`application.tables[${i}].encryption.key`, t.encryption.key]] : [],
    ),
  ];
  for (const [field, alias] of aliases) {
    if (ids.key[alias]) continue;
    const key = await absentAs(problems, { field, what: `KMS key ${alias}`, where }, () =>
      lab.kms.send(new DescribeKeyCommand({ KeyId: alias })),
    );
    if (key) ids.key[alias] = key.KeyMetadata!.Arn!;
  }
}
