/**
 * The policy simulator behind IAM's SimulatePrincipalPolicy and
 * SimulateCustomPolicy: every action is evaluated against every resource
 * with the same evaluator that authorizes real calls ("Testing IAM policies
 * with the IAM policy simulator"; IAM API Reference, SimulatePrincipalPolicy:
 * "The simulation does not automatically retrieve policies for the
 * specified resources. If you want to include a resource policy in the
 * simulation, then you must include the policy as a string in the
 * ResourcePolicy parameter").
 */
import type { ContextKeys } from './context-keys.ts';
import {
  type EvalDecision,
  type EvalPrincipal,
  evaluate,
  type MatchedStatement,
  type SourcePolicy,
} from './evaluate.ts';
import { arnAccount } from './matching.ts';
import { type Span, statementSpans } from './positions.ts';

export interface SimulationInput {
  /** The simulated caller (CallerArn, or the policy source). */
  principal: EvalPrincipal;
  /** The caller's identity-based policies (an entity's, and/or PolicyInputList). */
  policies: SourcePolicy[];
  actions: string[];
  /** Resource ARNs; `*` when none are given. */
  resources?: string[];
  resourcePolicy?: string;
  /** Account owning resources whose ARN names no account (S3 buckets). */
  resourceOwner?: string;
  context?: ContextKeys;
}

export interface SimulatedStatement extends MatchedStatement {
  span?: Span;
}

export interface SimulationResult {
  action: string;
  resource: string;
  decision: EvalDecision;
  matched: SimulatedStatement[];
  missingContextKeys: string[];
}

/**
 * Key policies and role trust policies decide on their own whether IAM
 * policies count ("Key policies in AWS KMS"; "How IAM roles differ from
 * resource-based policies"), in the simulator as in real calls.
 */
export function requiresResourcePolicy(action: string, resource: string): boolean {
  return (
    /^arn:aws[\w-]*:kms:[^:]*:\d*:key\//.test(resource) ||
    (/^sts:AssumeRole/i.test(action) && /:role\//.test(resource))
  );
}

function withSpans(matched: MatchedStatement[], policies: SourcePolicy[]): SimulatedStatement[] {
  return matched.map((m) => {
    const text = policies.find((p) => p.id === m.policyId && p.kind === m.kind)?.text;
    const span = text ? statementSpans(text)[m.index] : undefined;
    return span ? { ...m, span } : m;
  });
}

/** Evaluates each action on each resource; one result per pair, in request order. */
export function simulate(input: SimulationInput): SimulationResult[] {
  const resourcePolicy: SourcePolicy[] = input.resourcePolicy
    ? [
        {
          kind: 'resource',
          id: 'ResourcePolicy',
          sourceType: 'resource',
          document: input.resourcePolicy,
          text: input.resourcePolicy,
        },
      ]
    : [];
  const policies = [...input.policies, ...resourcePolicy];
  const results: SimulationResult[] = [];
  for (const action of input.actions) {
    for (const resource of input.resources?.length ? input.resources : ['*']) {
      const decision = evaluate({
        principal: input.principal,
        action,
        resource,
        // Without a resource policy only the identity side is simulated, whichever account owns the resource.
        resourceAccount: resourcePolicy.length
          ? (arnAccount(resource) ?? input.resourceOwner ?? input.principal.accountId)
          : input.principal.accountId,
        context: input.context ?? {},
        policies,
        resourcePolicyRequired: resourcePolicy.length > 0 && requiresResourcePolicy(action, resource),
      });
      results.push({
        action,
        resource,
        decision: decision.decision,
        matched: withSpans(decision.matched, policies),
        missingContextKeys: decision.missingContextKeys,
      });
    }
  }
  return results;
}
