import type { AwsError } from '../../../../twin/core/errors.ts';
import type { Credential } from '../../../../twin/core/principal.ts';
import type { ServiceDefinition } from '../../../../twin/core/service.ts';
import { makeContext } from '../../../../twin/gateway/context.ts';
import { authorizeByDefinition, dispatchTo } from '../../../../twin/gateway/dispatch.ts';
import type { Exchange } from '../../../../twin/gateway/exchange.ts';
import { recordCall } from '../../../../twin/gateway/record.ts';
import { iam } from '../../../../twin/services/iam/api.ts';
import { kms } from '../../../../twin/services/kms/api.ts';
import { issueRoleSession } from '../../../../twin/services/sts/sessions.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { rootCredential, Twin } from '../../../../twin/twin.ts';

/**
 * A twin on a ManualClock and calls made as the server makes them (same
 * authorization, handler and CloudTrail record, without HTTP). Account A
 * owns the keys; B is the other account.
 */
export const A = '123456789012';
export const B = '444455556666';
export const REGION = 'us-east-1';
export const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
export const rootStatement = (account = A) => ({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
});

export interface Fixture {
  twin: Twin;
  clock: ManualClock;
  call<O = Record<string, unknown>>(
    def: object,
    op: string,
    input: object,
    as?: Credential,
    region?: string,
  ): Promise<O>;
  kms<O = Record<string, unknown>>(op: string, input: object, as?: Credential): Promise<O>;
  /** The error a call fails with (the test fails when it succeeds). */
  kmsError(op: string, input: object, as?: Credential): Promise<AwsError>;
  /** A role in `account` trusted by the account, with identity policy statements, and a session of it. */
  role(account: string, name: string, ...statements: object[]): Promise<Credential>;
  advance(ms: number): Promise<void>;
}

/** Runs one operation like the server: context, authorize, handler, and the call recorded for CloudTrail. */
async function serve(
  twin: Twin,
  def: ServiceDefinition<unknown>,
  operation: string,
  input: object,
  credential: Credential,
  region = REGION,
) {
  const ctx = makeContext({
    twin,
    service: def,
    operation,
    region,
    credential,
    requestId: twin.ids.uuid(),
    sourceIp: '198.51.100.7',
    userAgent: 'aws-cli/2.9.19',
    origin: twin.origin,
    headers: {},
  });
  const ex = { twin, service: def, operation, input, ctx } as unknown as Exchange;
  try {
    authorizeByDefinition(ctx, input as Record<string, unknown>);
    ex.output = await dispatchTo(ctx, input as Record<string, unknown>);
    recordCall(ex, undefined);
    return ex.output;
  } catch (error) {
    recordCall(ex, error as AwsError);
    throw error;
  }
}

export function fixture(): Fixture {
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 10));
  const twin = new Twin({ clock });
  const f: Fixture = {
    twin,
    clock,
    call: (def, op, input, as = rootCredential(A), region = REGION) =>
      serve(twin, def as unknown as ServiceDefinition<unknown>, op, input, as, region) as Promise<never>,
    kms: (op, input, as) => f.call(kms, op, input, as),
    async kmsError(op, input, as) {
      try {
        await f.kms(op, input, as);
      } catch (error) {
        return error as AwsError;
      }
      throw new Error(`${op} succeeded`);
    },
    async role(account, name, ...statements) {
      const root = rootCredential(account);
      const trust = doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'sts:AssumeRole',
      });
      const out = await f.call<{ Role: { Arn: string; RoleId: string } }>(
        iam,
        'CreateRole',
        { RoleName: name, AssumeRolePolicyDocument: trust },
        root,
      );
      if (statements.length)
        await f.call(
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
    async advance(ms) {
      clock.advance(ms);
      await twin.scheduler.runDue();
    },
  };
  return f;
}
