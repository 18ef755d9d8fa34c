import type { SourcePolicy } from '../../policy/evaluate.ts';
import { type PolicyDocument, type PolicyStatement, parsePolicy } from '../../policy/policy.ts';
import { CannotTellError } from '../errors.ts';
import type { PrivilegePair } from './privilege-matrix.ts';

/**
 * S15: the statements of a role's policies that use a wildcard to grant more
 * than its matrix needs. AWS's advice is the rule ("Security best practices
 * in IAM": "Apply least-privilege permissions … grant only the permissions
 * required to perform a task"; IAM Access Analyzer flags `*` actions and
 * resources the same way).
 *
 * What counts as needed: the matrix's `allow`, plus — for a role Lambda may
 * assume — the actions Lambda's own execution policies grant on every
 * resource: AWSLambdaBasicExecutionRole (logs:CreateLogGroup,
 * logs:CreateLogStream, logs:PutLogEvents) and AWSLambdaVPCAccessExecutionRole
 * v3 (those, and the ENI actions below), "AWS managed policies for Lambda"
 * in the Lambda Developer Guide and the AWS Managed Policy Reference. AWS
 * writes those on `Resource: *`, so the lab attaching them is no finding;
 * anything else on `*` — the seed's own "full logging" policy's
 * logs:PutResourcePolicy, say — is one.
 *
 * Judged per Allow statement, whatever its Condition (a condition narrows
 * when, not what):
 * - NotAction, or an action with a wildcard (`*`, `s3:*`, `dynamodb:Get*`):
 *   the matrix names actions without wildcards (the schema refuses them), so
 *   a wildcard always covers an action it does not list — and actions AWS
 *   adds later.
 * - an action named plainly, on a resource with a wildcard or NotResource:
 *   a finding unless a resource the matrix allows that action on covers it
 *   (or the pattern names no resource of the action's type: grantsNothing).
 * A plain action on a plain ARN is S14's to judge, not this check's.
 */
export const LAMBDA_EXECUTION_ACTIONS = [
  'logs:CreateLogGroup',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
] as const;

const hasWildcard = (s: string) => /[*?]/.test(s);

/**
 * Whether every ARN `inner` matches is matched by `outer` (both IAM patterns,
 * `*` any run of characters, `?` one). `outer` is matched against `inner`'s
 * text: an `*` of `inner` can only be taken up by an `*` of `outer`.
 */
export function patternCovers(outer: string, inner: string): boolean {
  const escaped = outer.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const regex = new RegExp(`^${escaped.replace(/\*/g, '.*').replace(/\?/g, '[^*]')}$`);
  return regex.test(inner);
}

/**
 * An S3 bucket-level action on a pattern that can only name objects grants
 * nothing: S3's actions act on one resource type, a bucket
 * (`arn:${Partition}:s3:::${BucketName}`) or an object (`…/${ObjectName}`)
 * (Service Authorization Reference, "Actions defined by Amazon S3"). The
 * seed's own policy lists the bucket and its objects for every action.
 */
function grantsNothing(action: string, resource: string): boolean {
  const bucketAction =
    /^s3:/i.test(action) && /bucket|configuration/i.test(action) && !/object/i.test(action);
  return bucketAction && /^arn:aws[\w-]*:s3:::[^*?/]+\//.test(resource);
}

function statementName(policy: SourcePolicy, s: PolicyStatement): string {
  return `${policy.id} statement ${s.sid ? `"${s.sid}"` : `#${s.index + 1}`}`;
}

function findingsOf(s: PolicyStatement, needed: (action: string) => string[] | 'any'): string[] {
  if (s.notAction) return [`allows every action but ${s.notAction.join(', ')}`];
  const found: string[] = [];
  const actions = s.action ?? [];
  for (const a of actions.filter(hasWildcard)) found.push(`${a} covers actions the matrix does not list`);
  const resources = s.notResource ? [`every resource but ${s.notResource.join(', ')}`] : (s.resource ?? []);
  const wide = s.notResource ? resources : resources.filter(hasWildcard);
  for (const a of actions.filter((x) => !hasWildcard(x))) {
    const need = needed(a);
    if (need === 'any') continue;
    for (const r of wide)
      if (s.notResource || (!grantsNothing(a, r) && !need.some((n) => patternCovers(n, r))))
        found.push(
          need.length
            ? `${a} on ${r} reaches beyond ${need.join(', ')}`
            : `${a} on ${r}, an action the matrix does not allow`,
        );
  }
  return found;
}

/** IAM stores only policies it can parse: one we cannot read is ours to fix, and no pass meanwhile. */
function readable(policy: SourcePolicy): PolicyDocument {
  try {
    return parsePolicy(policy.document as string | object);
  } catch (error) {
    throw new CannotTellError(`could not read ${policy.id}: ${(error as Error).message}`);
  }
}

/**
 * The role's statements that grant beyond its matrix through a wildcard, as
 * report lines naming the policy and the statement.
 *
 * @example
 *   broadStatements(role.identity, pairs, { lambda: true })
 *   // → ['inline-dynamo statement "All": dynamodb:* covers actions the matrix does not list']
 */
export function broadStatements(
  identity: SourcePolicy[],
  pairs: PrivilegePair[],
  options: { lambda: boolean },
): string[] {
  const execution = new Set(options.lambda ? LAMBDA_EXECUTION_ACTIONS.map((a) => a.toLowerCase()) : []);
  const needed = (action: string): string[] | 'any' =>
    execution.has(action.toLowerCase())
      ? 'any'
      : pairs
          .filter((p) => p.want === 'allowed' && p.action.toLowerCase() === action.toLowerCase())
          .map((p) => p.resource);
  return identity.flatMap((policy) =>
    readable(policy)
      .statements.filter((s) => s.effect === 'Allow')
      .flatMap((s) => findingsOf(s, needed).map((f) => `${statementName(policy, s)}: ${f}`)),
  );
}

/**
 * The statements that allow `action` on part of a resource pattern the
 * matrix refuses as a whole (`bucket:trail-logs/*`, `*`). IAM's simulator
 * and our evaluator read a pattern in ResourceArns as one literal ARN, so a
 * grant on `trail-logs/AWSLogs/*` does not match `trail-logs/*` and the
 * pair reads as refused; here, a grant on any ARN inside the refused pattern
 * counts (identity policies, Allow statements, conditions set aside).
 *
 * @example
 *   grantsWithin(identity, 's3:GetObject', 'arn:aws:s3:::trail-logs/*')
 *   // → ['audit statement #2 (arn:aws:s3:::trail-logs/AWSLogs/*)']
 */
export function grantsWithin(identity: SourcePolicy[], action: string, refused: string): string[] {
  const names = (s: PolicyStatement) =>
    s.action?.some((a) => patternCovers(a.toLowerCase(), action.toLowerCase())) ?? false;
  return identity.flatMap((policy) =>
    readable(policy)
      .statements.filter((s) => s.effect === 'Allow' && names(s))
      .flatMap((s) =>
        (s.resource ?? [])
          .filter((r) => patternCovers(refused, r))
          .map((r) => `${statementName(policy, s)} (${r})`),
      ),
  );
}
