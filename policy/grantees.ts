/**
 * Everyone a resource-based policy can grant an action to, found by
 * evaluating rather than by reading its text: the candidates come from each
 * Allow statement's Principal (or NotPrincipal), and each is put through the
 * evaluator with the request context a caller could present to satisfy the
 * statement's conditions (policy/satisfy.ts). What each kind of principal
 * means ("IAM JSON policy elements: Principal"):
 *
 * - a role, user or role session ARN: that principal;
 * - an account (`arn:aws:iam::ID:root` or `ID`): "the permissions are
 *   delegated to the account", so any principal of it whose IAM policies
 *   allow the action — tried as an unnamed principal whose IAM allows all;
 * - `"*"` (or NotPrincipal): anyone — tried as an unnamed principal of the
 *   resource's account and of another account (whose IAM allows all);
 * - a service principal: that service, acting for whatever resource the
 *   conditions allow (`aws:SourceAccount`, `aws:SourceArn`);
 * - Federated and CanonicalUser principals are not modelled: they are
 *   reported as granted, never silently dropped.
 */
import type { ContextKeys } from './context-keys.ts';
import { type EvalPrincipal, evaluate, type SourcePolicy } from './evaluate.ts';
import { actionMatches, arnAccount } from './matching.ts';
import { type PolicyStatement, readPolicyLeniently } from './policy.ts';
import { satisfyingContexts } from './satisfy.ts';

export type GranteeKind = 'named' | 'account' | 'anyone' | 'service' | 'unmodelled';

export interface Grantee {
  /** The ARN, `arn:aws:iam::ID:root`, `*`, `everyone except …`, or the service principal. */
  label: string;
  kind: GranteeKind;
  /** The caller tried; absent for principals the evaluator does not model. */
  principal?: EvalPrincipal;
  /** The whole request context under which it was allowed (or the first one tried). */
  context: ContextKeys;
  /** The part of it the statement's conditions asked for (`kms:ViaService`…): what a caller must present. */
  presented: ContextKeys;
  allowed: boolean;
  because: string;
  /** The Allow statement it was found in: its Sid, or its position. */
  statement: string;
}

export interface GranteeQuery {
  policy: string | object;
  action: string;
  resource: string;
  resourceAccount: string;
  /** KMS key policies: IAM policies grant nothing unless the policy delegates to the account. */
  resourcePolicyRequired?: boolean;
  /** An account that is not the resource's, standing for "anyone else". */
  outsider?: string;
  /** Keys every caller presents besides its identity (`aws:SecureTransport`, `kms:CallerAccount`). */
  callerContext?: (p: EvalPrincipal) => ContextKeys;
}

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const UNNAMED = 'meshcheck-unnamed';

/** The identity keys AWS sets from the caller itself; a caller cannot choose them. */
export function identityKeys(p: EvalPrincipal): ContextKeys {
  if (p.type === 'service') return {};
  const type = p.type === 'root' ? 'Account' : p.type === 'user' ? 'User' : 'AssumedRole';
  return {
    'aws:PrincipalAccount': p.accountId,
    'aws:PrincipalArn': p.roleArn ?? p.arn,
    'aws:PrincipalType': type,
  };
}

