import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';
import { type EvalPrincipal, evaluate, type SourcePolicy } from '../../policy/evaluate.ts';
import type { AwsClients } from '../clients.ts';
import { classify, LabDeviationError, reading } from '../errors.ts';

/**
 * A delivery role as IAM holds it — its trust policy and every identity
 * policy (inline and attached) — and what it lets a service do, evaluated
 * with the project's policy engine rather than compared as text.
 */
export interface RolePolicies {
  roleArn: string;
  trust: string;
  identity: SourcePolicy[];
}

/** IAM returns policy documents URL-encoded ("RFC 3986", API_GetRole, API_GetRolePolicy, API_GetPolicyVersion). */
function decoded(document: string | undefined): string {
  const text = document ?? '{}';
  return text.trimStart().startsWith('{') ? text : decodeURIComponent(text);
}

/**
 * @example
 *   const role = await getRolePolicies(clients, trail.CloudWatchLogsRoleArn!);
 *   roleTrusts(role, 'cloudtrail.amazonaws.com', { 'aws:SourceAccount': account });
 */
export async function getRolePolicies(clients: AwsClients, roleArn: string): Promise<RolePolicies> {
  const roleName = roleArn.split('/').at(-1)!;
  const read = <T>(what: string, call: () => Promise<T>) => reading(`${what} of role ${roleName}`, call);
  let role: Awaited<ReturnType<typeof getRole>>;
  try {
    role = await getRole(clients, roleName);
  } catch (error) {
    if (classify(error) === 'not-found') throw new LabDeviationError(`no role ${roleArn}`);
    return read('read', () => Promise.reject(error));
  }
  const identity: SourcePolicy[] = [];
  await read('list the inline policies', async () => {
    for await (const page of paginateListRolePolicies({ client: clients.iam }, { RoleName: roleName }))
      for (const name of page.PolicyNames ?? []) {
        const { PolicyDocument } = await clients.iam.send(
          new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }),
        );
        identity.push({ kind: 'identity', id: name, sourceType: 'role', document: decoded(PolicyDocument) });
      }
  });
  await read('list the attached policies', async () => {
    for await (const page of paginateListAttachedRolePolicies(
      { client: clients.iam },
      { RoleName: roleName },
    ))
      for (const attached of page.AttachedPolicies ?? []) {
        const arn = attached.PolicyArn!;
        const { Policy } = await clients.iam.send(new GetPolicyCommand({ PolicyArn: arn }));
        const { PolicyVersion } = await clients.iam.send(
          new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: Policy!.DefaultVersionId! }),
        );
        identity.push({
          kind: 'identity',
          id: arn,
          sourceType: arn.startsWith('arn:aws:iam::aws:') ? 'aws-managed' : 'user-managed',
          document: decoded(PolicyVersion?.Document),
        });
      }
  });
  return { roleArn: role.Arn!, trust: decoded(role.AssumeRolePolicyDocument), identity };
}

async function getRole(clients: AwsClients, roleName: string) {
  return (await clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!;
}

/**
 * Whether the role's trust policy lets `service` assume it, presenting what
 * the service sends (aws:SourceAccount, aws:SourceArn: "The confused deputy
 * problem"). Trust policies must name the principal themselves ("IAM role
 * trust policies … must explicitly allow access").
 */
export function roleTrusts(
  role: RolePolicies,
  service: string,
  context: Record<string, string>,
): { allowed: boolean; because: string } {
  const account = role.roleArn.split(':')[4]!;
  const d = evaluate({
    principal: { type: 'service', accountId: account, arn: service, service },
    action: 'sts:AssumeRole',
    resource: role.roleArn,
    resourceAccount: account,
    context: { ...context, 'aws:SecureTransport': true },
    policies: [{ kind: 'resource', id: 'trust policy', document: role.trust }],
    resourcePolicyRequired: true,
  });
  return { allowed: d.allowed, because: d.because };
}

/**
 * The requests a session of the role may not make: each `[action, resources]`
 * is allowed when any one of its resources is (a service asks for one ARN;
 * where AWS's pages write it two ways, either is that ARN).
 */
export function roleRefuses(role: RolePolicies, requests: [string, string[]][]): string[] {
  const account = role.roleArn.split(':')[4]!;
  const session: EvalPrincipal = {
    type: 'assumed-role',
    accountId: account,
    arn: `arn:aws:sts::${account}:assumed-role/${role.roleArn.split('/').at(-1)}/delivery`,
    roleArn: role.roleArn,
  };
  return requests
    .filter(
      ([action, resources]) =>
        !resources.some(
          (resource) =>
            evaluate({
              principal: session,
              action,
              resource,
              resourceAccount: account,
              context: { 'aws:SecureTransport': true },
              policies: role.identity,
            }).allowed,
        ),
    )
    .map(([action, resources]) => `${action} on ${resources[0]}`);
}
