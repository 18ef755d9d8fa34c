/**
 * The policy evaluation logic, as a pure function of the request and the
 * policies that apply to it. Sources:
 * - "Policy evaluation logic" and "How AWS enforcement code logic evaluates
 *   requests to allow or deny access" (IAM User Guide): explicit deny
 *   anywhere wins; within one account an allow in an identity-based OR a
 *   resource-based policy suffices, except that "IAM role trust policies and
 *   KMS key policies … must explicitly allow access for principals"; a
 *   resource-based grant to a role ARN is still limited by session policies,
 *   a grant to the session ARN or a user is not.
 * - "Cross-account policy evaluation logic": both the identity-based policy
 *   in the caller's account and the resource-based policy must allow.
 * - KMS "Key policies" / "Default key policy": the statement naming
 *   `arn:aws:iam::ID:root` "allows access to the AWS account and enables IAM
 *   policies"; without it IAM policies grant nothing on the key.
 * - "By default, all requests are implicitly denied with the exception of
 *   the AWS account root user, which has full access."
 * - VPC endpoint policies "do not grant" access but must also allow it.
 * - S3 "How Amazon S3 authorizes a request": the bucket policy and the
 *   caller's IAM policies are evaluated together, as above.
 * - Wording of `because`: "Troubleshooting access denied error messages".
 *
 * Not modelled: permissions boundaries, SCPs and RCPs (a boundary or SCP
 * never limits), S3 ACLs and Block Public Access, federated users.
 */
import { type ContextKeys, RequestKeys } from './context-keys.ts';
import { type PolicyDocument, readPolicyLeniently } from './policy.ts';
import type { EvalPrincipal, PrincipalMatch } from './principals.ts';
import { judgeStatement, type PolicyKind } from './statements.ts';

export type { EvalPrincipal } from './principals.ts';
export type { PolicyKind } from './statements.ts';

/** One policy taking part in a decision. */
export interface SourcePolicy {
  kind: PolicyKind;
  /** How explanations name it: an inline policy's name, a managed policy's ARN, `ResourcePolicy`. */
  id: string;
  /** IAM's SourcePolicyType: `role`, `user`, `aws-managed`, `user-managed`, `resource`, `none`. */
  sourceType?: string;
  document: string | object | PolicyDocument;
  /** Original text, for positions of matched statements. */
  text?: string;
}

export interface EvaluationRequest {
  principal: EvalPrincipal;
  action: string;
  resource: string;
  /** The account owning the resource; the principal's own account when absent. */
  resourceAccount?: string | undefined;
  context?: ContextKeys;
  policies: SourcePolicy[];
  /** KMS key policies and role trust policies: IAM policies alone grant nothing. */
  resourcePolicyRequired?: boolean;
}

export interface MatchedStatement {
  policyId: string;
  kind: PolicyKind;
  sourceType?: string;
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  principalMatch?: PrincipalMatch;
}

export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** What the evaluator concluded, and why, in AWS's own words where AWS has them. */
export interface Decision {
  allowed: boolean;
  decision: EvalDecision;
  /** `because no identity-based policy allows the s3:GetObject action`, or empty when allowed. */
  because: string;
  /** Statements that applied (effect, policy, sid or index), for explanations. */
  matched: MatchedStatement[];
  /** Condition keys read by relevant statements that the request did not carry. */
  missingContextKeys: string[];
}

const DENY_WORDING: Record<PolicyKind, string> = {
  identity: 'with an explicit deny in an identity-based policy',
  resource: 'with an explicit deny in a resource-based policy',
  endpoint: 'with an explicit deny in a VPC endpoint policy',
  // The AWS page prints "a sessions policy", an evident typo; the service says "a session policy".
  session: 'with an explicit deny in a session policy',
};

const NONE_WORDING: Record<PolicyKind, string> = {
  identity: 'identity-based',
  resource: 'resource-based',
  endpoint: 'VPC endpoint',
  session: 'session',
};

