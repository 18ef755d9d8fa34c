/**
 * AssumeRole (STS API Reference, AssumeRole; IAM User Guide, "Permissions
 * for AssumeRole" and "How IAM roles differ from resource-based policies"):
 * - the role's trust policy is a resource policy that must allow the caller
 *   for sts:AssumeRole on its own; a statement that names only the caller's
 *   account delegates to it, and then (as for any caller from another
 *   account) the caller's identity-based policy must allow sts:AssumeRole
 *   on the role ARN;
 * - "Roles may not be assumed by root accounts" (AccessDenied);
 * - DurationSeconds: 900 up to the role's MaxSessionDuration, default 3600;
 *   "if you assume a role using role chaining and provide a DurationSeconds
 *   parameter value greater than one hour, the operation fails"
 *   (ValidationError, "The requested DurationSeconds exceeds the 1 hour
 *   session limit for roles assumed by role chaining.");
 * - the session policy (Policy) intersects with the role's policies; its
 *   plaintext may not exceed 2,048 characters.
 */
import type { AssumeRoleRequest, AssumeRoleResponse } from '@aws-sdk/client-sts';
import { PolicyError } from '../../../policy/policy.ts';
import { validatePolicy } from '../../../policy/validate.ts';
import type { RequestContext } from '../../core/context.ts';
import { AwsError } from '../../core/errors.ts';
import { decide } from '../../iam/authorize.ts';
import { findRole, markRoleUsed, type RoleInfo } from '../iam/lookups.ts';
import { issueRoleSession } from './sessions.ts';

const accessDenied = (message: string) => new AwsError('AccessDenied', message, { status: 403 });
const validation = (message: string) => new AwsError('ValidationError', message, { status: 400 });

function checkSessionName(name: string | undefined): string {
  if (name && name.length >= 2 && name.length <= 64 && /^[\w+=,.@-]+$/.test(name)) return name;
  throw validation(
    `1 validation error detected: Value '${name ?? ''}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
  );
}

function checkDuration(requested: number | undefined, role: RoleInfo, chained: boolean): number {
  const duration = requested ?? 3600;
  if (duration < 900) {
    throw validation(
      `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
    );
  }
  if (chained && duration > 3600) {
    throw validation(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (duration > role.maxSessionDuration) {
    throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  return duration;
}

function checkSessionPolicy(policy: string | undefined): void {
  if (policy === undefined) return;
  if (policy.length > 2048) {
    throw validation(
      `1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048`,
    );
  }
  try {
    validatePolicy(policy, 'session');
  } catch (err) {
    if (err instanceof PolicyError) throw new AwsError('MalformedPolicyDocumentException', err.message);
    throw err;
  }
}

/** Whether the trust policy (and, where needed, the caller's IAM policy) lets the caller assume the role. */
function trusted(ctx: RequestContext, role: RoleInfo, input: AssumeRoleRequest): boolean {
  const context = {
    'sts:RoleSessionName': input.RoleSessionName,
    ...(input.ExternalId !== undefined && { 'sts:ExternalId': input.ExternalId }),
    ...(input.SourceIdentity !== undefined && { 'sts:SourceIdentity': input.SourceIdentity }),
    ...Object.fromEntries((input.Tags ?? []).map((t) => [`aws:RequestTag/${t.Key}`, t.Value])),
    ...(input.Tags?.length && { 'aws:TagKeys': input.Tags.map((t) => t.Key ?? '') }),
  };
  const decision = decide(
    ctx.twin,
    ctx.principal,
    {
      action: 'sts:AssumeRole',
      resource: role.roleArn,
      resourcePolicy: role.trustPolicy,
      resourceAccount: role.accountId,
      resourcePolicyRequired: true,
      context,
    },
    { region: ctx.region, time: ctx.time, sourceIp: ctx.sourceIp, secureTransport: ctx.secureTransport },
  );
  return decision.allowed;
}

/**
 * Packed size of the session policy and tags as a percentage of the limit
 * (an approximation: AWS compresses them into a binary format it does not
 * document).
 */
function packedSize(input: AssumeRoleRequest): number | undefined {
  if (!input.Policy && !input.Tags?.length) return undefined;
  const policy = input.Policy ? JSON.stringify(JSON.parse(input.Policy)).length : 0;
  const tags = (input.Tags ?? []).reduce((n, t) => n + (t.Key?.length ?? 0) + (t.Value?.length ?? 0), 0);
  return Math.max(1, Math.ceil(((policy + tags) / 2048) * 100 * 0.3));
}

/** Checks the request and the trust, then mints the role session. */
export function assumeRole(ctx: RequestContext, input: AssumeRoleRequest): AssumeRoleResponse {
  const sessionName = checkSessionName(input.RoleSessionName);
  checkSessionPolicy(input.Policy);
  if (ctx.principal.kind === 'root') throw accessDenied('Roles may not be assumed by root accounts.');
  const roleArn = input.RoleArn ?? '';
  const denied = accessDenied(
    `User: ${ctx.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
  );
  // An unknown role is denied like an untrusted one: AWS does not reveal which roles exist.
  const role = findRole(ctx.twin, roleArn);
  if (!role || !trusted(ctx, role, input)) throw denied;
  const durationSeconds = checkDuration(input.DurationSeconds, role, ctx.principal.kind === 'assumed-role');
  const credential = issueRoleSession(ctx.twin, {
    roleArn: role.roleArn,
    roleId: role.roleId,
    sessionName,
    durationSeconds,
    ...(input.Policy && { sessionPolicy: input.Policy }),
  });
  markRoleUsed(ctx.twin, role.roleArn, ctx.region);
  const principal = credential.principal;
  const size = packedSize(input);
  return {
    Credentials: {
      AccessKeyId: credential.accessKeyId,
      SecretAccessKey: credential.secretAccessKey,
      SessionToken: credential.sessionToken,
      Expiration: new Date(credential.expiresAt!),
    },
    AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
    ...(size !== undefined && { PackedPolicySize: size }),
    ...(input.SourceIdentity && { SourceIdentity: input.SourceIdentity }),
  };
}
