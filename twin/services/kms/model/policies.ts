/**
 * Key policies: the default one, the policies of AWS managed keys, and the
 * checks CreateKey / PutKeyPolicy make on a policy's text.
 */
import { PolicyError, type PolicyStatement, parsePolicy } from '../../../../policy/policy.ts';
import type { Twin } from '../../../twin.ts';
import { findRole } from '../../iam/lookups.ts';
import { malformedPolicy } from '../errors.ts';

type Json = string | Json[] | { [k: string]: Json };

/**
 * JSON as KMS prints the policies it writes itself (`"Version" : "…"`,
 * `[ {` … `} ]`): the layout of the default and AWS managed key policies
 * that GetKeyPolicy returns.
 */
export function printPolicy(value: Json, indent = ''): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[ ${value.map((v) => printPolicy(v, indent)).join(', ')} ]`;
  const inner = `${indent}  `;
  const members = Object.entries(value).map(
    ([k, v]) => `${inner}${JSON.stringify(k)} : ${printPolicy(v, inner)}`,
  );
  return `{\n${members.join(',\n')}\n${indent}}`;
}

/**
 * "Default key policy when you create a KMS key programmatically": one
 * statement that "gives the AWS account that owns the KMS key permission to
 * use IAM policies" (KMS Developer Guide, key-policy-default).
 */
export function defaultKeyPolicy(accountId: string): string {
  return printPolicy({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

interface ManagedKeySpec {
  id: string;
  /** How the first Sid names the service, and how its tail does. */
  label: string;
  short: string;
  /** What the key protects, for its description. */
  protects: string;
  use: string[];
  metadata: string[];
  /** The order of the two condition keys, as AWS writes them for this service. */
  viaServiceFirst?: boolean;
}

/**
 * The AWS managed keys the twin can create on first use, with the policies
 * AWS gives them (as published in FogSecurity/aws-managed-kms-keys,
 * reference_key_policies/<service>.json, pulled from us-east-1).
 */
export const MANAGED_KEYS: Record<string, ManagedKeySpec> = {
  s3: {
    id: 'auto-s3-2',
    label: 'S3',
    short: 'S3',
    protects: 'S3 objects',
    use: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
    metadata: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
  },
  sns: {
    id: 'auto-sns-1',
    label: 'SNS',
    short: 'SNS',
    protects: 'SNS topics',
    use: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:ListGrants', 'kms:DescribeKey'],
    metadata: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
  },
  sqs: {
    id: 'auto-sqs-1',
    label: 'Simple Queue Service (SQS)',
    short: 'SQS',
    protects: 'SQS messages',
    use: [
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:CreateGrant',
      'kms:DescribeKey',
    ],
    metadata: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
    viaServiceFirst: true,
  },
  lambda: {
    id: 'auto-awslambda',
    label: 'AWS Lambda',
    short: 'AWS Lambda',
    protects: 'Lambda functions',
    use: [
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:CreateGrant',
      'kms:DescribeKey',
    ],
    metadata: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
  },
  // alias/aws/dynamodb: a table with SSE enabled and no KMSMasterKeyId (policy Id auto-dynamodb-1).
  dynamodb: {
    id: 'auto-dynamodb-1',
    label: 'Amazon DynamoDB',
    short: 'Amazon DynamoDB',
    protects: 'DynamoDB tables',
    use: [
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:CreateGrant',
      'kms:DescribeKey',
    ],
    metadata: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
    viaServiceFirst: true,
  },
};

/** The policy of the AWS managed key `aws/<service>`: use only through that service, by the account. */
export function managedKeyPolicy(service: string, accountId: string, region: string): string {
  const spec = MANAGED_KEYS[service]!;
  const caller = { 'kms:CallerAccount': accountId };
  const via = { 'kms:ViaService': `${service}.${region}.amazonaws.com` };
  return printPolicy({
    Version: '2012-10-17',
    Id: spec.id,
    Statement: [
      {
        Sid: `Allow access through ${spec.label} for all principals in the account that are authorized to use ${spec.short}`,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: spec.use,
        Resource: '*',
        Condition: { StringEquals: spec.viaServiceFirst ? { ...via, ...caller } : { ...caller, ...via } },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: spec.metadata,
        Resource: '*',
      },
    ],
  });
}

export function managedKeyDescription(service: string): string {
  return `Default master key that protects my ${MANAGED_KEYS[service]!.protects} when no other key is defined`;
}

const INVALID_PRINCIPALS = 'Policy contains a statement with one or more invalid principals.';
const AWS_PRINCIPAL =
  /^(\*|\d{12}|arn:aws[\w-]*:(iam::\d{12}:(root|user\/.+|role\/.+)|sts::\d{12}:assumed-role\/.+))$/;

function principalValid(twin: Twin, type: string, value: string): boolean {
  if (type === 'Service') return /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(value);
  if (type !== 'AWS') return type === 'Federated' || type === 'CanonicalUser';
  if (!AWS_PRINCIPAL.test(value)) return false;
  // "The principals in the key policy must exist and be visible to KMS" (API_PutKeyPolicy).
  const role = /^arn:aws[\w-]*:iam::(\d{12}):role\//.exec(value);
  return !role || !twin.hasAccount(role[1]!) || findRole(twin, value) !== undefined;
}

function checkPrincipals(twin: Twin, s: PolicyStatement): void {
  const spec = s.principal ?? s.notPrincipal;
  // "Each statement in the key policy must contain one or more principals" (API_PutKeyPolicy).
  if (!spec) throw malformedPolicy(INVALID_PRINCIPALS);
  if (spec === '*') return;
  for (const [type, values] of Object.entries(spec)) {
    if (values.length === 0) throw malformedPolicy(INVALID_PRINCIPALS);
    for (const v of values) if (!principalValid(twin, type, v)) throw malformedPolicy(INVALID_PRINCIPALS);
  }
}

/**
 * Checks a key policy's text as CreateKey and PutKeyPolicy do. A statement
 * without Action or Resource is accepted: "If either of the required
 * Resource or Action elements are missing … the CreateKey and PutKeyPolicy
 * API requests succeed, even though the policy statement is ineffective"
 * (API_CreateKey, Policy). The lockout check is made by the caller.
 */
export function validateKeyPolicy(twin: Twin, text: string): void {
  if (text.length > 32_768) throw malformedPolicy('Policy document exceeds the maximum size of 32 KB.');
  let statements: PolicyStatement[];
  try {
    statements = parsePolicy(text).statements;
  } catch (error) {
    throw malformedPolicy(error instanceof PolicyError ? error.message : 'Syntax errors in policy.');
  }
  for (const s of statements) checkPrincipals(twin, s);
}
