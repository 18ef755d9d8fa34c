import { describe, test } from 'vitest';
import { granteesOf } from '../../../policy/grantees.ts';

/** Everyone a resource policy can grant, found by evaluation ("IAM JSON policy elements: Principal"). */
const ACCT = '123456789012';
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const QUEUE = `arn:aws:sqs:us-east-1:${ACCT}:inbox`;
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allow = (Principal: unknown, Action: string | string[], Condition?: object) => ({
  Effect: 'Allow',
  Principal,
  Action,
  Resource: '*',
  ...(Condition && { Condition }),
});
const onKey = (doc: string, action = 'kms:Decrypt') =>
  granteesOf({ policy: doc, action, resource: KEY, resourceAccount: ACCT, resourcePolicyRequired: true });
const allowed = (gs: ReturnType<typeof granteesOf>) =>
  gs.filter((g) => g.allowed).map((g) => `${g.kind} ${g.label}`);

describe('granteesOf', () => {
  test('names each role, user and service an Allow statement grants the action, and only that action', ({
    expect,
  }) => {
    const doc = policy(
      allow({ AWS: [`arn:aws:iam::${ACCT}:role/reader`, `arn:aws:iam::${ACCT}:user/alice`] }, 'kms:Decrypt'),
      allow({ Service: 'sns.amazonaws.com' }, 'kms:GenerateDataKey*'),
    );
    expect(allowed(onKey(doc))).toEqual([
      `named arn:aws:iam::${ACCT}:role/reader`,
      `named arn:aws:iam::${ACCT}:user/alice`,
    ]);
    expect(allowed(onKey(doc, 'kms:GenerateDataKey'))).toEqual(['service sns.amazonaws.com']);
  });

  test('an account root grant is a grant to every principal of the account its IAM allows', ({ expect }) => {
    const [g] = onKey(policy(allow({ AWS: `arn:aws:iam::${ACCT}:root` }, 'kms:*')));
    expect(g).toMatchObject({ kind: 'account', allowed: true, label: `arn:aws:iam::${ACCT}:root` });
    expect(g!.principal?.type).toBe('assumed-role');
  });

  test('a root grant narrowed by kms:ViaService still grants, to callers through that service', ({
    expect,
  }) => {
    const via = { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } };
    const [g] = onKey(policy(allow({ AWS: ACCT }, 'kms:Decrypt', via)));
    expect(g).toMatchObject({
      kind: 'account',
      allowed: true,
      presented: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
    });
  });

  test('a root grant narrowed by aws:PrincipalType = User grants to an IAM user', ({ expect }) => {
    const [g] = onKey(
      policy(allow({ AWS: ACCT }, 'kms:Decrypt', { StringEquals: { 'aws:PrincipalType': 'User' } })),
    );
    expect(g).toMatchObject({ kind: 'account', allowed: true });
    expect(g!.principal?.type).toBe('user');
  });

  test('"*" with conditions is judged for a caller who meets them', ({ expect }) => {
    const cond = {
      StringEquals: { 'kms:CallerAccount': ACCT, 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' },
    };
    const gs = onKey(policy(allow('*', 'kms:Decrypt', cond)));
    expect(allowed(gs)).toEqual(['anyone *']);
    expect(gs[0]!.principal?.accountId).toBe(ACCT);
  });

  test('a statement whose conditions nobody can meet, or a deny that always applies, grants nothing', ({
    expect,
  }) => {
    const never = {
      StringEquals: { 'aws:PrincipalType': 'User' },
      StringNotEquals: { 'aws:PrincipalType': 'User' },
    };
    expect(allowed(onKey(policy(allow('*', 'kms:Decrypt', never))))).toEqual([]);
    const denied = policy(allow({ AWS: `arn:aws:iam::${ACCT}:role/reader` }, 'kms:Decrypt'), {
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:*',
      Resource: '*',
    });
    expect(allowed(onKey(denied))).toEqual([]);
  });

  test('an Allow with NotPrincipal grants everyone else', ({ expect }) => {
    const doc = policy({
      Effect: 'Allow',
      NotPrincipal: { AWS: `arn:aws:iam::${ACCT}:role/x` },
      Action: 'sqs:*',
      Resource: QUEUE,
    });
    const gs = granteesOf({ policy: doc, action: 'sqs:SendMessage', resource: QUEUE, resourceAccount: ACCT });
    expect(gs.filter((g) => g.allowed).map((g) => g.kind)).toEqual(['anyone']);
  });

  test('a service confined by aws:SourceArn is tried acting for that resource', ({ expect }) => {
    const topic = `arn:aws:sns:us-east-1:${ACCT}:orders`;
    const doc = policy(
      allow({ Service: 'sns.amazonaws.com' }, 'sqs:SendMessage', { ArnEquals: { 'aws:SourceArn': topic } }),
    );
    const [g] = granteesOf({
      policy: doc,
      action: 'sqs:SendMessage',
      resource: QUEUE,
      resourceAccount: ACCT,
    });
    expect(g).toMatchObject({ kind: 'service', allowed: true, presented: { 'aws:SourceArn': topic } });
  });

  test('principals the evaluator does not model are reported as granted, never dropped', ({ expect }) => {
    const doc = policy(allow({ Federated: 'cognito-identity.amazonaws.com' }, 'kms:Decrypt'));
    expect(allowed(onKey(doc))).toEqual(['unmodelled Federated:cognito-identity.amazonaws.com']);
  });
});
