import { type ContextEntry, paginateSimulatePrincipalPolicy } from '@aws-sdk/client-iam';
import type { ContextKeys } from '../../policy/context-keys.ts';
import type { AwsClients } from '../clients.ts';
import { CannotTellError, reading } from '../errors.ts';

/**
 * IAM's own answer: SimulatePrincipalPolicy for one resource and the actions
 * asked of it (IAM API Reference, SimulatePrincipalPolicy: "Each operation is
 * evaluated for each resource"; a ResourcePolicy "must be applicable to all of
 * the resources included in the simulation", so one call per resource keeps
 * a bucket's policy with that bucket's ARNs).
 */
export interface IamSimulation {
  /** The role or user whose policies are simulated. */
  sourceArn: string;
  resource: string;
  actions: string[];
  /**
   * The bucket's policy. IAM takes one only with a simulated caller that is
   * an IAM user ("CallerArn is required if you include a ResourcePolicy and
   * the PolicySourceArn is not the ARN for an IAM user … You can specify only
   * the ARN of an IAM user"): so only for a user source, which is its own caller.
   */
  resourcePolicy?: string;
  /**
   * The account owning a resource whose ARN names none (S3), given as its
   * root ARN; "required only if … the account that owns the resource is
   * different from the account that owns the simulated calling user".
   */
  resourceOwner?: string;
  context: ContextKeys;
}

/** IAM's EvalDecision: `allowed`, `explicitDeny` or `implicitDeny`. */
export type IamDecision = string;

/** Request context keys as IAM's ContextEntry list (the types IAM knows: string, boolean, stringList). */
export function contextEntries(context: ContextKeys): ContextEntry[] {
  return Object.entries(context).map(([name, value]) =>
    Array.isArray(value)
      ? { ContextKeyName: name, ContextKeyType: 'stringList', ContextKeyValues: value.map(String) }
      : {
          ContextKeyName: name,
          ContextKeyType: typeof value === 'boolean' ? 'boolean' : 'string',
          ContextKeyValues: [String(value)],
        },
  );
}

/**
 * Every action's decision on the resource, by action (lower case: IAM action
 * names are case-insensitive). All pages are read; an action IAM left out of
 * its answer is something the suite cannot tell.
 *
 * @example
 *   const byAction = await simulateWithIam(clients, { sourceArn: roleArn, resource: tableArn,
 *     actions: ['dynamodb:PutItem', 'dynamodb:GetItem'], context: { 'aws:SecureTransport': true } });
 *   byAction.get('dynamodb:getitem') // → 'implicitDeny'
 */
export async function simulateWithIam(
  clients: AwsClients,
  sim: IamSimulation,
): Promise<Map<string, IamDecision>> {
  const decisions = new Map<string, IamDecision>();
  const what = `simulate ${sim.sourceArn}'s policies on ${sim.resource} with IAM (SimulatePrincipalPolicy)`;
  await reading(what, async () => {
    for await (const page of paginateSimulatePrincipalPolicy(
      { client: clients.iam },
      {
        PolicySourceArn: sim.sourceArn,
        ActionNames: sim.actions,
        ResourceArns: [sim.resource],
        ContextEntries: contextEntries(sim.context),
        ...(sim.resourcePolicy && { ResourcePolicy: sim.resourcePolicy }),
        ...(sim.resourceOwner && { ResourceOwner: sim.resourceOwner }),
      },
    ))
      for (const r of page.EvaluationResults ?? [])
        if (r.EvalActionName && r.EvalDecision) decisions.set(r.EvalActionName.toLowerCase(), r.EvalDecision);
  });
  const missing = sim.actions.filter((a) => !decisions.has(a.toLowerCase()));
  if (missing.length)
    throw new CannotTellError(
      `IAM's simulator gave no decision for ${missing.join(', ')} on ${sim.resource}`,
    );
  return decisions;
}
