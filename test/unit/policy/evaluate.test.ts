// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (${aws:username}) are literal text in policies
import { describe, expect, test } from 'vitest';
import type { ContextKeys } from '../../../policy/context-keys.ts';
import { type EvalPrincipal, evaluate, type SourcePolicy } from '../../../policy/evaluate.ts';

/**
 * The evaluation rules, case by case, as AWS documents them ("Policy
 * evaluation logic", "Cross-account policy evaluation logic", KMS "Key
 * policies", "Troubleshooting access denied error messages").
 */
const ACCT = '123456789012';
const OTHER = '444455556666';
const ROLE = `arn:aws:iam::${ACCT}:role/app`;
const SESSION = `arn:aws:sts::${ACCT}:assumed-role/app/s1`;
const USER = `arn:aws:iam::${ACCT}:user/alice`;
const BUCKET_OBJ = 'arn:aws:s3:::data/report.csv';
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const QUEUE = `arn:aws:sqs:us-east-1:${ACCT}:inbox`;
const TOPIC = `arn:aws:sns:us-east-1:${ACCT}:alerts`;

const session: EvalPrincipal = { type: 'assumed-role', arn: SESSION, roleArn: ROLE, accountId: ACCT };
const otherSession: EvalPrincipal = {
  type: 'assumed-role',
  arn: `arn:aws:sts::${OTHER}:assumed-role/reader/s2`,
  roleArn: `arn:aws:iam::${OTHER}:role/reader`,
  accountId: OTHER,
};
const user: EvalPrincipal = { type: 'user', arn: USER, accountId: ACCT };
const root: EvalPrincipal = { type: 'root', arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT };
const sns: EvalPrincipal = {
  type: 'service',
  arn: 'sns.amazonaws.com',
  accountId: ACCT,
  service: 'sns.amazonaws.com',
};

