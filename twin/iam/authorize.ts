/**
 * The authorize step of every call: gathers the policies that apply to the
 * request — the caller's identity-based policies from the IAM model (a
 * role's inline and attached managed policies for its sessions, a user's
 * own; the root user has none and needs none), the session policy, the
 * resource's policy, the VPC endpoint's policy — builds the request context
 * and evaluates it ("Policy evaluation logic", IAM User Guide).
 */

import { type Decision, type EvalPrincipal, evaluate, type SourcePolicy } from '../../policy/evaluate.ts';
import { arnAccount } from '../../policy/matching.ts';
import type { Principal } from '../core/principal.ts';
import type { AuthorizationRequest } from '../core/service.ts';
import { principalTags, rolePolicies, userPolicies } from '../services/iam/lookups.ts';
import type { Twin } from '../twin.ts';
import { type CallFacts, globalKeys } from './request-context.ts';

export type { Decision } from '../../policy/evaluate.ts';
export type { CallFacts } from './request-context.ts';

/** The caller as policies see it. */
export function evalPrincipal(p: Principal): EvalPrincipal {
  switch (p.kind) {
    case 'assumed-role':
      return { type: 'assumed-role', arn: p.arn, accountId: p.accountId, roleArn: p.roleArn };
    case 'service':
      return { type: 'service', arn: p.arn, accountId: p.accountId, service: p.service };
    default:
      return { type: p.kind, arn: p.arn, accountId: p.accountId };
  }
}

/** Identity-based and session policies of the caller, read from IAM now (changes apply to the next call). */
export function callerPolicies(twin: Twin, p: Principal): SourcePolicy[] {
  if (p.kind === 'user') return userPolicies(twin, p.arn);
  if (p.kind !== 'assumed-role') return [];
  const session: SourcePolicy[] = p.sessionPolicy
    ? [
        {
          kind: 'session',
          id: 'SessionPolicy',
          sourceType: 'none',
          document: p.sessionPolicy,
          text: p.sessionPolicy,
        },
      ]
    : [];
  return [...rolePolicies(twin, p.roleArn), ...session];
}

/**
 * Decides whether `principal` may make `request`. Services acting for a
 * resource (principal kind `service`) are judged by the resource policy
 * alone, with aws:SourceArn / aws:SourceAccount from `request.context`.
 */
export function decide(
  twin: Twin,
  principal: Principal,
  request: AuthorizationRequest,
  facts: CallFacts,
): Decision {
  const policies = callerPolicies(twin, principal);
  if (request.resourcePolicy) {
    const text = request.resourcePolicy;
    policies.push({ kind: 'resource', id: 'ResourcePolicy', sourceType: 'resource', document: text, text });
  }
  if (facts.endpointPolicy) {
    policies.push({
      kind: 'endpoint',
      id: 'VpcEndpointPolicy',
      sourceType: 'none',
      document: facts.endpointPolicy,
    });
  }
  const tagsOf =
    principal.kind === 'assumed-role' ? principal.roleArn : principal.kind === 'user' ? principal.arn : '';
  const context = {
    ...globalKeys(principal, facts, tagsOf ? principalTags(twin, tagsOf) : []),
    ...request.context,
  };
  return evaluate({
    principal: evalPrincipal(principal),
    action: request.action,
    resource: request.resource,
    resourceAccount: request.resourceAccount ?? arnAccount(request.resource),
    context,
    policies,
    ...(request.resourcePolicyRequired && { resourcePolicyRequired: true }),
  });
}