function collect(req: EvaluationRequest): { matched: MatchedStatement[]; missing: Set<string> } {
  const keys = new RequestKeys(req.context ?? {});
  const matched: MatchedStatement[] = [];
  const missing = new Set<string>();
  for (const policy of req.policies) {
    const doc: PolicyDocument = readPolicyLeniently(policy.document as string);
    for (const s of doc.statements) {
      const out = judgeStatement(doc, s, policy.kind, { ...req, keys });
      for (const k of out.relevant ? out.missing : []) missing.add(k);
      if (!out.applies) continue;
      matched.push({
        policyId: policy.id,
        kind: policy.kind,
        index: s.index,
        effect: s.effect,
        ...(policy.sourceType && { sourceType: policy.sourceType }),
        ...(s.sid !== undefined && { sid: s.sid }),
        ...(out.principalMatch && { principalMatch: out.principalMatch }),
      });
    }
  }
  return { matched, missing };
}

type Verdict = { allowed: true } | { allowed: false; missing: PolicyKind };

/** The allow logic once no explicit deny applies. */
function judgeAllows(req: EvaluationRequest, matched: MatchedStatement[]): Verdict {
  const allows = (kind: PolicyKind) => matched.some((m) => m.kind === kind && m.effect === 'Allow');
  const present = (kind: PolicyKind) => req.policies.some((p) => p.kind === kind);
  const grant = (how: PrincipalMatch) =>
    matched.some((m) => m.kind === 'resource' && m.effect === 'Allow' && m.principalMatch === how);
  if (present('endpoint') && !allows('endpoint')) return { allowed: false, missing: 'endpoint' };
  // Services acting for a resource have no identity policies: the resource policy alone decides.
  if (req.principal.type === 'service')
    return grant('direct') ? { allowed: true } : { allowed: false, missing: 'resource' };
  const identity = req.principal.type === 'root' || allows('identity');
  const session = !present('session') || allows('session');
  const both: Verdict = !identity
    ? { allowed: false, missing: 'identity' }
    : !session
      ? { allowed: false, missing: 'session' }
      : { allowed: true };
  const resourceAccount = req.resourceAccount ?? req.principal.accountId;
  if (resourceAccount !== req.principal.accountId) {
    return grant('direct') || grant('role') || grant('account')
      ? both
      : { allowed: false, missing: 'resource' };
  }
  if (grant('direct')) return { allowed: true };
  if (grant('role')) return session ? { allowed: true } : { allowed: false, missing: 'session' };
  if (req.resourcePolicyRequired) return grant('account') ? both : { allowed: false, missing: 'resource' };
  return both;
}

const DENY_ORDER: PolicyKind[] = ['identity', 'resource', 'endpoint', 'session'];

/**
 * Decides a request against the policies that apply to it.
 *
 * @example
 *   evaluate({ principal, action: 'kms:Decrypt', resource: keyArn,
 *     policies: [{ kind: 'resource', id: 'key-policy', document }], resourcePolicyRequired: true })
 */
export function evaluate(req: EvaluationRequest): Decision {
  const { matched, missing } = collect(req);
  const missingContextKeys = [...missing];
  const denies = matched.filter((m) => m.effect === 'Deny');
  if (denies.length > 0) {
    const kind = DENY_ORDER.find((k) => denies.some((d) => d.kind === k))!;
    return {
      allowed: false,
      decision: 'explicitDeny',
      because: DENY_WORDING[kind],
      matched: denies,
      missingContextKeys,
    };
  }
  const verdict = judgeAllows(req, matched);
  if (verdict.allowed)
    return { allowed: true, decision: 'allowed', because: '', matched, missingContextKeys };
  return {
    allowed: false,
    decision: 'implicitDeny',
    because: `because no ${NONE_WORDING[verdict.missing]} policy allows the ${req.action} action`,
    matched,
    missingContextKeys,
  };
}
