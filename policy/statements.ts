/**
 * Whether one statement applies to a request: its action clause (Action or
 * NotAction), resource clause (Resource or NotResource), principal clause
 * (resource-based and VPC endpoint policies only) and conditions all hold.
 * "NotAction … matches everything except the specified list of actions";
 * "NotResource … matches every resource except those specified".
 */
import { evaluateConditions } from './conditions.ts';
import type { RequestKeys } from './context-keys.ts';
import { actionMatches, resourceMatches } from './matching.ts';
import { CURRENT_VERSION, type PolicyDocument, type PolicyStatement } from './policy.ts';
import { type EvalPrincipal, type PrincipalMatch, statementPrincipal } from './principals.ts';

export type PolicyKind = 'identity' | 'session' | 'resource' | 'endpoint';

export interface StatementRequest {
  principal: EvalPrincipal;
  action: string;
  resource: string;
  keys: RequestKeys;
}

export interface StatementOutcome {
  /** Action, resource and principal match: the statement is relevant to the request. */
  relevant: boolean;
  /** Relevant and its conditions hold. */
  applies: boolean;
  principalMatch?: PrincipalMatch;
  missing: string[];
}

function actionClause(s: PolicyStatement, action: string): boolean {
  if (s.action) return s.action.some((p) => actionMatches(p, action));
  if (s.notAction) return !s.notAction.some((p) => actionMatches(p, action));
  return false;
}

function resourceClause(
  s: PolicyStatement,
  resource: string,
  kind: PolicyKind,
  vars: RequestKeys['lookup'] | undefined,
): boolean {
  if (s.resource) return s.resource.some((p) => resourceMatches(p, resource, vars));
  if (s.notResource) return !s.notResource.some((p) => resourceMatches(p, resource, vars));
  // Trust policies and some resource policies leave Resource out: it is the resource they are attached to.
  return kind === 'resource' || kind === 'endpoint';
}

/** Evaluates one statement of `doc` (a policy of `kind`) against the request. */
export function judgeStatement(
  doc: PolicyDocument,
  s: PolicyStatement,
  kind: PolicyKind,
  req: StatementRequest,
): StatementOutcome {
  const vars = doc.version === CURRENT_VERSION ? req.keys.lookup : undefined;
  const none: StatementOutcome = { relevant: false, applies: false, missing: [] };
  let principalMatch: PrincipalMatch | undefined;
  if (kind === 'resource' || kind === 'endpoint') {
    principalMatch = statementPrincipal(s, req.principal, kind === 'endpoint');
    if (!principalMatch) return none;
  }
  if (!actionClause(s, req.action) || !resourceClause(s, req.resource, kind, vars)) return none;
  const conditions = evaluateConditions(s.condition, req.keys, vars);
  return {
    relevant: true,
    applies: conditions.holds,
    missing: conditions.missing,
    ...(principalMatch && { principalMatch }),
  };
}
