import { describe, test } from 'vitest';
import { keyPolicyGrantees, unintendedGrantees } from '../../../helpers/grants.ts';
import {
  endpointPolicyLetsIn,
  keyPolicyAllows,
  keyPolicyDelegatesToIam,
  namedPrincipal,
  OUTSIDER,
  resourcePolicyDecision,
} from '../../../helpers/policies.ts';

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

  test('a root statement only callers of another account could meet delegates nothing', ({ expect }) => {
    // KMS sets kms:CallerAccount to the caller's own account: this account's IAM principals never match.
    const foreign = root({ StringEquals: { 'kms:CallerAccount': '999999999999' } });
    expect(keyPolicyDelegatesToIam(policy(...base, foreign), KEY, 'kms:Decrypt')).toBeUndefined();
  });

  test('a root statement that requires plain HTTP delegates nothing: KMS calls always use TLS', ({
    expect,
  }) => {
    const plain = root({ Bool: { 'aws:SecureTransport': 'false' } });
    expect(keyPolicyDelegatesToIam(policy(...base, plain), KEY, 'kms:Decrypt')).toBeUndefined();
  });

  test("another account's root is not delegation to this account's IAM (D4 names it instead)", ({
    expect,
  }) => {
    const other = grant({ AWS: 'arn:aws:iam::999999999999:root' }, 'kms:*');
    expect(keyPolicyDelegatesToIam(policy(...base, other), KEY, 'kms:Decrypt')).toBeUndefined();
  });

  test('a root statement for other actions delegates nothing for this one; an empty policy none', ({
    expect,
  }) => {
    const encryptOnly = grant({ AWS: `arn:aws:iam::${ACCT}:root` }, 'kms:Encrypt');
    expect(keyPolicyDelegatesToIam(policy(...base, encryptOnly), KEY, 'kms:Decrypt')).toBeUndefined();
    expect(keyPolicyDelegatesToIam(policy(...base, encryptOnly), KEY, 'kms:Encrypt')?.label).toBe(
      `arn:aws:iam::${ACCT}:root`,
    );
    expect(keyPolicyDelegatesToIam('', KEY, 'kms:Decrypt')).toBeUndefined();
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

describe('namedPrincipal', () => {
  test('a role of targets is a session of the role IAM names, path and all', ({ expect }) => {
    const withPath = namedPrincipal('role:Auditor', {
      ...lab,
      roleArns: { Auditor: role('audit/team/Auditor') },
    });
    expect(withPath).toEqual({
      ref: 'role:Auditor',
      principal: {
        type: 'assumed-role',
        accountId: ACCT,
        // A session ARN never carries the role's path.
        arn: `arn:aws:sts::${ACCT}:assumed-role/Auditor/meshcheck`,
        roleArn: role('audit/team/Auditor'),
      },
      context: {
        'aws:PrincipalAccount': ACCT,
        'aws:PrincipalArn': role('audit/team/Auditor'),
        'aws:PrincipalType': 'AssumedRole',
        'aws:SecureTransport': true,
      },
    });
  });

  test('a role targets name but IAM did not resolve is taken as a role without a path', ({ expect }) => {
    const p = namedPrincipal('role:Other', lab).principal;
    expect(p.roleArn).toBe(role('Other'));
    expect(p.arn).toBe(`arn:aws:sts::${ACCT}:assumed-role/Other/meshcheck`);
  });

  test('the runner as a role session keeps its own session ARN', ({ expect }) => {
    expect(who('runner')).toEqual({
      ref: 'runner',
      principal: { type: 'assumed-role', accountId: ACCT, arn: lab.runner.arn, roleArn: role('Operator') },
      context: {
        'aws:PrincipalAccount': ACCT,
        'aws:PrincipalArn': role('Operator'),
        'aws:PrincipalType': 'AssumedRole',
        'aws:SecureTransport': true,
      },
    });
  });

  test('the runner as an IAM user or the root is that, as aws:PrincipalType says', ({ expect }) => {
    const user = `arn:aws:iam::${ACCT}:user/alice`;
    const asUser = namedPrincipal('runner', { ...lab, runner: { arn: user } });
    expect(asUser.principal).toEqual({ type: 'user', accountId: ACCT, arn: user });
    expect(asUser.context).toMatchObject({ 'aws:PrincipalArn': user, 'aws:PrincipalType': 'User' });
    const asRoot = namedPrincipal('runner', { ...lab, runner: { arn: `arn:aws:iam::${ACCT}:root` } });
    expect(asRoot.principal.type).toBe('root');
    expect(asRoot.context['aws:PrincipalType']).toBe('Account');
  });

  test('a service acts for this account, and for the resource targets name when they do', ({ expect }) => {
    const topic = `arn:aws:sns:eu-west-1:${ACCT}:orders`;
    expect(
      namedPrincipal('service:sns.amazonaws.com', { ...lab, sourceArns: { 'sns.amazonaws.com': topic } }),
    ).toEqual({
      ref: 'service:sns.amazonaws.com',
      principal: { type: 'service', accountId: ACCT, arn: 'sns.amazonaws.com', service: 'sns.amazonaws.com' },
      context: { 'aws:SourceAccount': ACCT, 'aws:SourceArn': topic, 'aws:SecureTransport': true },
    });
    expect(who('service:sns.amazonaws.com').context).toEqual({
      'aws:SourceAccount': ACCT,
      'aws:SecureTransport': true,
    });
  });
});

describe('keyPolicyAllows (D4 rows)', () => {
  test('a grant to the role allows its sessions; nothing else in the policy allows another', ({ expect }) => {
    expect(keyPolicyAllows(policy(...base), KEY, who('role:Auditor'), 'kms:Decrypt')).toEqual({
      allowed: true,
      because: '',
    });
    expect(keyPolicyAllows(policy(...base), KEY, who('role:Writer'), 'kms:Decrypt')).toEqual({
      allowed: false,
      because: 'because no resource-based policy allows the kms:Decrypt action',
    });
  });

  test('the root statement alone grants a role nothing: its IAM policies are left out on purpose', ({
    expect,
  }) => {
    expect(keyPolicyAllows(policy(root()), KEY, who('role:Auditor'), 'kms:Decrypt').allowed).toBe(false);
  });

  test('an empty key policy allows nobody', ({ expect }) => {
    expect(keyPolicyAllows('', KEY, who('role:Auditor'), 'kms:Decrypt').allowed).toBe(false);
  });

  test('a grant narrowed to callers of this account and to TLS holds for its own principals', ({
    expect,
  }) => {
    const narrowed = grant({ AWS: role('Auditor') }, 'kms:Decrypt', {
      StringEquals: { 'kms:CallerAccount': ACCT },
      Bool: { 'aws:SecureTransport': 'true' },
    });
    expect(keyPolicyAllows(policy(narrowed), KEY, who('role:Auditor'), 'kms:Decrypt').allowed).toBe(true);
  });

  test('a key of another account is not usable on its key policy alone (cross-account needs IAM too)', ({
    expect,
  }) => {
    const foreignKey = KEY.replace(ACCT, '999999999999');
    expect(keyPolicyAllows(policy(...base), foreignKey, who('role:Auditor'), 'kms:Decrypt').allowed).toBe(
      false,
    );
  });

  test('a service grant conditioned on aws:SourceAccount holds for the service acting for this account', ({
    expect,
  }) => {
    expect(
      keyPolicyAllows(policy(...base), KEY, who('service:sns.amazonaws.com'), 'kms:Decrypt').allowed,
    ).toBe(true);
  });
});

describe('resourcePolicyDecision (topic, queue, bucket)', () => {
  const TOPIC = `arn:aws:sns:eu-west-1:${ACCT}:orders`;
  const QUEUE = `arn:aws:sqs:eu-west-1:${ACCT}:orders`;
  const publish = { action: 'sns:Publish', resource: TOPIC, resourceAccount: ACCT };
  const denyPlainHttp = {
    Effect: 'Deny',
    Principal: '*',
    Action: 'sns:Publish',
    Resource: TOPIC,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };

  test('a principal of the account passes on its own IAM side when the policy says nothing', ({ expect }) => {
    expect(resourcePolicyDecision('', { who: who('role:Writer'), ...publish })).toEqual({
      allowed: true,
      explicitDeny: false,
      because: '',
    });
  });

  test('a policy denying plain HTTP lets TLS through and refuses plain HTTP by an explicit deny', ({
    expect,
  }) => {
    const doc = policy(denyPlainHttp);
    expect(resourcePolicyDecision(doc, { who: who('role:Writer'), ...publish }).allowed).toBe(true);
    const plain = resourcePolicyDecision(doc, {
      who: who('role:Writer'),
      ...publish,
      context: { 'aws:SecureTransport': false },
    });
    expect(plain.allowed).toBe(false);
    expect(plain.explicitDeny).toBe(true);
    expect(plain.because).toMatch(/explicit deny/);
  });

  test('a deny for IAM users refuses a runner that is a user, not one that is a role session', ({
    expect,
  }) => {
    const noUsers = policy({
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: TOPIC,
      Condition: { StringEquals: { 'aws:PrincipalType': 'User' } },
    });
    const user = namedPrincipal('runner', { ...lab, runner: { arn: `arn:aws:iam::${ACCT}:user/alice` } });
    expect(resourcePolicyDecision(noUsers, { who: user, ...publish }).explicitDeny).toBe(true);
    expect(resourcePolicyDecision(noUsers, { who: who('runner'), ...publish }).allowed).toBe(true);
  });

  test('a service has no IAM side: only the policy can let it in, for the resource it acts for', ({
    expect,
  }) => {
    const topic = `arn:aws:sns:eu-west-1:${ACCT}:orders`;
    const sns = namedPrincipal('service:sns.amazonaws.com', {
      ...lab,
      sourceArns: { 'sns.amazonaws.com': topic },
    });
    const send = { action: 'sqs:SendMessage', resource: QUEUE, resourceAccount: ACCT };
    expect(resourcePolicyDecision('', { who: sns, ...send })).toMatchObject({
      allowed: false,
      explicitDeny: false,
      because: 'because no resource-based policy allows the sqs:SendMessage action',
    });
    const fromTopic = policy({
      ...grant({ Service: 'sns.amazonaws.com' }, 'sqs:SendMessage', {
        ArnEquals: { 'aws:SourceArn': topic },
      }),
      Resource: QUEUE,
    });
    expect(resourcePolicyDecision(fromTopic, { who: sns, ...send }).allowed).toBe(true);
    // The same service acting for a resource targets do not name does not meet the condition.
    expect(
      resourcePolicyDecision(fromTopic, { who: who('service:sns.amazonaws.com'), ...send }).allowed,
    ).toBe(false);
  });

  test("the request context adds to the caller's (headers of the request, such as encryption)", ({
    expect,
  }) => {
    const bucket = policy({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::receipts/*',
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    });
    const put = { action: 's3:PutObject', resource: 'arn:aws:s3:::receipts/r.txt', resourceAccount: ACCT };
    expect(resourcePolicyDecision(bucket, { who: who('runner'), ...put }).explicitDeny).toBe(true);
    expect(
      resourcePolicyDecision(bucket, {
        who: who('runner'),
        ...put,
        context: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      }).allowed,
    ).toBe(true);
  });

  test('a caller of another account needs the policy to name it', ({ expect }) => {
    const outsider = namedPrincipal('runner', {
      ...lab,
      accountId: OUTSIDER,
      runner: { arn: `arn:aws:iam::${OUTSIDER}:user/eve` },
    });
    expect(resourcePolicyDecision('', { who: outsider, ...publish }).allowed).toBe(false);
    const named = policy({
      ...grant({ AWS: `arn:aws:iam::${OUTSIDER}:user/eve` }, 'sns:Publish'),
      Resource: TOPIC,
    });
    expect(resourcePolicyDecision(named, { who: outsider, ...publish }).allowed).toBe(true);
  });
});

describe('endpointPolicyLetsIn (E5)', () => {
  const INSIDER2 = '210987654321';
  const verdicts = (doc: string, insiders = [ACCT, INSIDER2]) =>
    endpointPolicyLetsIn(doc, { insiders, bucket: 'lab-bucket' });
  const allowed = (doc: string, insiders?: string[]) =>
    Object.fromEntries(verdicts(doc, insiders).map((v) => [v.who, v.allowed]));
  const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'];
  const endpoint = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

  test('each insider and each outsider case is asked for reads, writes, deletes and listing', ({
    expect,
  }) => {
    const v = verdicts(endpoint({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }));
    expect(v.map((x) => [x.who, x.shouldBe])).toEqual([
      ...ACTIONS.map((a) => [`account ${ACCT}: ${a}`, true]),
      ...ACTIONS.map((a) => [`account ${INSIDER2}: ${a}`, true]),
      ...ACTIONS.map((a) => [`an outsider in a lab bucket: ${a}`, false]),
      ...ACTIONS.map((a) => [`an outsider in its own bucket: ${a}`, false]),
    ]);
    // The full-access default lets everyone through: every outsider row is a finding.
    expect(v.every((x) => x.allowed)).toBe(true);
  });

  test('a policy keyed on the principal account lets insiders in and keeps outsiders out', ({ expect }) => {
    const doc = endpoint({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': [ACCT, INSIDER2] } },
    });
    const v = verdicts(doc);
    expect(v.every((x) => x.allowed === x.shouldBe)).toBe(true);
    expect(v.find((x) => !x.allowed)?.because).toBe(
      'because no VPC endpoint policy allows the s3:GetObject action',
    );
  });

  test('a policy keyed on the bucket account alone stops exfiltration but lets outsiders into lab buckets', ({
    expect,
  }) => {
    const doc = endpoint({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceAccount': [ACCT] } },
    });
    expect(
      allowed(
        endpoint({
          ...JSON.parse(doc).Statement[0],
          Condition: { StringEquals: { 's3:ResourceAccount': ACCT } },
        }),
        [ACCT],
      ),
    ).toEqual(allowed(doc, [ACCT]));
    const a = allowed(doc, [ACCT]);
    // E5 fails it: "principals of the lab's accounts only" is not what it says.
    expect(verdicts(doc, [ACCT]).some((v) => v.allowed !== v.shouldBe)).toBe(true);
    for (const action of ACTIONS) {
      expect(a[`account ${ACCT}: ${action}`]).toBe(true);
      expect(a[`an outsider in a lab bucket: ${action}`]).toBe(true);
      expect(a[`an outsider in its own bucket: ${action}`]).toBe(false);
    }
  });

  test('objects and listing are asked of their own resources: the bucket for listing, a key for the rest', ({
    expect,
  }) => {
    const bucketOnly = allowed(
      endpoint({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::lab-bucket' }),
      [ACCT],
    );
    expect(ACTIONS.map((x) => bucketOnly[`account ${ACCT}: ${x}`])).toEqual([false, false, false, true]);
    const objectsOnly = allowed(
      endpoint({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::lab-bucket/*' }),
      [ACCT],
    );
    expect(ACTIONS.map((x) => objectsOnly[`account ${ACCT}: ${x}`])).toEqual([true, true, true, false]);
    expect(objectsOnly['an outsider in its own bucket: s3:GetObject']).toBe(false);
  });

  test('reads allowed and writes not: the rows say which action each insider lacks', ({ expect }) => {
    const a = allowed(endpoint({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }), [
      ACCT,
    ]);
    expect(ACTIONS.map((x) => a[`account ${ACCT}: ${x}`])).toEqual([true, false, false, false]);
  });

  test('a policy requiring TLS holds for the insiders: every S3 call through the endpoint uses it', ({
    expect,
  }) => {
    const doc = endpoint({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:*',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { 'aws:PrincipalAccount': ACCT } },
    });
    expect(allowed(doc, [ACCT])[`account ${ACCT}: s3:GetObject`]).toBe(true);
  });

  test('insiders are asked as role sessions, so a policy for roles only still lets them in', ({ expect }) => {
    const doc = endpoint({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:PrincipalType': 'AssumedRole' },
        ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/*` },
      },
    });
    const a = allowed(doc, [ACCT]);
    expect(a[`account ${ACCT}: s3:GetObject`]).toBe(true);
    expect(a['an outsider in a lab bucket: s3:GetObject']).toBe(false);
  });

  test('no policy text is never "anyone may": it lets nobody through', ({ expect }) => {
    expect(verdicts('', [ACCT]).some((x) => x.allowed)).toBe(false);
  });
});
