import { describe, test } from 'vitest';
import {
  describeGrantee,
  type Grantee,
  intendedAs,
  keyPolicyGrantees,
  resourcePolicyGrantees,
  unintendedGrantees,
} from '../../../helpers/grants.ts';
import { namedPrincipal } from '../../../helpers/policies.ts';

/**
 * "Only" checks of topic, queue, bucket and key policies (D1, D2, D4, D6):
 * everyone a policy lets in, held against the principals targets intend,
 * each extra one named in the report with the statement that lets it in.
 */
const ACCT = '123456789012';
const OTHER = '999999999999';
const TOPIC = `arn:aws:sns:eu-west-1:${ACCT}:orders`;
const KEY = `arn:aws:kms:eu-west-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const role = (name: string, account = ACCT) => `arn:aws:iam::${account}:role/${name}`;
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const publishBy = (Principal: unknown, extra: object = {}) => ({
  Effect: 'Allow',
  Principal,
  Action: 'sns:Publish',
  Resource: TOPIC,
  ...extra,
});
const lab = {
  accountId: ACCT,
  runner: { arn: `arn:aws:iam::${ACCT}:user/alice` },
  roleArns: { Writer: role('app/Writer') },
};
const who = (ref: string) => namedPrincipal(ref, lab);
const publish = (doc: string, context?: Record<string, string | boolean>) =>
  resourcePolicyGrantees(doc, {
    action: 'sns:Publish',
    resource: TOPIC,
    resourceAccount: ACCT,
    ...(context && { context }),
  });
const allowedLabels = (gs: Grantee[]) => gs.filter((g) => g.allowed).map((g) => g.label);

describe('resourcePolicyGrantees', () => {
  test('every principal a statement names, evaluated: role, user, service, account, anyone', ({ expect }) => {
    const doc = policy(
      publishBy({ AWS: role('app/Writer') }, { Sid: 'Writer' }),
      publishBy({ AWS: `arn:aws:iam::${ACCT}:user/alice` }),
      publishBy({ Service: 'events.amazonaws.com' }),
      publishBy({ AWS: OTHER }),
      publishBy('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': ACCT } } }),
    );
    const gs = publish(doc);
    expect(gs.map((g) => [g.label, g.kind, g.allowed, g.statement])).toEqual([
      [role('app/Writer'), 'named', true, 'Writer'],
      [`arn:aws:iam::${ACCT}:user/alice`, 'named', true, 'statement 1'],
      ['events.amazonaws.com', 'service', true, 'statement 2'],
      [`arn:aws:iam::${OTHER}:root`, 'account', true, 'statement 3'],
      ['*', 'anyone', true, 'statement 4'],
    ]);
  });

  test('every caller is taken to use TLS: a statement for plain HTTP grants nobody', ({ expect }) => {
    const doc = policy(
      publishBy({ AWS: role('app/Writer') }, { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(allowedLabels(publish(doc))).toEqual([]);
  });

  test('the request context is what each caller presents (headers of the request)', ({ expect }) => {
    const doc = policy(publishBy({ AWS: role('app/Writer') }), {
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: TOPIC,
      Condition: { StringNotEquals: { 'sns:Protocol': 'sqs' } },
    });
    expect(allowedLabels(publish(doc))).toEqual([]);
    expect(allowedLabels(publish(doc, { 'sns:Protocol': 'sqs' }))).toEqual([role('app/Writer')]);
  });

  test('a policy that cannot be read grants nobody, and no policy grants nobody', ({ expect }) => {
    expect(publish('')).toEqual([]);
  });
});

describe('keyPolicyGrantees', () => {
  const decrypt = (doc: string) => keyPolicyGrantees(doc, KEY, 'kms:Decrypt');
  const grant = (Principal: unknown, Condition?: object) => ({
    Effect: 'Allow',
    Principal,
    Action: 'kms:Decrypt',
    Resource: '*',
    ...(Condition && { Condition }),
  });

  test("a grant under the caller-account condition holds only for the key's own account", ({ expect }) => {
    const mine = grant('*', { StringEquals: { 'kms:CallerAccount': ACCT } });
    expect(
      decrypt(policy(mine))
        .filter((g) => g.allowed)
        .map((g) => g.principal?.accountId),
    ).toEqual([ACCT]);
    const theirs = grant({ AWS: role('Reader', OTHER) }, { StringEquals: { 'kms:CallerAccount': ACCT } });
    expect(decrypt(policy(theirs)).some((g) => g.allowed)).toBe(false);
  });

  test('"*" is found as a caller of the key\'s own account; a root statement only another account could meet grants nothing', ({
    expect,
  }) => {
    expect(decrypt(policy(grant('*'))).map((g) => [g.label, g.principal?.accountId, g.allowed])).toEqual([
      ['*', ACCT, true],
    ]);
    const foreign = grant(
      { AWS: `arn:aws:iam::${ACCT}:root` },
      { StringEquals: { 'kms:CallerAccount': OTHER } },
    );
    expect(decrypt(policy(foreign)).map((g) => [g.kind, g.allowed])).toEqual([['account', false]]);
  });

  test('a key policy requires its own grant: a named role of the account is let in by it', ({ expect }) => {
    expect(allowedLabels(decrypt(policy(grant({ AWS: role('Auditor') }))))).toEqual([role('Auditor')]);
  });

  test('KMS calls use TLS: a grant for plain HTTP grants nobody; no policy grants nobody', ({ expect }) => {
    expect(allowedLabels(decrypt(policy(grant('*', { Bool: { 'aws:SecureTransport': 'false' } }))))).toEqual(
      [],
    );
    expect(decrypt('')).toEqual([]);
  });

  test('grants of other actions are not grantees of this one', ({ expect }) => {
    const encrypt = { ...grant({ AWS: role('Auditor') }), Action: 'kms:Encrypt' };
    expect(decrypt(policy(encrypt))).toEqual([]);
  });
});

describe('intendedAs', () => {
  const g = (over: Partial<Grantee>): Grantee => ({
    label: 'x',
    kind: 'named',
    context: {},
    presented: {},
    allowed: true,
    because: '',
    statement: 's',
    ...over,
  });

  test('a role grantee is the targets role with the same role ARN, path included', ({ expect }) => {
    const writer = who('role:Writer');
    expect(intendedAs(g({ principal: writer.principal }), [who('role:Other'), writer])).toBe(writer);
    expect(
      intendedAs(g({ principal: { ...writer.principal, roleArn: role('Writer') } }), [writer]),
    ).toBeUndefined();
  });

  test('a user grantee is the runner only when the runner is that very user', ({ expect }) => {
    const runner = who('runner');
    const alice = { type: 'user' as const, accountId: ACCT, arn: `arn:aws:iam::${ACCT}:user/alice` };
    expect(intendedAs(g({ principal: alice }), [runner])).toBe(runner);
    expect(
      intendedAs(g({ principal: { ...alice, arn: `arn:aws:iam::${ACCT}:user/bob` } }), [runner]),
    ).toBeUndefined();
    // The root of the account is not the user, even under the same ARN.
    expect(intendedAs(g({ principal: { ...alice, type: 'root' } }), [runner])).toBeUndefined();
  });

  test('a service grantee is the targets service of the same name', ({ expect }) => {
    const sns = who('service:sns.amazonaws.com');
    const service = (name: string) => ({
      type: 'service' as const,
      accountId: ACCT,
      arn: name,
      service: name,
    });
    expect(intendedAs(g({ kind: 'service', principal: service('sns.amazonaws.com') }), [sns])).toBe(sns);
    expect(
      intendedAs(g({ kind: 'service', principal: service('events.amazonaws.com') }), [sns]),
    ).toBeUndefined();
  });

  test('an account, anyone, or an unmodelled principal is never what targets intend', ({ expect }) => {
    const writer = who('role:Writer');
    expect(intendedAs(g({ kind: 'account', principal: writer.principal }), [writer])).toBeUndefined();
    expect(intendedAs(g({ kind: 'anyone', principal: writer.principal }), [writer])).toBeUndefined();
    expect(intendedAs(g({ kind: 'unmodelled' }), [writer])).toBeUndefined();
    expect(intendedAs(g({}), [writer])).toBeUndefined();
  });
});

describe('describeGrantee and unintendedGrantees', () => {
  test('each kind is named as a reader of the report would need it, with what it must present', ({
    expect,
  }) => {
    const base = { context: {}, allowed: true, because: '', statement: 'Open' };
    expect(describeGrantee({ ...base, label: role('X'), kind: 'named', presented: {} })).toBe(
      `${role('X')}, by Open`,
    );
    expect(describeGrantee({ ...base, label: '*', kind: 'anyone', presented: {} })).toBe(
      'anyone (*), by Open',
    );
    expect(
      describeGrantee({
        ...base,
        label: `arn:aws:iam::${OTHER}:root`,
        kind: 'account',
        presented: { 'aws:SourceVpc': 'vpc-1', 'aws:SecureTransport': true },
      }),
    ).toBe(
      `any IAM principal of account ${OTHER} its IAM policies allow (arn:aws:iam::${OTHER}:root), by Open when aws:SourceVpc = vpc-1 and aws:SecureTransport = true`,
    );
  });

  test('the same grantee found twice is one line; a grantee accepted on other grounds is none', ({
    expect,
  }) => {
    const doc = policy(
      publishBy({ AWS: role('Intern') }, { Sid: 'A' }),
      publishBy({ AWS: [role('Intern'), role('Intern')] }, { Sid: 'A' }),
      publishBy({ Service: 's3.amazonaws.com' }, { Sid: 'B' }),
      publishBy({ AWS: role('app/Writer') }, { Sid: 'C' }),
    );
    const gs = publish(doc);
    expect(unintendedGrantees(gs, [who('role:Writer')])).toEqual([
      `${role('Intern')}, by A`,
      's3.amazonaws.com, by B',
    ]);
    expect(unintendedGrantees(gs, [who('role:Writer')], (g) => g.kind === 'service')).toEqual([
      `${role('Intern')}, by A`,
    ]);
  });

  test('a grantee the policy names but then refuses is not a finding', ({ expect }) => {
    const doc = policy(publishBy({ AWS: role('Intern') }, { Sid: 'A' }), {
      Effect: 'Deny',
      Principal: { AWS: role('Intern') },
      Action: 'sns:Publish',
      Resource: TOPIC,
    });
    expect(unintendedGrantees(publish(doc), [])).toEqual([]);
  });
});
