import { readFile } from 'node:fs/promises';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../../helpers/clients.ts';

/** Who the second lab's workloads and its operators are, made with IAM through the SDK. */
export const trust = (principal: object) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  });

export const awsManaged = (name: string) => `arn:aws:iam::aws:policy/${name}`;

export async function createRole(
  { iam }: AwsClients,
  name: string,
  trustedBy: object,
  policies: { managed?: string[]; inline?: object } = {},
): Promise<{ arn: string; id: string }> {
  const { Role } = await iam.send(
    new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust(trustedBy) }),
  );
  for (const PolicyArn of policies.managed ?? [])
    await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn }));
  if (policies.inline)
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: `${name}-inline`,
        PolicyDocument: JSON.stringify(policies.inline),
      }),
    );
  return { arn: Role!.Arn!, id: Role!.RoleId! };
}

/** The nodes' profile: Systems Manager core, nothing else. */
export async function buildNodeProfile(clients: AwsClients): Promise<string> {
  await createRole(
    clients,
    'MeshNodeRole',
    { Service: 'ec2.amazonaws.com' },
    {
      managed: [awsManaged('AmazonSSMManagedInstanceCore')],
    },
  );
  const { InstanceProfile } = await clients.iam.send(
    new CreateInstanceProfileCommand({ InstanceProfileName: 'MeshNodeProfile' }),
  );
  await clients.iam.send(
    new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'MeshNodeProfile', RoleName: 'MeshNodeRole' }),
  );
  return InstanceProfile!.Arn!;
}

/**
 * PlatformAuditRole: meshcheck runs as it, under the shipped runner policy,
 * assumed by the `ci-bot` user whose only right is to assume it (AWS lets
 * no root user assume a role).
 */
export async function buildAuditRole(
  clients: AwsClients,
  accountId: string,
  application: ApplicationNames,
): Promise<{ roleArn: string; ciBot: { accessKeyId: string; secretAccessKey: string } }> {
  const runnerPolicy = ownersRunnerPolicy(
    JSON.parse(await readFile(new URL('../../policies/runner.json', import.meta.url), 'utf8')),
    application,
  );
  const role = await createRole(
    clients,
    'PlatformAuditRole',
    { AWS: `arn:aws:iam::${accountId}:root` },
    {
      inline: runnerPolicy,
    },
  );
  await clients.iam.send(new CreateUserCommand({ UserName: 'ci-bot' }));
  await clients.iam.send(
    new PutUserPolicyCommand({
      UserName: 'ci-bot',
      PolicyName: 'assume-platform-audit',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: role.arn }],
      }),
    }),
  );
  const { AccessKey } = await clients.iam.send(new CreateAccessKeyCommand({ UserName: 'ci-bot' }));
  return {
    roleArn: role.arn,
    ciBot: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
  };
}

/** The names of this lab's application that the shipped runner policy has the reference lab's in place of. */
export interface ApplicationNames {
  writer: string;
  table: string;
}

interface PolicyDocument {
  Statement: { Sid?: string; Resource: string | string[] }[];
}

/**
 * The shipped runner policy as this lab's owner edits it (README, "The runner
 * policy"): the two application statements that name the reference lab's
 * writer and table name this lab's instead. A shipped policy without them is
 * an error here, not a silently unedited policy.
 */
export function ownersRunnerPolicy(shipped: PolicyDocument, names: ApplicationNames): PolicyDocument {
  const edits: Record<string, (resource: string) => string> = {
    ApplicationInvokeTheWriter: (r) => r.replace(/:function:[^:]+$/, `:function:${names.writer}`),
    ApplicationFindTheWritersItems: (r) => r.replace(/:table\/[^/]+$/, `:table/${names.table}`),
  };
  for (const sid of Object.keys(edits))
    if (!shipped.Statement.some((s) => s.Sid === sid))
      throw new Error(`policies/runner.json has no statement ${sid} to point at this lab's application`);
  return {
    ...shipped,
    Statement: shipped.Statement.map((s) => {
      const edit = s.Sid ? edits[s.Sid] : undefined;
      return edit ? { ...s, Resource: [s.Resource].flat().map(edit) } : s;
    }),
  };
}
