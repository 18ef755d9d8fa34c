import type {
  ContextEntry,
  EvaluationResult,
  SimulateCustomPolicyRequest,
  SimulatePolicyResponse,
  SimulatePrincipalPolicyRequest,
  Statement,
} from '@aws-sdk/client-iam';
import type { ContextKeys } from '../../../../policy/context-keys.ts';
import type { EvalPrincipal, SourcePolicy } from '../../../../policy/evaluate.ts';
import { parsePolicy } from '../../../../policy/policy.ts';
import { type SimulatedStatement, type SimulationResult, simulate } from '../../../../policy/simulate.ts';
import type { Handler } from '../../../core/service.ts';
import { invalidInput, noSuchEntity } from '../errors.ts';
import { identityPolicies } from '../model/identity-policies.ts';
import { type IamModel, page } from '../model/index.ts';

/**
 * ContextEntries → request context keys; list types keep every value, the
 * others take the first (IAM API Reference, ContextEntry).
 */
function contextOf(entries: ContextEntry[] | undefined): ContextKeys {
  const keys: ContextKeys = {};
  for (const e of entries ?? []) {
    if (!e.ContextKeyName) continue;
    const values = e.ContextKeyValues ?? [];
    keys[e.ContextKeyName] = e.ContextKeyType?.endsWith('List') ? values : values[0];
  }
  return keys;
}

function inputPolicies(list: string[] | undefined): SourcePolicy[] {
  return (list ?? []).map((text, i) => {
    try {
      parsePolicy(text);
    } catch (err) {
      throw invalidInput(`Invalid policy in PolicyInputList.${i + 1}: ${(err as Error).message}`);
    }
    return { kind: 'identity', id: `PolicyInputList.${i + 1}`, sourceType: 'none', document: text, text };
  });
}

/** A user of this account named by ARN, as CallerArn must be ("You can specify only the ARN of an IAM user"). */
function callerUser(model: IamModel, arn: string): EvalPrincipal {
  const user = [...model.users.values()].find((u) => u.arn === arn);
  if (!user) throw invalidInput(`Invalid CallerArn: ${arn} is not the ARN of an IAM user of this account.`);
  return { type: 'user', arn: user.arn, accountId: model.accountId };
}

function ownerAccount(owner: string | undefined): string | undefined {
  return owner
    ? /^\d{12}$/.test(owner)
      ? owner
      : /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(owner)?.[1]
    : undefined;
}

function statements(matched: SimulatedStatement[]): Statement[] {
  return matched.map((m) => ({
    SourcePolicyId: m.policyId,
    SourcePolicyType: (m.sourceType ?? 'none') as Statement['SourcePolicyType'],
    ...(m.span && { StartPosition: m.span.start, EndPosition: m.span.end }),
  }));
}

function render(r: SimulationResult, perResource: boolean): EvaluationResult {
  const common = { MatchedStatements: statements(r.matched), MissingContextValues: r.missingContextKeys };
  return {
    EvalActionName: r.action,
    EvalResourceName: r.resource,
    EvalDecision: r.decision,
    ...common,
    ...(perResource && {
      EvalDecisionDetails: {},
      ResourceSpecificResults: [
        { EvalResourceName: r.resource, EvalResourceDecision: r.decision, ...common },
      ],
    }),
  };
}

type SimulateInput = SimulatePrincipalPolicyRequest | SimulateCustomPolicyRequest;

function respond(results: SimulationResult[], input: SimulateInput): SimulatePolicyResponse {
  const rendered = results.map((r) => render(r, Boolean(input.ResourceArns?.length)));
  const { items, ...more } = page(rendered, input.Marker, input.MaxItems);
  return { EvaluationResults: items, ...more };
}

/** The policy source: a role or user of this account, with its identity-based policies. */
function source(
  model: IamModel,
  arn: string,
): { principal: EvalPrincipal; policies: SourcePolicy[]; isUser: boolean } {
  const role = [...model.roles.values()].find((r) => r.arn === arn);
  if (role) {
    const principal: EvalPrincipal = { type: 'assumed-role', arn, roleArn: arn, accountId: model.accountId };
    return { principal, policies: identityPolicies(model, role, 'role'), isUser: false };
  }
  const user = [...model.users.values()].find((u) => u.arn === arn);
  if (user)
    return {
      principal: callerUser(model, arn),
      policies: identityPolicies(model, user, 'user'),
      isUser: true,
    };
  throw noSuchEntity(`Entity ${arn} does not exist.`);
}

const CALLER_REQUIRED =
  'CallerArn is required if you include a ResourcePolicy and the PolicySourceArn is not the ARN for an IAM user.';

/** SimulatePrincipalPolicy and SimulateCustomPolicy, driven by the evaluator that authorizes real calls. */
export const simulateHandlers: Record<string, Handler<IamModel>> = {
  SimulatePrincipalPolicy(model, input: SimulatePrincipalPolicyRequest): SimulatePolicyResponse {
    const from = source(model, input.PolicySourceArn ?? '');
    if (input.ResourcePolicy && !input.CallerArn && !from.isUser) throw invalidInput(CALLER_REQUIRED);
    const principal = input.CallerArn ? callerUser(model, input.CallerArn) : from.principal;
    const context: ContextKeys = {
      'aws:PrincipalArn': principal.arn,
      'aws:PrincipalAccount': principal.accountId,
      ...(principal.type === 'user' && { 'aws:username': principal.arn.split('/').at(-1) }),
      ...contextOf(input.ContextEntries),
    };
    const results = simulate({
      principal,
      policies: [...from.policies, ...inputPolicies(input.PolicyInputList)],
      actions: input.ActionNames ?? [],
      resources: input.ResourceArns ?? [],
      context,
      ...(input.ResourcePolicy && { resourcePolicy: input.ResourcePolicy }),
      ...(ownerAccount(input.ResourceOwner) && { resourceOwner: ownerAccount(input.ResourceOwner)! }),
    });
    return respond(results, input);
  },

  SimulateCustomPolicy(model, input: SimulateCustomPolicyRequest): SimulatePolicyResponse {
    if (input.ResourcePolicy && !input.CallerArn) {
      throw invalidInput('CallerArn is required if you include a ResourcePolicy.');
    }
    const principal: EvalPrincipal = input.CallerArn
      ? callerUser(model, input.CallerArn)
      : { type: 'user', arn: `arn:aws:iam::${model.accountId}:user/simulated`, accountId: model.accountId };
    const results = simulate({
      principal,
      policies: inputPolicies(input.PolicyInputList),
      actions: input.ActionNames ?? [],
      resources: input.ResourceArns ?? [],
      context: { 'aws:PrincipalAccount': model.accountId, ...contextOf(input.ContextEntries) },
      ...(input.ResourcePolicy && { resourcePolicy: input.ResourcePolicy }),
      ...(ownerAccount(input.ResourceOwner) && { resourceOwner: ownerAccount(input.ResourceOwner)! }),
    });
    return respond(results, input);
  },
};
