import { type EvalPrincipal, evaluate, type SourcePolicy } from '../policy/evaluate.ts';
import { type Grantee, granteesOf, identityKeys } from '../policy/grantees.ts';

/**
 * Configuration checks of policies, by evaluating them as AWS does (the
 * policy/ library) rather than by comparing their text: two documents that
 * say the same thing differently must pass alike, and a subtly wider one must
 * fail.
 */
export interface PolicyVerdict {
  who: string;
  allowed: boolean;
  shouldBe: boolean;
  because: string;
}

/** An account no lab owns, standing for "anyone else". */
export const OUTSIDER = '000000000000';

/**
 * The caller's IAM side allowing everything, so that what the policy under
 * test forbids or requires shows through. (A service acting for a resource
 * has no IAM side: the evaluator leaves it out for services.)
 */
const IAM_ALLOWS_ALL: SourcePolicy = {
  kind: 'identity',
  id: 'allow-all',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/**
 * A bucket open to anyone, so that an endpoint policy alone decides:
 * without a bucket policy, an outsider in a lab bucket is refused by
 * cross-account evaluation whatever the endpoint policy says, and a policy
 * keyed on the bucket's account alone would pass as keeping outsiders out.
 */
const OPEN_BUCKET: SourcePolicy = {
  kind: 'resource',
  id: 'open-bucket',
  document: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
  },
};

/**
 * A role session of `accountId` that no lab policy names: E5 asks what an
 * endpoint policy grants callers by their account, not by name.
 */
function roleSession(accountId: string): EvalPrincipal {
  return {
    // Stryker disable next-line StringLiteral: only a policy naming this made-up session could tell the type apart
    type: 'assumed-role',
    accountId,
    // Stryker disable next-line StringLiteral: no lab policy names this made-up session's ARN
    arn: `arn:aws:sts::${accountId}:assumed-role/meshcheck-policy-check/check`,
    roleArn: `arn:aws:iam::${accountId}:role/meshcheck-policy-check`,
  };
}

/**
 * What AWS sets from the caller itself (aws:PrincipalType is `User` for an
 * IAM user, `Account` for the root: "AWS global condition context keys"),
 * and TLS, which every caller can use.
 */
function principalKeys(p: EvalPrincipal): Record<string, string | boolean> {
  return { ...(identityKeys(p) as Record<string, string>), 'aws:SecureTransport': true };
}

/**
 * What an S3 endpoint policy must decide, each on its own resource: reads,
 * writes, deletes and listing (an endpoint policy that keeps outsiders from
 * reading can still let them write a lab's data out, or in).
 */
const S3_ENDPOINT_ACTIONS = [
  { action: 's3:GetObject', object: true },
  { action: 's3:PutObject', object: true },
  { action: 's3:DeleteObject', object: true },
  { action: 's3:ListBucket', object: false },
] as const;

/**
 * Does a VPC endpoint policy let principals of `insiders` through to S3, and
 * keep everyone else out? Each insider reads, writes, deletes and lists in a
 * bucket of its own account; an outsider tries the same in one of an
 * insider's buckets and in one of its own (the exfiltration an endpoint
 * policy exists to stop).
 */
export function endpointPolicyLetsIn(
  policy: string,
  options: { insiders: string[]; bucket: string },
): PolicyVerdict[] {
  const check = (
    who: string,
    principal: EvalPrincipal,
    bucket: string,
    bucketAccount: string,
    shouldBe: boolean,
  ): PolicyVerdict[] =>
    S3_ENDPOINT_ACTIONS.map(({ action, object }) => {
      const decision = evaluate({
        principal,
        action,
        resource: object ? `arn:aws:s3:::${bucket}/meshcheck-policy-check` : `arn:aws:s3:::${bucket}`,
        resourceAccount: bucketAccount,
        // The bucket's owner, as AWS sets it on S3 requests: aws:ResourceAccount ("AWS global condition
        // context keys") and s3:ResourceAccount (S3's own, "Condition keys for Amazon S3").
        context: {
          ...principalKeys(principal),
          'aws:ResourceAccount': bucketAccount,
          's3:ResourceAccount': bucketAccount,
        },
        // No policy text (or none that parses) allows nothing.
        policies: [
          IAM_ALLOWS_ALL,
          OPEN_BUCKET,
          { kind: 'endpoint', id: 'endpoint-policy', document: policy },
        ],
      });
      return { who: `${who}: ${action}`, allowed: decision.allowed, shouldBe, because: decision.because };
    });
  const home = options.insiders[0]!;
  return [
    ...options.insiders.flatMap((a) => check(`account ${a}`, roleSession(a), options.bucket, a, true)),
    ...check('an outsider in a lab bucket', roleSession(OUTSIDER), options.bucket, home, false),
    ...check('an outsider in its own bucket', roleSession(OUTSIDER), 'outside-bucket', OUTSIDER, false),
  ];
}

/** A principal named in targets, made concrete: a role of the lab account, the runner, or an AWS service. */
export interface NamedPrincipal {
  /** How reports name it: `role:AuditRole`, `runner`, `service:sns.amazonaws.com`. */
  ref: string;
  principal: EvalPrincipal;
  context: Record<string, string | boolean>;
}