/** A principal nobody named, in `account`, shaped by what the conditions ask of the caller. */
export function unnamedCaller(account: string, context: ContextKeys): EvalPrincipal {
  const arn = typeof context['aws:PrincipalArn'] === 'string' ? context['aws:PrincipalArn'] : '';
  const type = String(context['aws:PrincipalType'] ?? '');
  if (type === 'Account') return { type: 'root', accountId: account, arn: `arn:aws:iam::${account}:root` };
  if (type === 'User' || /^arn:aws[\w-]*:iam::\d{12}:user\//.test(arn))
    return {
      type: 'user',
      accountId: account,
      arn: arn.includes(':user/') ? arn : `arn:aws:iam::${account}:user/${UNNAMED}`,
    };
  const roleArn = /^arn:aws[\w-]*:iam::\d{12}:role\//.test(arn)
    ? arn
    : `arn:aws:iam::${account}:role/${UNNAMED}`;
  return sessionOf(roleArn, account);
}

function sessionOf(roleArn: string, account: string): EvalPrincipal {
  const name = roleArn.split('/').at(-1);
  return {
    type: 'assumed-role',
    accountId: account,
    arn: `arn:aws:sts::${account}:assumed-role/${name}/meshcheck`,
    roleArn,
  };
}

/** The caller an AWS principal value names, or undefined for a value that names nobody (a deleted principal's id). */
function namedCaller(value: string): EvalPrincipal | undefined {
  const account = arnAccount(value);
  if (!account) return undefined;
  if (/:iam::\d{12}:role\//.test(value)) return sessionOf(value, account);
  if (/:iam::\d{12}:user\//.test(value)) return { type: 'user', accountId: account, arn: value };
  const session = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(value);
  if (session)
    return {
      type: 'assumed-role',
      accountId: account,
      arn: value,
      roleArn: `arn:${session[1]}:iam::${account}:role/${session[3]}`,
    };
  return undefined;
}

interface Candidate {
  label: string;
  kind: GranteeKind;
  /** Callers to try, from one context the conditions allow. */
  callers: (context: ContextKeys) => EvalPrincipal[];
}

function accountOf(value: string): string | undefined {
  return /^\d{12}$/.test(value) ? value : /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(value)?.[1];
}

function candidatesOf(s: PolicyStatement, q: GranteeQuery): Candidate[] {
  const outsider = q.outsider ?? '000000000000';
  const anyone = (label: string): Candidate => ({
    label,
    kind: 'anyone',
    callers: (c) => {
      const account = String(c['aws:PrincipalAccount'] ?? c['kms:CallerAccount'] ?? q.resourceAccount);
      return [
        unnamedCaller(/^\d{12}$/.test(account) ? account : q.resourceAccount, c),
        unnamedCaller(outsider, c),
      ];
    },
  });
  if (s.notPrincipal) return [anyone(`everyone except ${JSON.stringify(s.notPrincipal)}`)];
  if (!s.principal) return [];
  if (s.principal === '*') return [anyone('*')];
  const out: Candidate[] = [];
  for (const [type, values] of Object.entries(s.principal)) {
    for (const value of values) {
      const account = accountOf(value);
      const named = namedCaller(value);
      if (type === 'AWS' && value === '*') out.push(anyone('*'));
      else if (type === 'AWS' && account)
        out.push({
          label: `arn:aws:iam::${account}:root`,
          kind: 'account',
          callers: (c) => [unnamedCaller(account, c)],
        });
      else if (type === 'AWS' && named) out.push({ label: value, kind: 'named', callers: () => [named] });
      else if (type === 'Service')
        out.push({
          label: value,
          kind: 'service',
          callers: () => [{ type: 'service', accountId: q.resourceAccount, arn: value, service: value }],
        });
      else if (type !== 'AWS') out.push({ label: `${type}:${value}`, kind: 'unmodelled', callers: () => [] });
    }
  }
  return out;
}

function statementActs(s: PolicyStatement, action: string): boolean {
  if (s.action) return s.action.some((p) => actionMatches(p, action));
  if (s.notAction) return !s.notAction.some((p) => actionMatches(p, action));
  return false;
}

/** Decides one caller with one context: its IAM allows all where its own account would decide. */
function decide(q: GranteeQuery, caller: EvalPrincipal, kind: GranteeKind, conditionContext: ContextKeys) {
  const ownIam = caller.type !== 'service' && (kind === 'account' || caller.accountId !== q.resourceAccount);
  const policies: SourcePolicy[] = [
    ...(ownIam ? [{ kind: 'identity' as const, id: 'allow-all', document: ALLOW_ALL }] : []),
    { kind: 'resource', id: 'resource-policy', document: q.policy },
  ];
  const context: ContextKeys = {
    ...(caller.type === 'service' && { 'aws:SourceAccount': q.resourceAccount }),
    ...conditionContext,
    ...q.callerContext?.(caller),
    ...identityKeys(caller),
  };
  const d = evaluate({
    principal: caller,
    action: q.action,
    resource: q.resource,
    resourceAccount: q.resourceAccount,
    context,
    policies,
    resourcePolicyRequired: q.resourcePolicyRequired ?? false,
  });
  return { allowed: d.allowed, because: d.because, context };
}

/**
 * Every principal `policy`'s Allow statements can grant `action` on
 * `resource`, each evaluated against the whole policy (its denies included)
 * under the contexts its statement's conditions allow. One entry per
 * principal and statement; `allowed` when any tried context lets it in.
 *
 * @example
 *   granteesOf({ policy: keyPolicy, action: 'kms:Decrypt', resource: keyArn,
 *     resourceAccount: '123456789012', resourcePolicyRequired: true }).filter((g) => g.allowed)
 */
export function granteesOf(q: GranteeQuery): Grantee[] {
  const doc = readPolicyLeniently(q.policy as string);
  const out: Grantee[] = [];
  for (const s of doc.statements) {
    if (s.effect !== 'Allow' || !statementActs(s, q.action)) continue;
    const statement = s.sid ?? `statement ${s.index}`;
    const contexts = satisfyingContexts(s.condition).slice(0, 32);
    for (const c of candidatesOf(s, q)) {
      if (c.kind === 'unmodelled') {
        out.push({
          label: c.label,
          kind: c.kind,
          context: {},
          presented: {},
          allowed: true,
          because: 'not modelled',
          statement,
        });
        continue;
      }
      let best: Grantee | undefined;
      for (const conditionContext of contexts) {
        for (const caller of c.callers(conditionContext)) {
          const d = decide(q, caller, c.kind, conditionContext);
          if (!best || (d.allowed && !best.allowed))
            best = {
              label: c.label,
              kind: c.kind,
              principal: caller,
              statement,
              presented: conditionContext,
              ...d,
            };
        }
        if (best?.allowed) break;
      }
      if (best) out.push(best);
    }
  }
  return out;
}
