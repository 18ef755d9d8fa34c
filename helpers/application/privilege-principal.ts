import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  paginateListAttachedUserPolicies,
  paginateListUserPolicies,
} from '@aws-sdk/client-iam';
import type { EvalPrincipal, SourcePolicy } from '../../policy/evaluate.ts';
import type { AwsClients } from '../clients.ts';
import { classify, LabDeviationError, reading } from '../errors.ts';
import { getRolePolicies } from '../observability/roles.ts';

/**
 * A principal a least-privilege matrix is about, as IAM holds it: its ARN
 * (PolicySourceArn for IAM's simulator), the caller our evaluator stands in
 * for it (a session of the role, or the user), and every identity-based
 * policy it has (inline and attached), read through IAM.
 *
 * Not read: a user's group policies and any permissions boundary. IAM's
 * simulator includes both ("Testing IAM policies with the IAM policy
 * simulator"), so where they change an answer the two evaluations disagree
 * and the check errors — never a pass our side alone would give.
 */
export interface PrincipalPolicies {
  kind: 'role' | 'user';
  /** The role's or user's ARN as IAM returns it (with its path). */
  arn: string;
  caller: EvalPrincipal;
  identity: SourcePolicy[];
  /** A role's trust policy. */
  trust?: string;
}

/** `role:NAME`, `user:NAME`, a role name or a role ARN (targets' spellings) → kind and name. */
export function principalRef(ref: string): { kind: 'role' | 'user'; name: string } {
  if (ref.startsWith('user:')) return { kind: 'user', name: ref.slice('user:'.length) };
  if (ref.startsWith('role:')) return { kind: 'role', name: ref.slice('role:'.length) };
  if (ref.startsWith('arn:'))
    return { kind: ref.includes(':user/') ? 'user' : 'role', name: ref.split('/').at(-1)! };
  return { kind: 'role', name: ref };
}

/** The session of a role our evaluator stands for the role: what a service or a person acting as it presents. */
export function roleSession(roleArn: string): EvalPrincipal {
  return {
    type: 'assumed-role',
    accountId: roleArn.split(':')[4]!,
    arn: roleArn.replace(':iam:', ':sts:').replace(/:role\/(?:.*\/)?([^/]+)$/, ':assumed-role/$1/meshcheck'),
    roleArn,
  };
}

/**
 * @example
 *   const writer = await getPrincipalPolicies(clients, 'OrderWriterRole', account);
 *   const operator = await getPrincipalPolicies(clients, 'user:lab-operator', account);
 */
export async function getPrincipalPolicies(
  clients: AwsClients,
  ref: string,
  accountId: string,
): Promise<PrincipalPolicies> {
  const { kind, name } = principalRef(ref);
  if (kind === 'role') {
    const role = await getRolePolicies(clients, `arn:aws:iam::${accountId}:role/${name}`);
    return {
      kind,
      arn: role.roleArn,
      caller: roleSession(role.roleArn),
      identity: role.identity,
      trust: role.trust,
    };
  }
  return getUserPolicies(clients, name);
}

/** IAM returns policy documents URL-encoded (API_GetUserPolicy, API_GetPolicyVersion). */
function decoded(document: string | undefined): string {
  const text = document ?? '{}';
  return text.trimStart().startsWith('{') ? text : decodeURIComponent(text);
}

async function getUserPolicies(clients: AwsClients, userName: string): Promise<PrincipalPolicies> {
  const read = <T>(what: string, call: () => Promise<T>) => reading(`${what} of user ${userName}`, call);
  let arn: string;
  try {
    arn = (await clients.iam.send(new GetUserCommand({ UserName: userName }))).User!.Arn!;
  } catch (error) {
    if (classify(error) === 'not-found') throw new LabDeviationError(`no IAM user ${userName}`);
    return read('read', () => Promise.reject(error));
  }
  const identity: SourcePolicy[] = [];
  await read('list the inline policies', async () => {
    for await (const page of paginateListUserPolicies({ client: clients.iam }, { UserName: userName }))
      for (const policyName of page.PolicyNames ?? []) {
        const { PolicyDocument } = await clients.iam.send(
          new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName }),
        );
        identity.push({
          kind: 'identity',
          id: policyName,
          sourceType: 'user',
          document: decoded(PolicyDocument),
        });
      }
  });
  await read('list the attached policies', async () => {
    for await (const page of paginateListAttachedUserPolicies(
      { client: clients.iam },
      { UserName: userName },
    ))
      for (const attached of page.AttachedPolicies ?? []) {
        const policyArn = attached.PolicyArn!;
        const { Policy } = await clients.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
        const { PolicyVersion } = await clients.iam.send(
          new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: Policy!.DefaultVersionId! }),
        );
        identity.push({
          kind: 'identity',
          id: policyArn,
          sourceType: policyArn.startsWith('arn:aws:iam::aws:') ? 'aws-managed' : 'user-managed',
          document: decoded(PolicyVersion?.Document),
        });
      }
  });
  return { kind: 'user', arn, caller: { type: 'user', accountId: arn.split(':')[4]!, arn }, identity };
}
