import { describeGrantee, type Grantee, intendedAs, resourcePolicyGrantees } from '../grants.ts';
import { wrongVerdicts } from '../observability/bucket-policy.ts';
import { type NamedPrincipal, type PolicyVerdict, resourcePolicyDecision } from '../policies.ts';

/**
 * An application bucket's policy, evaluated with the project's policy engine
 * (policy/), never compared as text (S9): it refuses plain HTTP where
 * targets intend, lets in the principals targets name, and nobody else.
 */

/** What S9 found: each list empty when the policy is as intended. */
export interface BucketPolicyJudgement {
  /** Requests made without TLS that the policy lets through. */
  plainHttp: string[];
  /** Principals targets name that the policy keeps out (with TLS). */
  notAdmitted: string[];
  /** Principals the policy lets in that targets do not name. */
  strangers: string[];
}

export interface BucketIntent {
  bucket: string;
  /** The bucket's account: its own principals come in through IAM. */
  account: string;
  tlsOnly: boolean;
  /** The principals targets name (`admits`), made concrete. */
  admits: NamedPrincipal[];
  /** Principals of the account the policy does not name (the runner, a role nobody named). */
  insiders: NamedPrincipal[];
}

/** The bucket-level and object-level requests asked of the policy, each on its own resource. */
const BUCKET_ACTIONS = ['s3:ListBucket', 's3:GetBucketAcl', 's3:PutBucketPolicy'];
const OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];

/**
 * Object keys to ask about: one nobody names, and one under each object
 * resource of the policy's own statements (`AWSLogs/111122223333/*` →
 * `AWSLogs/111122223333/meshcheck`), so that a grant or a deny scoped to a
 * prefix is evaluated on a key it covers.
 */
export function sampleKeys(policy: string, bucket: string): string[] {
  const keys = new Set(['meshcheck-check']);
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return [...keys];
  }
  const statements = [doc.Statement ?? []].flat() as { Resource?: unknown }[];
  const prefix = `arn:aws:s3:::${bucket}/`;
  for (const s of statements)
    for (const r of [s?.Resource ?? []].flat())
      if (typeof r === 'string' && r.startsWith(prefix) && !r.includes('${'))
        keys.add(r.slice(prefix.length).replaceAll('*', 'meshcheck').replaceAll('?', 'x'));
  return [...keys];
}

/** Every request asked: [action, resource ARN]. */
function asks(policy: string, bucket: string): [string, string][] {
  const bucketArn = `arn:aws:s3:::${bucket}`;
  return [
    ...BUCKET_ACTIONS.map((a): [string, string] => [a, bucketArn]),
    ...sampleKeys(policy, bucket).flatMap((k) =>
      OBJECT_ACTIONS.map((a): [string, string] => [a, `${bucketArn}/${k}`]),
    ),
  ];
}

/**
 * Judges a bucket policy against S9's intent.
 *
 * @example
 *   const j = judgeBucketPolicy(policy, { bucket, account, tlsOnly: true, admits: [who('role:Writer')], insiders });
 *   // j.strangers → ['s3:GetObject: anyone (*), by PublicRead']
 */
export function judgeBucketPolicy(policy: string, intent: BucketIntent): BucketPolicyJudgement {
  const requests = asks(policy, intent.bucket);
  const grantees = (action: string, resource: string, tls: boolean) =>
    resourcePolicyGrantees(policy, {
      action,
      resource,
      resourceAccount: intent.account,
      context: { 'aws:SecureTransport': tls },
    });
  const decide = (who: NamedPrincipal, action: string, resource: string, tls: boolean) =>
    who.principal.type === 'service'
      ? grantees(action, resource, tls).some((g) => g.allowed && intendedAs(g, [who]))
      : resourcePolicyDecision(policy, {
          who,
          action,
          resource,
          resourceAccount: intent.account,
          context: { 'aws:SecureTransport': tls },
        }).allowed;
  // Admitted: let in with TLS for at least one request (a service, only where a statement grants it).
  const admitted: PolicyVerdict[] = intent.admits.map((who) => ({
    who: who.ref,
    allowed: requests.some(([a, r]) => decide(who, a, r, true)),
    shouldBe: true,
    because: 'for none of the requests asked',
  }));
  // Without TLS: the account's own principals as the policy decides them with IAM allowing all, and
  // every principal its statements grant (services included) with the conditions they ask satisfied.
  const plainHttp = intent.tlsOnly
    ? [
        ...[...intent.admits, ...intent.insiders]
          .filter((who) => who.principal.type !== 'service')
          .flatMap((who) => {
            const through = requests.filter(([a, r]) => decide(who, a, r, false)).map(([a]) => a);
            return through.length ? [`${who.ref}: ${[...new Set(through)].join(', ')}`] : [];
          }),
        ...requests.flatMap(([a, r]) =>
          grantees(a, r, false)
            .filter((g) => g.allowed)
            .map((g) => `${describeGrantee(g)}: ${a} on ${r}`),
        ),
      ]
    : [];
  const expected = (g: Grantee) =>
    Boolean(intendedAs(g, intent.admits)) ||
    (g.kind === 'account' && g.principal?.accountId === intent.account);
  const strangers = requests.flatMap(([a, r]) =>
    grantees(a, r, true)
      .filter((g) => g.allowed && !expected(g))
      .map((g) => `${a}: ${describeGrantee(g)}`),
  );
  return {
    plainHttp: [...new Set(plainHttp)],
    notAdmitted: wrongVerdicts(admitted),
    strangers: [...new Set(strangers)],
  };
}
