import { invoke } from '../../../../../twin/core/invoke.ts';
import type { Credential } from '../../../../../twin/core/principal.ts';
import { iam } from '../../../../../twin/services/iam/api.ts';
import { ManualClock } from '../../../../../twin/state/clock.ts';
import { rootCredential, Twin } from '../../../../../twin/twin.ts';

export const ACCT = '123456789012';
export const OTHER = '444455556666';

export const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
export const allow = (Action: string | string[], Resource: string | string[] = '*') => ({
  Effect: 'Allow',
  Action,
  Resource,
});
export const trustService = (service = 'lambda.amazonaws.com') =>
  policy({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
export const trustAccount = (account = ACCT) =>
  policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' });

/** A twin on a manual clock and IAM calls as the root of an account (or any credential). */
export function iamTwin() {
  const clock = new ManualClock();
  const twin = new Twin({ clock });
  const as =
    (credential: Credential) =>
    // biome-ignore lint/suspicious/noExplicitAny: outputs are checked field by field in the tests
    (op: string, input: object = {}): Promise<any> =>
      invoke(twin, iam, op, input, { credential, region: 'us-east-1' });
  return { twin, clock, root: as(rootCredential(ACCT)), rootOf: (a: string) => as(rootCredential(a)), as };
}

/** Creates a user with an access key and returns IAM calls made with that key. */
export async function userWithKey(t: ReturnType<typeof iamTwin>, name: string, ...statements: object[]) {
  await t.root('CreateUser', { UserName: name });
  if (statements.length)
    await t.root('PutUserPolicy', { UserName: name, PolicyName: 'p', PolicyDocument: policy(...statements) });
  const { AccessKey } = await t.root('CreateAccessKey', { UserName: name });
  const credential = t.twin.credentials.get(AccessKey.AccessKeyId)!;
  return { call: t.as(credential), credential };
}