/** Turns a targets principal (`role:NAME`, `runner`, `service:NAME`) into what the evaluator needs. */
export function namedPrincipal(
  ref: string,
  lab: {
    accountId: string;
    runner: { arn: string; roleArn?: string };
    roleArns: Record<string, string>;
    /** The lab resource each service acts for (`sns.amazonaws.com` → the topic's ARN), its aws:SourceArn. */
    sourceArns?: Record<string, string>;
  },
): NamedPrincipal {
  if (ref === 'runner') {
    const principal: EvalPrincipal = lab.runner.roleArn
      ? { type: 'assumed-role', accountId: lab.accountId, arn: lab.runner.arn, roleArn: lab.runner.roleArn }
      : {
          type: lab.runner.arn.endsWith(':root') ? 'root' : 'user',
          accountId: lab.accountId,
          arn: lab.runner.arn,
        };
    return { ref, principal, context: principalKeys(principal) };
  }
  if (ref.startsWith('service:')) {
    const service = ref.slice('service:'.length);
    // A service acting for one of this account's resources carries the account as aws:SourceAccount
    // and, where targets name the resource, its ARN as aws:SourceArn — AWS sends both.
    const sourceArn = lab.sourceArns?.[service];
    return {
      ref,
      principal: { type: 'service', accountId: lab.accountId, arn: service, service },
      context: {
        'aws:SourceAccount': lab.accountId,
        ...(sourceArn && { 'aws:SourceArn': sourceArn }),
        'aws:SecureTransport': true,
      },
    };
  }
  const roleArn =
    lab.roleArns[ref.slice('role:'.length)] ?? `arn:aws:iam::${lab.accountId}:role/${ref.slice(5)}`;
  const principal: EvalPrincipal = {
    type: 'assumed-role',
    accountId: lab.accountId,
    arn: `${roleArn.replace(':iam:', ':sts:').replace(/:role\/(?:.*\/)?([^/]+)$/, ':assumed-role/$1')}/meshcheck`,
    roleArn,
  };
  return { ref, principal, context: principalKeys(principal) };
}

/**
 * What a key policy alone grants `who` (a key policy without the root
 * statement is the only thing that can: "Key policies"); the identity side is
 * left out on purpose, so the answer is the key policy's own.
 */
export function keyPolicyAllows(
  policy: string,
  keyArn: string,
  who: NamedPrincipal,
  action: string,
): { allowed: boolean; because: string } {
  const decision = evaluate({
    principal: who.principal,
    action,
    resource: keyArn,
    resourceAccount: keyArn.split(':')[4],
    context: { ...who.context, 'kms:CallerAccount': who.principal.accountId },
    policies: [{ kind: 'resource', id: 'key-policy', document: policy }],
    resourcePolicyRequired: true,
  });
  return { allowed: decision.allowed, because: decision.because };
}

/**
 * Where the key policy delegates `action` to the account's IAM policies (a
 * root or account principal: "Enable IAM User Permissions"), under any
 * condition values a caller could present — a root statement narrowed by
 * `kms:ViaService` or `aws:PrincipalType` still hands the key to every IAM
 * user or role whose IAM policy allows it. `undefined` when it does not.
 */
export function keyPolicyDelegatesToIam(policy: string, keyArn: string, action: string): Grantee | undefined {
  const accountId = keyArn.split(':')[4]!;
  return granteesOf({
    policy,
    action,
    resource: keyArn,
    resourceAccount: accountId,
    resourcePolicyRequired: true,
    outsider: OUTSIDER,
    callerContext: kmsCallerKeys,
  }).find(
    (g) =>
      g.allowed &&
      g.kind === 'account' &&
      g.principal?.accountId === accountId &&
      // The root user is not governed by IAM policies: a grant it alone can use delegates nothing.
      g.principal.type !== 'root',
  );
}

/** What KMS adds to every caller's request: its account, and TLS (a caller can always use it). */
export function kmsCallerKeys(p: EvalPrincipal): Record<string, string | boolean> {
  return { 'kms:CallerAccount': p.accountId, 'aws:SecureTransport': true };
}

/**
 * A resource policy's answer (topic, queue, bucket) for one request, with
 * the caller's IAM side allowing everything: what the policy itself forbids
 * or requires shows through.
 */
export function resourcePolicyDecision(
  policy: string,
  request: {
    who: NamedPrincipal;
    action: string;
    resource: string;
    resourceAccount: string;
    context?: Record<string, string | boolean>;
  },
): { allowed: boolean; explicitDeny: boolean; because: string } {
  const decision = evaluate({
    principal: request.who.principal,
    action: request.action,
    resource: request.resource,
    resourceAccount: request.resourceAccount,
    context: { ...request.who.context, ...request.context },
    policies: [IAM_ALLOWS_ALL, { kind: 'resource', id: 'resource-policy', document: policy }],
  });
  return {
    allowed: decision.allowed,
    explicitDeny: decision.decision === 'explicitDeny',
    because: decision.because,
  };
}
