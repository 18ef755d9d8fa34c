import type { ContextKeys } from '../../policy/context-keys.ts';
import { type EvalDecision, evaluate, type SourcePolicy } from '../../policy/evaluate.ts';
import { identityKeys } from '../../policy/grantees.ts';
import { arnAccount } from '../../policy/matching.ts';
import type { AwsClients } from '../clients.ts';
import { getBucketPolicy } from '../data-protection.ts';
import { CannotTellError } from '../errors.ts';
import type { EntitlementTarget } from '../targets/index.ts';
import { type IamDecision, simulateWithIam } from './privilege-iam.ts';
import {
  bucketOf,
  describePair,
  expandMatrix,
  type MatrixLab,
  otherName,
  type PrivilegePair,
} from './privilege-matrix.ts';
import { getPrincipalPolicies, type PrincipalPolicies } from './privilege-principal.ts';
import { grantsWithin } from './privilege-wildcards.ts';

/**
 * Least privilege, decided twice: every pair of a matrix goes to IAM's own
 * SimulatePrincipalPolicy and to the project's evaluator (policy/) over the
 * same policies read through IAM. Where both answer the same question and
 * disagree, the suite cannot tell which is right: an error naming both
 * answers, never a pass.
 *
 * A role's bucket policy: IAM's simulator takes a resource policy only with
 * an IAM user as the simulated caller (see IamSimulation.resourcePolicy), and a
 * user stand-in is not the role the bucket policy names. So for a role the
 * two agree on the identity side, and the bucket policy's part — an explicit
 * deny, or a grant naming the role — is added by our evaluator alone (S3
 * User Guide, "How Amazon S3 authorizes a request": within one account an
 * allow in the bucket policy or the caller's IAM policies suffices, an
 * explicit deny in either refuses). For a user both simulate the bucket
 * policy.
 *
 * Not read: a DynamoDB table's own resource-based policy (DynamoDB
 * Developer Guide, "Using resource-based policies for DynamoDB"), S3 ACLs,
 * SCPs and session policies. A table policy granting the role would be
 * missed by both sides alike.
 */
export interface PairVerdict extends PrivilegePair {
  /** IAM's answer to what it was asked. */
  iam: IamDecision;
  /** Ours, to the same question. */
  ours: EvalDecision;
  /** The verdict: allowed or refused, the bucket policy included. */
  allowed: boolean;
  /** Why, in AWS's words, when refused. */
  because: string;
  /** Whether a bucket policy took part, and who judged it. */
  resourcePolicy: 'none' | 'both' | 'ours';
  /** For a refused pattern (`bucket:b/*`, `*`): the statements allowing the action on part of it. */
  partlyAllowedBy: string[];
}

export interface MatrixDecision {
  principal: PrincipalPolicies;
  verdicts: PairVerdict[];
}

/** What AWS sets on such a request: the caller's identity keys, TLS, the resource's account. */
function requestContext(p: PrincipalPolicies, accountId: string): ContextKeys {
  return { ...identityKeys(p.caller), 'aws:SecureTransport': true, 'aws:ResourceAccount': accountId };
}

/** Each bucket named by the pairs (but the made-up one), with its policy, or none. */
async function bucketPolicies(clients: AwsClients, pairs: PrivilegePair[], lab: MatrixLab) {
  const buckets = [...new Set(pairs.map((p) => bucketOf(p.resource)).filter((b) => b !== undefined))].filter(
    (b) => b !== otherName(lab.runId),
  );
  const read = await Promise.all(buckets.map(async (b) => [b, await getBucketPolicy(clients, b)] as const));
  return new Map(read.filter(([, policy]) => policy.trim() !== '{}'));
}

function ours(p: PrincipalPolicies, pair: PrivilegePair, context: ContextKeys, resourcePolicy?: string) {
  const policies: SourcePolicy[] = [
    ...p.identity,
    ...(resourcePolicy ? [{ kind: 'resource' as const, id: 'bucket policy', document: resourcePolicy }] : []),
  ];
  return evaluate({
    principal: p.caller,
    action: pair.action,
    resource: pair.resource,
    resourceAccount: arnAccount(pair.resource) ?? String(context['aws:ResourceAccount']),
    context,
    policies,
  });
}

/**
 * @example
 *   const { verdicts } = await decideMatrix(clients, lab, 'OrderWriterRole', role);
 *   verdicts.filter((v) => v.allowed !== (v.want === 'allowed')) // → the pairs S14 names
 */
export async function decideMatrix(
  clients: AwsClients,
  lab: MatrixLab,
  ref: string,
  matrix: { allow: EntitlementTarget[]; deny: EntitlementTarget[] },
): Promise<MatrixDecision> {
  const principal = await getPrincipalPolicies(clients, ref, lab.accountId);
  const pairs = expandMatrix(matrix, lab);
  const policies = await bucketPolicies(clients, pairs, lab);
  const context = requestContext(principal, lab.accountId);
  const resources = [...new Set(pairs.map((p) => p.resource))];
  const simulated = await Promise.all(
    resources.map(async (resource) => {
      const bucketPolicy = policies.get(bucketOf(resource) ?? '');
      const withPolicy = principal.kind === 'user' ? bucketPolicy : undefined;
      const actions = pairs.filter((p) => p.resource === resource).map((p) => p.action);
      const iam = await simulateWithIam(clients, {
        sourceArn: principal.arn,
        resource,
        actions,
        context,
        ...(withPolicy && {
          resourcePolicy: withPolicy,
          resourceOwner: `arn:aws:iam::${lab.accountId}:root`,
        }),
      });
      return [resource, { iam, bucketPolicy, withPolicy }] as const;
    }),
  );
  const byResource = new Map(simulated);
  const verdicts = pairs.map((pair): PairVerdict => {
    const { iam, bucketPolicy, withPolicy } = byResource.get(pair.resource)!;
    const same = ours(principal, pair, context, withPolicy);
    const full = bucketPolicy && !withPolicy ? ours(principal, pair, context, bucketPolicy) : same;
    return {
      ...pair,
      iam: iam.get(pair.action.toLowerCase())!,
      ours: same.decision,
      allowed: full.allowed,
      because: full.because,
      resourcePolicy: !bucketPolicy ? 'none' : withPolicy ? 'both' : 'ours',
      partlyAllowedBy:
        pair.want === 'refused' && /[*?]/.test(pair.resource)
          ? grantsWithin(principal.identity, pair.action, pair.resource)
          : [],
    };
  });
  const disagreements = verdicts.filter((v) => (v.iam === 'allowed') !== (v.ours === 'allowed'));
  if (disagreements.length)
    throw new CannotTellError(
      `IAM's simulator and the project's evaluator disagree on ${principal.arn}: ${disagreements
        .map((v) => `${describePair(v)}: IAM ${v.iam}, ours ${v.ours}`)
        .join('; ')}`,
    );
  return { principal, verdicts };
}

/** The pairs whose verdict is not the matrix's, as report lines. */
export function wrongPairs(verdicts: PairVerdict[]): string[] {
  return verdicts.flatMap((v) =>
    v.allowed !== (v.want === 'allowed')
      ? [
          v.allowed
            ? `${describePair(v)} is allowed but must be refused`
            : `${describePair(v)} is refused but must be allowed (${v.because})`,
        ]
      : v.partlyAllowedBy.length
        ? [`${describePair(v)} is allowed in part, by ${v.partlyAllowedBy.join(', ')}, but must be refused`]
        : [],
  );
}
