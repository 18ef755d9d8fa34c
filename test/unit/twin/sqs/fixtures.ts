import { invoke } from '../../../../twin/core/invoke.ts';
import type { Credential } from '../../../../twin/core/principal.ts';
import { iam } from '../../../../twin/services/iam/api.ts';
import { sns } from '../../../../twin/services/sns/api.ts';
import { sqs } from '../../../../twin/services/sqs/api.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { rootCredential, Twin } from '../../../../twin/twin.ts';

/**
 * A twin on a ManualClock and the calls SQS/SNS/IAM tests make through
 * invoke() (the same authorization and handlers as HTTP). Two accounts:
 * A owns most things, B is the other account for cross-account cases.
 */
export const A = '123456789012';
export const B = '444455556666';
export const REGION = 'us-east-1';

export const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

export interface Fixture {
  twin: Twin;
  clock: ManualClock;
  sqs<O = Record<string, unknown>>(op: string, input: object, as?: Credential): Promise<O>;
  sns<O = Record<string, unknown>>(op: string, input: object, as?: Credential): Promise<O>;
  iam<O = Record<string, unknown>>(op: string, input: object, as?: Credential): Promise<O>;
  /** An IAM user of `account` with the given identity policy statements, as a credential. */
  user(account: string, name: string, ...statements: object[]): Promise<Credential>;
  /** Moves the clock and runs the scheduler's due work (deliveries, polls, long-poll timeouts). */
  advance(ms: number): Promise<void>;
  queueUrl(name: string, account?: string): string;
  queueArn(name: string, account?: string): string;
}

export function fixture(): Fixture {
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 10));
  const twin = new Twin({ clock });
  const call =
    (def: typeof sqs | typeof sns | typeof iam) =>
    <O>(op: string, input: object, as: Credential = rootCredential(A)) =>
      invoke<unknown, O>(twin, def as never, op, input, { credential: as, region: REGION });
  const f: Fixture = {
    twin,
    clock,
    sqs: call(sqs),
    sns: call(sns),
    iam: call(iam),
    async user(account, name, ...statements) {
      const root = rootCredential(account);
      await f.iam('CreateUser', { UserName: name }, root);
      if (statements.length)
        await f.iam(
          'PutUserPolicy',
          { UserName: name, PolicyName: 'p', PolicyDocument: policy(...statements) },
          root,
        );
      const out = await f.iam<{ AccessKey: { AccessKeyId: string } }>(
        'CreateAccessKey',
        { UserName: name },
        root,
      );
      return twin.credentials.get(out.AccessKey.AccessKeyId)!;
    },
    async advance(ms) {
      clock.advance(ms);
      await twin.scheduler.runDue();
    },
    queueUrl: (name, account = A) => `${twin.origin}/${account}/${name}`,
    queueArn: (name, account = A) => `arn:aws:sqs:${REGION}:${account}:${name}`,
  };
  return f;
}

/** Lets pending promise callbacks (a parked long poll) run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));
