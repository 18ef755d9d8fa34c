import { type EvalPrincipal, evaluate } from '../policy/evaluate.ts';

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
const OUTSIDER = '000000000000';

function roleSession(accountId: string): EvalPrincipal {
  return {
    type: 'assumed-role',
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/meshcheck-policy-check/check`,
    roleArn: `arn:aws:iam::${accountId}:role/meshcheck-policy-check`,
  };
}

function principalKeys(p: EvalPrincipal) {
  return {
    'aws:PrincipalAccount': p.accountId,
    'aws:PrincipalArn': p.roleArn ?? p.arn,
    'aws:PrincipalType': 'AssumedRole',
    'aws:SecureTransport': true,
  };
}

/**
 * Does a VPC endpoint policy let principals of `insiders` through to S3, and
 * keep everyone else out? Each insider reads an object of its own account;
 * an outsider reads one of an insider's buckets and one of its own (the
 * exfiltration an endpoint policy exists to stop).
 */
export function endpointPolicyLetsIn(
  policy: string,
  options: { insiders: string[]; bucket: string },
): PolicyVerdict[] {
  const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const check = (
    who: string,
    principal: EvalPrincipal,
    bucket: string,
    bucketAccount: string,
    shouldBe: boolean,
  ): PolicyVerdict => {
    const decision = evaluate({
      principal,
      action: 's3:GetObject',
      resource: `arn:aws:s3:::${bucket}/meshcheck-policy-check`,
      resourceAccount: bucketAccount,
      context: principalKeys(principal),
      policies: [
        { kind: 'identity', id: 'allow-all', document: allowAll },
        { kind: 'endpoint', id: 'endpoint-policy', document: policy || '{}' },
      ],
    });
    return { who, allowed: decision.allowed, shouldBe, because: decision.because };
  };
  const home = options.insiders[0]!;
  return [
    ...options.insiders.map((a) => check(`account ${a}`, roleSession(a), options.bucket, a, true)),
    check('an outsider reading a lab bucket', roleSession(OUTSIDER), options.bucket, home, false),
    check('an outsider reading its own bucket', roleSession(OUTSIDER), 'outside-bucket', OUTSIDER, false),
  ];
}
