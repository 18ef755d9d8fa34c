/**
 * The Principal and NotPrincipal elements of resource-based policies
 * ("IAM JSON policy elements: Principal"), and how a match counts in the
 * evaluation ("Policy evaluation logic", resource-based policies):
 *
 * - `direct`: the statement names the caller itself — `"*"`, the user ARN,
 *   the role session ARN, or the service principal. Within one account this
 *   grants access even without an identity-based allow.
 * - `role`: the statement names the role behind a session. It grants like
 *   `direct`, but "Resource-based policies that grant permissions to an IAM
 *   role ARN are limited by an implicit deny in a permissions boundary or
 *   session policy".
 * - `account`: the statement names only the account (`arn:aws:iam::ID:root`
 *   or `ID`): "the permissions are delegated to the account", whose
 *   identity-based policies must then allow the request.
 */
import type { PrincipalSpec } from './policy.ts';

/** Who is asking, as policies see it. */
export interface EvalPrincipal {
  type: 'root' | 'user' | 'assumed-role' | 'service';
  /** `arn:aws:iam::ID:root`, `…:user/NAME`, `arn:aws:sts::ID:assumed-role/ROLE/SESSION`, or the service name. */
  arn: string;
  accountId: string;
  /** For role sessions: `arn:aws:iam::ID:role/PATH/NAME`. */
  roleArn?: string;
  /** For AWS services acting for a resource: `sns.amazonaws.com`. */
  service?: string;
}

export type PrincipalMatch = 'direct' | 'role' | 'account';

const STRENGTH: Record<PrincipalMatch, number> = { account: 1, role: 2, direct: 3 };

function stronger(a: PrincipalMatch | undefined, b: PrincipalMatch | undefined): PrincipalMatch | undefined {
  if (!a) return b;
  if (!b) return a;
  return STRENGTH[a] >= STRENGTH[b] ? a : b;
}

function awsValueMatch(value: string, who: EvalPrincipal): PrincipalMatch | undefined {
  if (value === '*') return 'direct';
  if (who.type === 'service') return undefined;
  const account = /^\d{12}$/.test(value) ? value : /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(value)?.[1];
  if (account !== undefined) {
    if (account !== who.accountId) return undefined;
    return who.type === 'root' ? 'direct' : 'account';
  }
  if (value === who.arn) return 'direct';
  if (who.type === 'assumed-role' && value === who.roleArn) return 'role';
  return undefined;
}

/** How a Principal element names `who`, or `undefined` when it does not. */
export function principalMatch(spec: PrincipalSpec, who: EvalPrincipal): PrincipalMatch | undefined {
  if (spec === '*') return 'direct';
  let best: PrincipalMatch | undefined;
  for (const [type, values] of Object.entries(spec)) {
    for (const value of values) {
      if (type === 'AWS') best = stronger(best, awsValueMatch(value, who));
      else if (type === 'Service' && who.type === 'service' && value === who.service) best = 'direct';
    }
  }
  return best;
}

/**
 * A statement's principal clause: Principal names `who`, or NotPrincipal
 * names someone else ("NotPrincipal": everyone except the listed principals).
 * A statement with neither matches nobody, except where `openByDefault`
 * (VPC endpoint policies, whose Principal may be left out).
 */
export function statementPrincipal(
  statement: { principal?: PrincipalSpec; notPrincipal?: PrincipalSpec },
  who: EvalPrincipal,
  openByDefault = false,
): PrincipalMatch | undefined {
  if (statement.principal) return principalMatch(statement.principal, who);
  // NotPrincipal excludes a role session only when it lists the session's own ARN ("NotPrincipal":
  // "specify the ARN of the assumed-role session"); a role or account ARN alone does not exclude it.
  if (statement.notPrincipal)
    return principalMatch(statement.notPrincipal, who) === 'direct' ? undefined : 'direct';
  return openByDefault ? 'direct' : undefined;
}
