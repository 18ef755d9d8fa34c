import { globMatch } from '../../../../policy/matching.ts';
import {
  type PolicyDocument,
  PolicyError,
  type PolicyStatement,
  parsePolicy,
} from '../../../../policy/policy.ts';
import type { Twin } from '../../../twin.ts';
import { findRole } from '../../iam/lookups.ts';
import { malformedPolicy } from '../errors.ts';

/**
 * Bucket policy checks on PutBucketPolicy, answering MalformedPolicy with
 * S3's own messages as users report them ("Policies must be valid JSON and
 * the first byte must be '{'", "Invalid principal in policy", "Policy has
 * invalid resource", "Missing required field Principal" —
 * aws/aws-cli#2779, aws-samples/aws-serverless-appsync-app#4,
 * versity/versitygw#648/#649). Bucket policies are limited to 20 KB
 * ("Bucket policy examples": "Bucket policies are limited to 20 KB in size").
 */
const MAX_POLICY_BYTES = 20 * 1024;

const AWS_PRINCIPAL =
  /^(\*|\d{12}|arn:aws[\w-]*:iam::\d{12}:(root|user\/.+|role\/.+)|arn:aws[\w-]*:sts::\d{12}:assumed-role\/.+)$/;

function principalValid(twin: Twin, type: string, value: string): boolean {
  if (type === 'Service') return /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(value);
  if (type === 'CanonicalUser') return /^[0-9a-f]{64}$/.test(value);
  if (type !== 'AWS' || !AWS_PRINCIPAL.test(value)) return false;
  // A role named by ARN in an account the twin has must exist, as AWS resolves it to its unique id.
  const role = /^arn:aws[\w-]*:iam::(\d{12}):role\//.exec(value);
  if (role && twin.hasAccount(role[1]!)) return findRole(twin, value) !== undefined;
  return true;
}

function checkStatement(twin: Twin, bucket: string, s: PolicyStatement): void {
  const principal = s.principal ?? s.notPrincipal;
  if (!principal) throw malformedPolicy('Missing required field Principal');
  if (principal !== '*') {
    for (const [type, values] of Object.entries(principal))
      for (const v of values)
        if (!principalValid(twin, type, v)) throw malformedPolicy('Invalid principal in policy');
  }
  for (const a of s.action ?? s.notAction ?? []) {
    if (a !== '*' && !/^s3:[\w*?]+$/i.test(a)) throw malformedPolicy('Policy has invalid action');
  }
  const resources = s.resource ?? s.notResource ?? [];
  if (resources.length === 0) throw malformedPolicy('Missing required field Resource');
  for (const r of resources) {
    const m = /^arn:aws[\w-]*:s3:::([^/]+)(\/.*)?$/.exec(r);
    if (r !== '*' && (!m || !globMatch(m[1]!, bucket))) throw malformedPolicy('Policy has invalid resource');
  }
}

/** Validates a bucket policy for `bucket`; returns it parsed. */
export function validateBucketPolicy(twin: Twin, bucket: string, text: string): PolicyDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!text.trimStart().startsWith('{') || json === undefined)
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES)
    throw malformedPolicy('Policy exceeds the maximum allowed document size.');
  let doc: PolicyDocument;
  try {
    doc = parsePolicy(json as object);
  } catch (error) {
    if (error instanceof PolicyError) throw malformedPolicy(error.message);
    throw error;
  }
  for (const s of doc.statements) checkStatement(twin, bucket, s);
  return doc;
}

/**
 * Keys whose fixed values make a statement non-public ("The meaning of
 * 'public'", S3 User Guide, Blocking public access): a policy is public
 * when it grants to `*` without one of them.
 */
const RESTRICTING_KEYS = new Set(
  [
    'aws:SourceIp',
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceOwner',
    'aws:SourceAccount',
    'aws:userid',
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    's3:x-amz-server-side-encryption-aws-kms-key-id',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
  ].map((k) => k.toLowerCase()),
);

function restricted(s: PolicyStatement): boolean {
  for (const [operator, keys] of Object.entries(s.condition ?? {})) {
    if (/^(StringNot|ArnNot|NotIp)/.test(operator)) continue;
    for (const [key, values] of Object.entries(keys)) {
      if (RESTRICTING_KEYS.has(key.toLowerCase()) && values.every((v) => !/[*?]/.test(v))) return true;
    }
  }
  return false;
}

function grantsEveryone(s: PolicyStatement): boolean {
  if (s.notPrincipal) return true;
  const p = s.principal;
  return p === '*' || (p !== undefined && (p.AWS ?? []).includes('*'));
}

/** Whether a bucket policy is public in S3's sense (an Allow to everyone, unrestricted). */
export function isPublicPolicy(doc: PolicyDocument): boolean {
  return doc.statements.some((s) => s.effect === 'Allow' && grantsEveryone(s) && !restricted(s));
}
