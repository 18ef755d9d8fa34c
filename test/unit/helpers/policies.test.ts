import { describe, test } from 'vitest';
import { keyPolicyGrantees, unintendedGrantees } from '../../../helpers/grants.ts';
import { keyPolicyDelegatesToIam, namedPrincipal } from '../../../helpers/policies.ts';

/**
 * D3 and D4's questions of a key policy: does it hand the key to IAM under
 * any conditions a caller could meet, and whom does it let use the key
 * beyond the principals targets intend.
 */
const ACCT = '123456789012';
const KEY = `arn:aws:kms:eu-west-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const role = (name: string) => `arn:aws:iam::${ACCT}:role/${name}`;
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const grant = (Principal: unknown, Action: string | string[], Condition?: object) => ({
  Effect: 'Allow',
  Principal,
  Action,
  Resource: '*',
  ...(Condition && { Condition }),
});
const lab = {
  accountId: ACCT,
  runner: { arn: `arn:aws:sts::${ACCT}:assumed-role/Operator/run-1`, roleArn: role('Operator') },
  roleArns: { Auditor: role('Auditor'), Writer: role('Writer') },
};
const who = (ref: string) => namedPrincipal(ref, lab);
const base = [
  grant({ AWS: role('Auditor') }, 'kms:Decrypt'),
  grant({ AWS: role('Writer') }, 'kms:GenerateDataKey'),
  grant({ Service: 'sns.amazonaws.com' }, 'kms:Decrypt', { StringEquals: { 'aws:SourceAccount': ACCT } }),
];
const root = (Condition?: object) => grant({ AWS: `arn:aws:iam::${ACCT}:root` }, 'kms:*', Condition);

describe('keyPolicyDelegatesToIam (D3)', () => {
  test('no root statement: no delegation', ({ expect }) => {
    expect(keyPolicyDelegatesToIam(policy(...base), KEY, 'kms:Decrypt')).toBeUndefined();
  });

  test('the plain root statement delegates', ({ expect }) => {
    expect(keyPolicyDelegatesToIam(policy(...base, root()), KEY, 'kms:Decrypt')).toBeDefined();
  });

  test('a root statement narrowed by kms:ViaService still delegates, saying through what', ({ expect }) => {
    const via = root({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
    expect(keyPolicyDelegatesToIam(policy(...base, via), KEY, 'kms:Decrypt')?.presented).toEqual({
      'kms:ViaService': 's3.eu-west-1.amazonaws.com',
    });
  });

  test('a root statement narrowed to IAM users (aws:PrincipalType) still delegates', ({ expect }) => {
    const users = root({ StringEquals: { 'aws:PrincipalType': 'User' } });
    expect(keyPolicyDelegatesToIam(policy(...base, users), KEY, 'kms:GenerateDataKey')?.principal?.type).toBe(
      'user',
    );
  });

  test('a root statement only the root user can meet delegates nothing to IAM', ({ expect }) => {
    const rootUser = root({ StringEquals: { 'aws:PrincipalType': 'Account' } });
    expect(keyPolicyDelegatesToIam(policy(...base, rootUser), KEY, 'kms:Decrypt')).toBeUndefined();
  });
});

describe('unintendedGrantees (D4)', () => {
  const others = (doc: string, action: string, intended: string[]) =>
    unintendedGrantees(keyPolicyGrantees(doc, KEY, action), intended.map(who));

  test('the intended principals alone: nothing else', ({ expect }) => {
    expect(others(policy(...base), 'kms:Decrypt', ['role:Auditor', 'service:sns.amazonaws.com'])).toEqual([]);
    expect(others(policy(...base), 'kms:GenerateDataKey', ['role:Writer'])).toEqual([]);
  });

  test('a Decrypt grant to another role is named', ({ expect }) => {
    const doc = policy(...base, { ...grant({ AWS: role('Intern') }, 'kms:Decrypt'), Sid: 'AlsoIntern' });
    expect(others(doc, 'kms:Decrypt', ['role:Auditor', 'service:sns.amazonaws.com'])).toEqual([
      `${role('Intern')}, by AlsoIntern`,
    ]);
  });

  test('a grant to the runner counts as intended only when targets allow the runner', ({ expect }) => {
    const doc = policy(...base, grant({ AWS: role('Operator') }, 'kms:Decrypt'));
    expect(others(doc, 'kms:Decrypt', ['runner', 'role:Auditor', 'service:sns.amazonaws.com'])).toEqual([]);
    expect(others(doc, 'kms:Decrypt', ['role:Auditor', 'service:sns.amazonaws.com'])).toHaveLength(1);
  });

  test('"*" narrowed by conditions a caller can meet, a root grant and another service are named', ({
    expect,
  }) => {
    const doc = policy(
      ...base,
      grant('*', 'kms:Decrypt', { StringEquals: { 'kms:CallerAccount': ACCT } }),
      root({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }),
      grant({ Service: 'events.amazonaws.com' }, 'kms:Decrypt'),
    );
    const named = others(doc, 'kms:Decrypt', ['role:Auditor', 'service:sns.amazonaws.com']);
    expect(named).toHaveLength(3);
    expect(named[0]).toMatch(/^anyone \(\*\).* when kms:CallerAccount = 123456789012$/);
    expect(named[1]).toMatch(
      /any IAM principal of account 123456789012 .* when kms:ViaService = s3\.eu-west-1/,
    );
    expect(named[2]).toMatch(/^events\.amazonaws\.com/);
  });
});