type Statement = Record<string, unknown>;
const doc = (...Statement: Statement[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const identity = (...s: Statement[]): SourcePolicy => ({
  kind: 'identity',
  id: 'inline',
  document: doc(...s),
});
const resource = (...s: Statement[]): SourcePolicy => ({
  kind: 'resource',
  id: 'ResourcePolicy',
  document: doc(...s),
});
const endpoint = (...s: Statement[]): SourcePolicy => ({ kind: 'endpoint', id: 'vpce', document: doc(...s) });
const sessionPolicy = (...s: Statement[]): SourcePolicy => ({
  kind: 'session',
  id: 'session',
  document: doc(...s),
});
const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Statement = {}) => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const deny = (Action: string | string[], Resource: string | string[] = '*', extra: Statement = {}) => ({
  Effect: 'Deny',
  Action,
  Resource,
  ...extra,
});
const to = (AWS: string | string[]) => ({ Principal: { AWS } });
const rootStatement = {
  Sid: 'Enable IAM User Permissions',
  ...allow('kms:*'),
  ...to(`arn:aws:iam::${ACCT}:root`),
};

interface Case {
  name: string;
  principal: EvalPrincipal;
  action: string;
  resource: string;
  policies: SourcePolicy[];
  resourceAccount?: string;
  required?: boolean;
  context?: ContextKeys;
  want: 'allowed' | string;
}

const noIdentity = (action: string) => `because no identity-based policy allows the ${action} action`;
const noResource = (action: string) => `because no resource-based policy allows the ${action} action`;

const cases: Case[] = [
  // Within one account
  {
    name: 'an identity-based allow suffices',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [identity(allow('s3:GetObject', 'arn:aws:s3:::data/*'))],
    want: 'allowed',
  },
  {
    name: 'nothing allows: implicit deny',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [],
    want: noIdentity('s3:GetObject'),
  },
  {
    name: 'an explicit deny in an identity-based policy wins over an allow',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [identity(allow('s3:*'), deny('s3:GetObject'))],
    want: 'with an explicit deny in an identity-based policy',
  },
  {
    name: 'an explicit deny in a resource-based policy wins over an identity allow',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [identity(allow('s3:*')), resource({ ...deny('s3:*'), Principal: '*' })],
    want: 'with an explicit deny in a resource-based policy',
  },
  {
    name: 'a resource policy naming the session ARN grants without an identity allow',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [resource({ ...allow('s3:GetObject', BUCKET_OBJ), ...to(SESSION) })],
    want: 'allowed',
  },
  {
    name: 'a resource policy naming the role ARN grants to its sessions',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [resource({ ...allow('s3:GetObject', BUCKET_OBJ), ...to(ROLE) })],
    want: 'allowed',
  },
  {
    name: 'a grant to the role ARN is limited by the session policy',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [resource({ ...allow('s3:GetObject'), ...to(ROLE) }), sessionPolicy(allow('s3:PutObject'))],
    want: 'because no session policy allows the s3:GetObject action',
  },
  {
    name: 'a grant to the session ARN is not limited by the session policy',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [resource({ ...allow('s3:GetObject'), ...to(SESSION) }), sessionPolicy(allow('s3:PutObject'))],
    want: 'allowed',
  },
  {
    name: 'a resource policy naming a user grants to that user',
    principal: user,
    action: 'sqs:SendMessage',
    resource: QUEUE,
    policies: [resource({ ...allow('sqs:SendMessage', QUEUE), ...to(USER) })],
    want: 'allowed',
  },
  {
    name: 'Principal "*" grants to anyone in the account',
    principal: user,
    action: 'sqs:SendMessage',
    resource: QUEUE,
    policies: [resource({ ...allow('sqs:SendMessage'), Principal: '*' })],
    want: 'allowed',
  },
  {
    name: 'a resource policy naming only the account delegates: an identity allow is still needed',
    principal: session,
    action: 'sqs:SendMessage',
    resource: QUEUE,
    policies: [resource({ ...allow('sqs:SendMessage'), ...to(ACCT) })],
    want: noIdentity('sqs:SendMessage'),
  },
  {
    name: 'account delegation plus an identity allow',
    principal: session,
    action: 'sqs:SendMessage',
    resource: QUEUE,
    policies: [
      resource({ ...allow('sqs:SendMessage'), ...to(`arn:aws:iam::${ACCT}:root`) }),
      identity(allow('sqs:*')),
    ],
    want: 'allowed',
  },
  {
    name: 'a session policy intersects with the role policy',
    principal: session,
    action: 's3:PutObject',
    resource: BUCKET_OBJ,
    policies: [identity(allow('s3:*')), sessionPolicy(allow('s3:GetObject'))],
    want: 'because no session policy allows the s3:PutObject action',
  },
  {
    name: 'a session policy cannot grant what the role lacks',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [identity(allow('ec2:*')), sessionPolicy(allow('s3:*'))],
    want: noIdentity('s3:GetObject'),
  },
  {
    name: 'an explicit deny in a session policy',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [identity(allow('s3:*')), sessionPolicy(allow('*'), deny('s3:GetObject'))],
    want: 'with an explicit deny in a session policy',
  },
  // The root user
  {
    name: 'the root user needs no identity policy',
    principal: root,
    action: 'ec2:DeleteVpc',
    resource: '*',
    policies: [],
    want: 'allowed',
  },
  {
    name: 'the root user is subject to explicit denies in resource policies',
    principal: root,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [resource({ ...deny('s3:*'), Principal: '*' })],
    want: 'with an explicit deny in a resource-based policy',
  },
  // KMS key policies and trust policies: resourcePolicyRequired
  {
    name: 'key policy with the root statement enables IAM policies',
    principal: session,
    action: 'kms:Decrypt',
    resource: KEY,
    required: true,
    policies: [resource(rootStatement), identity(allow('kms:Decrypt', KEY))],
    want: 'allowed',
  },
  {
    name: 'key policy with the root statement, but no IAM allow',
    principal: session,
    action: 'kms:Decrypt',
    resource: KEY,
    required: true,
    policies: [resource(rootStatement)],
    want: noIdentity('kms:Decrypt'),
  },
  {
    name: 'key policy without the root statement: IAM policies grant nothing',
    principal: session,
    action: 'kms:Decrypt',
    resource: KEY,
    required: true,
    policies: [
      resource({ ...allow('kms:*'), ...to(`arn:aws:iam::${ACCT}:role/admin`) }),
      identity(allow('kms:*')),
    ],
    want: noResource('kms:Decrypt'),
  },
  {
    name: 'key policy naming the role directly grants without an IAM allow',
    principal: session,
    action: 'kms:Decrypt',
    resource: KEY,
    required: true,
    policies: [resource({ ...allow('kms:Decrypt'), ...to(ROLE) })],
    want: 'allowed',
  },
  {
    name: 'the root user cannot use a key whose policy leaves the account out',
    principal: root,
    action: 'kms:Decrypt',
    resource: KEY,
    required: true,
    policies: [resource({ ...allow('kms:*'), ...to(ROLE) })],
    want: noResource('kms:Decrypt'),
  },
  {
    name: 'the root user can use a key with the root statement',
    principal: root,
    action: 'kms:ScheduleKeyDeletion',
    resource: KEY,
    required: true,
    policies: [resource(rootStatement)],
    want: 'allowed',
  },
  {
    name: 'a key policy deny for a principal wins',
    principal: session,
    action: 'kms:Decrypt',
    resource: KEY,
    required: true,
    policies: [resource(rootStatement, { ...deny('kms:Decrypt'), ...to(ROLE) }), identity(allow('kms:*'))],
    want: 'with an explicit deny in a resource-based policy',
  },
  // Across accounts
  {
    name: 'cross-account: identity allow alone is not enough',
    principal: otherSession,
    action: 'kms:Decrypt',
    resource: KEY,
    resourceAccount: ACCT,
    policies: [identity(allow('kms:Decrypt', KEY))],
    want: noResource('kms:Decrypt'),
  },
  {
    name: 'cross-account: the resource policy names the other account and its identity policy allows',
    principal: otherSession,
    action: 'kms:Decrypt',
    resource: KEY,
    resourceAccount: ACCT,
    required: true,
    policies: [
      resource(rootStatement, { ...allow('kms:Decrypt'), ...to(OTHER) }),
      identity(allow('kms:Decrypt', KEY)),
    ],
    want: 'allowed',
  },
  {
    name: 'cross-account: the resource policy names the role, but its identity policy does not allow',
    principal: otherSession,
    action: 'sqs:SendMessage',
    resource: QUEUE,
    resourceAccount: ACCT,
    policies: [resource({ ...allow('sqs:SendMessage'), ...to(otherSession.roleArn!) })],
    want: noIdentity('sqs:SendMessage'),
  },
  // NotPrincipal
  {
    name: 'NotPrincipal listing only the role ARN does not exclude its sessions from a Deny',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [identity(allow('s3:*')), resource({ ...deny('s3:*'), NotPrincipal: { AWS: [ROLE, ACCT] } })],
    want: 'with an explicit deny in a resource-based policy',
  },
  {
    name: 'NotPrincipal listing the session ARN excludes the session from a Deny',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [
      identity(allow('s3:*')),
      resource({ ...deny('s3:*'), NotPrincipal: { AWS: [SESSION, ROLE, ACCT] } }),
    ],
    want: 'allowed',
  },
  // NotAction / NotResource
  {
    name: 'NotAction allows everything but the listed actions (allowed case)',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [identity({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })],
    want: 'allowed',
  },
  {
    name: 'NotAction allows everything but the listed actions (excluded case)',
    principal: session,
    action: 'iam:CreateRole',
    resource: ROLE,
    policies: [identity({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })],
    want: noIdentity('iam:CreateRole'),
  },
  {
    name: 'NotResource denies every resource but the listed ones',
    principal: session,
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::other/x',
    policies: [
      identity(allow('s3:*'), { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::data/*' }),
    ],
    want: 'with an explicit deny in an identity-based policy',
  },
  {
    name: 'NotResource leaves the listed resources alone',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [
      identity(allow('s3:*'), { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::data/*' }),
    ],
    want: 'allowed',
  },
  // Conditions
  {
    name: 'a Deny on aws:SecureTransport false does not apply to TLS calls',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    context: { 'aws:SecureTransport': true },
    policies: [
      identity(allow('s3:*'), deny('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } })),
    ],
    want: 'allowed',
  },
  {
    name: 'a Deny on aws:SecureTransport false applies to plain calls',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    context: { 'aws:SecureTransport': false },
    policies: [
      identity(allow('s3:*'), deny('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': false } } })),
    ],
    want: 'with an explicit deny in an identity-based policy',
  },
  {
    name: 'a Deny with StringNotEquals applies when the key is missing',
    principal: session,
    action: 's3:PutObject',
    resource: BUCKET_OBJ,
    policies: [
      identity(allow('s3:*')),
      resource({
        ...deny('s3:PutObject'),
        Principal: '*',
        Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      }),
    ],
    want: 'with an explicit deny in a resource-based policy',
  },
  {
    name: 'IfExists: a missing key makes the condition true (a Deny then applies)',
    principal: session,
    action: 's3:PutObject',
    resource: BUCKET_OBJ,
    policies: [
      identity(allow('s3:*')),
      resource({
        ...deny('s3:PutObject'),
        Principal: '*',
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      }),
    ],
    want: 'with an explicit deny in a resource-based policy',
  },
  {
    name: 'IfExists: a present key is compared (the Deny does not apply)',
    principal: session,
    action: 's3:PutObject',
    resource: BUCKET_OBJ,
    context: { 's3:x-amz-server-side-encryption': 'aws:kms' },
    policies: [
      identity(allow('s3:*')),
      resource({
        ...deny('s3:PutObject'),
        Principal: '*',
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      }),
    ],
    want: 'allowed',
  },
  {
    name: 'IfExists on an Allow: a missing key lets the Allow apply',
    principal: session,
    action: 'ec2:RunInstances',
    resource: '*',
    policies: [
      identity(
        allow('ec2:*', '*', { Condition: { StringEqualsIfExists: { 'ec2:InstanceType': 't3.micro' } } }),
      ),
    ],
    want: 'allowed',
  },
  {
    name: 'without IfExists a missing key makes a positive condition false',
    principal: session,
    action: 'ec2:RunInstances',
    resource: '*',
    policies: [
      identity(allow('ec2:*', '*', { Condition: { StringEquals: { 'ec2:InstanceType': 't3.micro' } } })),
    ],
    want: noIdentity('ec2:RunInstances'),
  },
  {
    name: 'an Allow with IpAddress outside the range does not apply',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    context: { 'aws:SourceIp': '198.51.100.7' },
    policies: [
      identity(allow('s3:*', '*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })),
    ],
    want: noIdentity('s3:GetObject'),
  },
  // VPC endpoint policies
  {
    name: 'the endpoint policy must also allow',
    principal: session,
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::other/x',
    policies: [
      identity(allow('s3:*')),
      endpoint({ ...allow('s3:GetObject', 'arn:aws:s3:::data/*'), Principal: '*' }),
    ],
    want: 'because no VPC endpoint policy allows the s3:GetObject action',
  },
  {
    name: 'an endpoint policy does not grant on its own',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [endpoint({ ...allow('*'), Principal: '*' })],
    want: noIdentity('s3:GetObject'),
  },
  {
    name: 'an explicit deny in the endpoint policy',
    principal: session,
    action: 's3:DeleteObject',
    resource: BUCKET_OBJ,
    policies: [
      identity(allow('s3:*')),
      endpoint({ ...allow('*'), Principal: '*' }, { ...deny('s3:Delete*'), Principal: '*' }),
    ],
    want: 'with an explicit deny in a VPC endpoint policy',
  },
  {
    name: 'endpoint and identity both allow',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [
      identity(allow('s3:*')),
      endpoint({ ...allow('s3:GetObject', 'arn:aws:s3:::data/*'), Principal: '*' }),
    ],
    want: 'allowed',
  },
  // Service principals
  {
    name: 'a service principal allowed with the right aws:SourceArn',
    principal: sns,
    action: 'sqs:SendMessage',
    resource: QUEUE,
    context: { 'aws:SourceArn': TOPIC, 'aws:SourceAccount': ACCT },
    policies: [
      resource({
        ...allow('sqs:SendMessage', QUEUE),
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': TOPIC } },
      }),
    ],
    want: 'allowed',
  },
  {
    name: 'a service principal refused for another aws:SourceArn',
    principal: sns,
    action: 'sqs:SendMessage',
    resource: QUEUE,
    context: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${OTHER}:spoof`, 'aws:SourceAccount': OTHER },
    policies: [
      resource({
        ...allow('sqs:SendMessage', QUEUE),
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:sns:*:${ACCT}:*` } },
      }),
    ],
    want: noResource('sqs:SendMessage'),
  },
  {
    name: 'a service principal checked on aws:SourceAccount',
    principal: sns,
    action: 'kms:GenerateDataKey',
    resource: KEY,
    required: true,
    context: { 'aws:SourceAccount': ACCT },
    policies: [
      resource(rootStatement, {
        ...allow(['kms:GenerateDataKey*', 'kms:Decrypt']),
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': ACCT } },
      }),
    ],
    want: 'allowed',
  },
  {
    name: 'a service principal is not covered by the account delegation',
    principal: sns,
    action: 'kms:Decrypt',
    resource: KEY,
    required: true,
    policies: [resource(rootStatement)],
    want: noResource('kms:Decrypt'),
  },
  {
    name: 'identity policies do not count for service principals',
    principal: sns,
    action: 'sqs:SendMessage',
    resource: QUEUE,
    policies: [identity(allow('*'))],
    want: noResource('sqs:SendMessage'),
  },
  // Actions, resources and variables
  {
    name: 'actions match case-insensitively with wildcards',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [identity(allow('S3:get*'))],
    want: 'allowed',
  },
  {
    name: 'resources match case-sensitively',
    principal: session,
    action: 's3:GetObject',
    resource: BUCKET_OBJ,
    policies: [identity(allow('s3:*', 'arn:aws:s3:::DATA/*'))],
    want: noIdentity('s3:GetObject'),
  },
  {
    name: '${aws:username} in a resource',
    principal: user,
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::home/alice/notes.txt',
    context: { 'aws:username': 'alice' },
    policies: [identity(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*'))],
    want: 'allowed',
  },
  {
    name: "${aws:username} does not match another user's folder",
    principal: user,
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::home/bob/notes.txt',
    context: { 'aws:username': 'alice' },
    policies: [identity(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*'))],
    want: noIdentity('s3:GetObject'),
  },
  {
    name: '${aws:PrincipalAccount} in a condition value',
    principal: session,
    action: 'sqs:SendMessage',
    resource: QUEUE,
    context: { 'aws:PrincipalAccount': ACCT, 'aws:ResourceAccount': ACCT },
    policies: [
      identity(
        allow('sqs:*', '*', {
          Condition: { StringEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } },
        }),
      ),
    ],
    want: 'allowed',
  },
];

describe('evaluate: the policy evaluation logic, case by case', () => {
  test.for(cases)('$name', (c) => {
    const decision = evaluate({
      principal: c.principal,
      action: c.action,
      resource: c.resource,
      policies: c.policies,
      context: c.context ?? {},
      ...(c.resourceAccount && { resourceAccount: c.resourceAccount }),
      ...(c.required && { resourcePolicyRequired: true }),
    });
    if (c.want === 'allowed') {
      expect(decision, JSON.stringify(decision.matched)).toMatchObject({
        allowed: true,
        decision: 'allowed',
      });
    } else {
      expect(decision.allowed).toBe(false);
      expect(decision.because).toBe(c.want);
      expect(decision.decision).toBe(
        c.want.startsWith('with an explicit deny') ? 'explicitDeny' : 'implicitDeny',
      );
    }
  });

  test('the decision names the statements that applied (sid, effect, policy)', () => {
    const decision = evaluate({
      principal: session,
      action: 's3:GetObject',
      resource: BUCKET_OBJ,
      policies: [
        identity(
          { Sid: 'ReadData', ...allow('s3:GetObject') },
          { Sid: 'NoDelete', ...deny('s3:DeleteObject') },
        ),
      ],
    });
    expect(decision.matched).toEqual([
      { policyId: 'inline', kind: 'identity', index: 0, sid: 'ReadData', effect: 'Allow' },
    ]);
  });

  test('missing condition keys of relevant statements are reported', () => {
    const decision = evaluate({
      principal: session,
      action: 's3:GetObject',
      resource: BUCKET_OBJ,
      policies: [
        identity(allow('s3:*', '*', { Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } })),
      ],
    });
    expect(decision.missingContextKeys).toEqual(['aws:SourceVpce']);
  });

  test('variables are literal text in policies older than 2012-10-17', () => {
    const old: SourcePolicy = {
      kind: 'identity',
      id: 'old',
      document: JSON.stringify({
        Version: '2008-10-17',
        Statement: [allow('s3:*', 'arn:aws:s3:::home/${aws:username}/*')],
      }),
    };
    const decision = evaluate({
      principal: user,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::home/alice/x',
      context: { 'aws:username': 'alice' },
      policies: [old],
    });
    expect(decision.allowed).toBe(false);
  });

  test('an unreadable policy grants nothing and does not throw', () => {
    const broken: SourcePolicy = { kind: 'identity', id: 'broken', document: '{not json' };
    expect(
      evaluate({ principal: session, action: 's3:GetObject', resource: BUCKET_OBJ, policies: [broken] })
        .allowed,
    ).toBe(false);
  });
});
