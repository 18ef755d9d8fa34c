import type { ContextKeys } from '../policy/context-keys.ts';
import { type Grantee, granteesOf } from '../policy/grantees.ts';

export type { Grantee } from '../policy/grantees.ts';

import { kmsCallerKeys, type NamedPrincipal, OUTSIDER } from './policies.ts';

/**
 * "Only" checks: everyone a policy lets do something, evaluated
 * (policy/grantees.ts), held against the principals targets intend. A
 * grant to anyone targets do not name fails, named in the report.
 */

/** The targets principal a grantee is, if any: the same role, user or service. */
export function intendedAs(grantee: Grantee, intended: NamedPrincipal[]): NamedPrincipal | undefined {
  const p = grantee.principal;
  if (!p || (grantee.kind !== 'named' && grantee.kind !== 'service')) return undefined;
  // A service principal's ARN is its name (`sns.amazonaws.com`), so services match like users.
  return intended.find((i) =>
    p.roleArn ? i.principal.roleArn === p.roleArn : i.principal.type === p.type && i.principal.arn === p.arn,
  );
}

/** How a report names a grantee: who, through which statement, presenting what. */
export function describeGrantee(g: Grantee): string {
  const who =
    g.kind === 'account'
      ? `any IAM principal of account ${g.label.split(':')[4]} its IAM policies allow (${g.label})`
      : g.kind === 'anyone'
        ? `anyone (${g.label})`
        : g.label;
  const presented = Object.entries(g.presented).map(([k, v]) => `${k} = ${String(v)}`);
  return `${who}, by ${g.statement}${presented.length ? ` when ${presented.join(' and ')}` : ''}`;
}

/** Every principal a key policy can grant `action`, each evaluated. */
export function keyPolicyGrantees(policy: string, keyArn: string, action: string): Grantee[] {
  return granteesOf({
    // No policy text (or none that parses) grants nobody.
    policy,
    action,
    resource: keyArn,
    resourceAccount: keyArn.split(':')[4]!,
    resourcePolicyRequired: true,
    outsider: OUTSIDER,
    callerContext: kmsCallerKeys,
  });
}

/** Every principal a topic, queue or bucket policy can grant `action` on `resource`, each evaluated. */
export function resourcePolicyGrantees(
  policy: string,
  request: { action: string; resource: string; resourceAccount: string; context?: ContextKeys },
): Grantee[] {
  return granteesOf({
    policy,
    ...request,
    outsider: OUTSIDER,
    callerContext: () => ({ 'aws:SecureTransport': true, ...request.context }),
  });
}

/**
 * The grantees allowed that targets do not intend, as report lines. `also`
 * accepts a grantee on other grounds (a service acting for the intended
 * resource).
 *
 * @example
 *   unintendedGrantees(keyPolicyGrantees(policy, arn, 'kms:Decrypt'), allowed)
 *   // → ['arn:aws:iam::123456789012:role/Other, by KeyUsers']
 */
export function unintendedGrantees(
  grantees: Grantee[],
  intended: NamedPrincipal[],
  also?: (g: Grantee) => boolean,
): string[] {
  const lines = grantees
    .filter((g) => g.allowed && !also?.(g) && !intendedAs(g, intended))
    .map(describeGrantee);
  return [...new Set(lines)];
}
