import type { EntitlementTarget } from '../targets/index.ts';

/**
 * A least-privilege matrix of targets (`application.roles[]`,
 * `application.operators[]`) made concrete: every (action, resource ARN)
 * pair it names, with what the lab intends for it. The names are turned into
 * ARNs the way AWS writes them (Service Authorization Reference, "Resource
 * types defined by Amazon DynamoDB" — `arn:${Partition}:dynamodb:${Region}:
 * ${Account}:table/${TableName}` — and "… by Amazon S3" — `arn:${Partition}:
 * s3:::${BucketName}` and `…:::${BucketName}/${ObjectName}`).
 */
export interface PrivilegePair {
  action: string;
  /** The resource ARN the pair is decided on (`*` when targets say `*`). */
  resource: string;
  /** The resource as targets wrote it (`table:Orders`, `bucket:{other}/*`), for reports. */
  ref: string;
  want: 'allowed' | 'refused';
}

/** What a matrix needs of the lab to become ARNs. */
export interface MatrixLab {
  region: string;
  /** The lab account, owner of the tables. */
  accountId: string;
  runId: string;
}

/** A table or bucket of the lab's account that no target names: made up per run, so it is surely no one's. */
export function otherName(runId: string): string {
  // Bucket names are lower case, at most 63 characters (S3 User Guide, "Bucket naming rules").
  return `meshcheck-other-${runId}`.toLowerCase().slice(0, 63);
}

/**
 * The ARN a matrix resource stands for.
 *
 * @example
 *   resourceArn('table:Orders', lab) // → 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders'
 *   resourceArn('bucket:{other}/*', lab) // → 'arn:aws:s3:::meshcheck-other-mc-20261207-a1b2c3/*'
 */
export function resourceArn(ref: string, lab: MatrixLab): string {
  const named = (name: string) => (name === '{other}' ? otherName(lab.runId) : name);
  if (ref.startsWith('table:'))
    return `arn:aws:dynamodb:${lab.region}:${lab.accountId}:table/${named(ref.slice('table:'.length))}`;
  if (ref.startsWith('bucket:')) {
    const [bucket, ...key] = ref.slice('bucket:'.length).split('/');
    return `arn:aws:s3:::${named(bucket!)}${key.length ? `/${key.join('/')}` : ''}`;
  }
  return ref;
}

/** The bucket an S3 ARN is in (`arn:aws:s3:::b` and `arn:aws:s3:::b/key` → `b`), else undefined. */
export function bucketOf(arn: string): string | undefined {
  return /^arn:aws[\w-]*:s3:::([^/]+)/.exec(arn)?.[1];
}

/**
 * Every pair of a matrix, allowed ones first, each once (a pair named twice
 * keeps its first intent; the schema does not let one be both).
 *
 * @example
 *   expandMatrix({ allow: [{ actions: ['dynamodb:PutItem'], resources: ['table:Orders'] }], deny: [] }, lab)
 *   // → [{ action: 'dynamodb:PutItem', resource: 'arn:aws:dynamodb:…:table/Orders', ref: 'table:Orders', want: 'allowed' }]
 */
export function expandMatrix(
  matrix: { allow: EntitlementTarget[]; deny: EntitlementTarget[] },
  lab: MatrixLab,
): PrivilegePair[] {
  const pairs = new Map<string, PrivilegePair>();
  const add = (list: EntitlementTarget[], want: PrivilegePair['want']) => {
    for (const e of list)
      for (const ref of e.resources)
        for (const action of e.actions) {
          const resource = resourceArn(ref, lab);
          // IAM action names are case-insensitive ("IAM JSON policy elements: Action").
          const key = `${action.toLowerCase()} ${resource}`;
          if (!pairs.has(key)) pairs.set(key, { action, resource, ref, want });
        }
  };
  add(matrix.allow, 'allowed');
  add(matrix.deny, 'refused');
  return [...pairs.values()];
}

/** How a report names a pair: `dynamodb:GetItem on table:Orders`. */
export function describePair(p: Pick<PrivilegePair, 'action' | 'ref'>): string {
  return `${p.action} on ${p.ref}`;
}
