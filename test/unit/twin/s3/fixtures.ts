import { AwsError } from '../../../../twin/core/errors.ts';
import { invoke } from '../../../../twin/core/invoke.ts';
import type { Credential } from '../../../../twin/core/principal.ts';
import type { ServiceDefinition } from '../../../../twin/core/service.ts';
import { iam } from '../../../../twin/services/iam/api.ts';
import { kms } from '../../../../twin/services/kms/api.ts';
import { s3 } from '../../../../twin/services/s3/api.ts';
import { issueRoleSession } from '../../../../twin/services/sts/sessions.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { rootCredential, Twin } from '../../../../twin/twin.ts';

/**
 * S3 model tests go through invoke(): the definition's authorization, then
 * the handler, as the server runs them. Account A owns the buckets; B is
 * the other account.
 */
export const A = '123456789012';
export const B = '444455556666';
export const REGION = 'us-east-1';
export const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

type Out = Record<string, unknown>;

export interface Fixture {
  twin: Twin;
  clock: ManualClock;
  s3<O = Out>(op: string, input: object, as?: Credential, region?: string): Promise<O>;
  /** The error an S3 call fails with (throws when it succeeds). */
  s3Error(op: string, input: object, as?: Credential, region?: string): Promise<AwsError>;
  call<O = Out>(def: object, op: string, input: object, as?: Credential): Promise<O>;
  /** A role in `account` trusted by its account, with identity policy statements, and a session of it. */
  role(account: string, name: string, ...statements: object[]): Promise<Credential>;
  /** A symmetric KMS key in account A with `policy` (statements) and an alias; returns its ARN. */
  key(alias: string, ...statements: object[]): Promise<string>;
}

export async function failure(p: Promise<unknown>): Promise<AwsError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof AwsError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

/** A fixture on a fresh twin, or on `existing` (whose clock must be a ManualClock). */
export function fixture(existing?: Twin): Fixture {
  const twin = existing ?? new Twin({ clock: new ManualClock(Date.UTC(2026, 2, 1, 10)), seed: 's3-unit' });
  const clock = twin.clock as ManualClock;
  const call = <O>(def: object, op: string, input: object, as = rootCredential(A), region = REGION) =>
    invoke<unknown, O>(twin, def as ServiceDefinition<unknown>, op, input, { credential: as, region });
  const f: Fixture = {
    twin,
    clock,
    s3: (op, input, as, region) => call(s3, op, input, as, region),
    s3Error: (op, input, as, region) => failure(call(s3, op, input, as, region)),
    call: (def, op, input, as) => call(def, op, input, as),
    async role(account, name, ...statements) {
      const root = rootCredential(account);
      const trust = doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'sts:AssumeRole',
      });
      const out = await call<{ Role: { Arn: string; RoleId: string } }>(
        iam,
        'CreateRole',
        { RoleName: name, AssumeRolePolicyDocument: trust },
        root,
      );
      if (statements.length)
        await call(
          iam,
          'PutRolePolicy',
          { RoleName: name, PolicyName: 'p', PolicyDocument: doc(...statements) },
          root,
        );
      return issueRoleSession(twin, {
        roleArn: out.Role.Arn,
        roleId: out.Role.RoleId,
        sessionName: `${name}-session`,
      });
    },
    async key(alias, ...statements) {
      const out = await call<{ KeyMetadata: { Arn: string; KeyId: string } }>(kms, 'CreateKey', {
        Policy: doc(...statements),
        BypassPolicyLockoutSafetyCheck: true,
      });
      await call(kms, 'CreateAlias', { AliasName: `alias/${alias}`, TargetKeyId: out.KeyMetadata.KeyId });
      return out.KeyMetadata.Arn;
    },
  };
  return f;
}

/** A body as GetObject returns it (a Buffer from the handler), as text. */
export const text = (out: Out) => Buffer.from(out.Body as Uint8Array).toString('utf8');
