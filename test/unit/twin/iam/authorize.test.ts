import { beforeEach, describe, expect, test } from 'vitest';
import { invoke } from '../../../../twin/core/invoke.ts';
import type { Principal } from '../../../../twin/core/principal.ts';
import { type CallFacts, decide } from '../../../../twin/iam/authorize.ts';
import { iam } from '../../../../twin/services/iam/api.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { rootCredential, Twin } from '../../../../twin/twin.ts';

/** decide(): policies gathered from the IAM model at call time, and the request context it builds. */
const ACCT = '123456789012';
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/k1`;
const facts: CallFacts = {
  region: 'us-east-1',
  time: Date.parse('2026-03-01T10:00:00Z'),
  sourceIp: '198.51.100.10',
  secureTransport: true,
};
const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

let twin: Twin;
const call = (op: string, input: object) =>
  invoke(twin, iam, op, input, { credential: rootCredential(ACCT), region: 'us-east-1' });
const session = (role: string): Principal => ({
  kind: 'assumed-role',
  accountId: ACCT,
  arn: `arn:aws:sts::${ACCT}:assumed-role/${role}/s`,
  userId: 'AROAEXAMPLE:s',
  roleArn: `arn:aws:iam::${ACCT}:role/${role}`,
  roleName: role,
  sessionName: 's',
});

beforeEach(async () => {
  twin = new Twin({ clock: new ManualClock(facts.time) });
  await call('CreateRole', {
    RoleName: 'reader',
    AssumeRolePolicyDocument: trust,
    Tags: [{ Key: 'team', Value: 'blue' }],
  });
});

describe('decide', () => {
  test("a role session is judged by the role's attached AWS managed policy", async () => {
    await call('AttachRolePolicy', {
      RoleName: 'reader',
      PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    });
    expect(decide(twin, session('reader'), { action: 'kms:DescribeKey', resource: KEY }, facts).allowed).toBe(
      true,
    );
    expect(decide(twin, session('reader'), { action: 'kms:Decrypt', resource: KEY }, facts)).toMatchObject({
      allowed: false,
      because: 'because no identity-based policy allows the kms:Decrypt action',
    });
  });

  test('an inline policy change applies to the next decision', async () => {
    const request = { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCT}:q` };
    expect(decide(twin, session('reader'), request, facts).allowed).toBe(false);
    await call('PutRolePolicy', {
      RoleName: 'reader',
      PolicyName: 'send',
      PolicyDocument: policy({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }),
    });
    expect(decide(twin, session('reader'), request, facts).allowed).toBe(true);
    await call('DeleteRolePolicy', { RoleName: 'reader', PolicyName: 'send' });
    expect(decide(twin, session('reader'), request, facts).allowed).toBe(false);
  });

  test("a session's own policy narrows the role", async () => {
    await call('AttachRolePolicy', {
      RoleName: 'reader',
      PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    });
    const narrowed = {
      ...session('reader'),
      sessionPolicy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }),
    } as Principal;
    expect(
      decide(twin, narrowed, { action: 's3:PutObject', resource: 'arn:aws:s3:::b/k' }, facts).because,
    ).toBe('because no session policy allows the s3:PutObject action');
  });

  test('the root user needs no policy; a session of a deleted role has none', async () => {
    expect(
      decide(twin, rootCredential(ACCT).principal, { action: 'ec2:DeleteVpc', resource: '*' }, facts).allowed,
    ).toBe(true);
    await call('PutRolePolicy', {
      RoleName: 'reader',
      PolicyName: 'all',
      PolicyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }),
    });
    await call('DeleteRolePolicy', { RoleName: 'reader', PolicyName: 'all' });
    await call('DeleteRole', { RoleName: 'reader' });
    expect(
      decide(twin, session('reader'), { action: 'ec2:DescribeVpcs', resource: '*' }, facts).allowed,
    ).toBe(false);
  });

  test('global keys: principal ARN (the role, not the session), tags, time, source IP', async () => {
    await call('PutRolePolicy', {
      RoleName: 'reader',
      PolicyName: 'conditional',
      PolicyDocument: policy({
        Effect: 'Allow',
        Action: 'ec2:DescribeVpcs',
        Resource: '*',
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/reader` },
          StringEquals: {
            'aws:PrincipalTag/team': 'blue',
            'aws:PrincipalType': 'AssumedRole',
            'aws:RequestedRegion': 'us-east-1',
          },
          DateLessThan: { 'aws:CurrentTime': '2026-03-02T00:00:00Z' },
          IpAddress: { 'aws:SourceIp': '198.51.100.0/24' },
        },
      }),
    });
    expect(
      decide(twin, session('reader'), { action: 'ec2:DescribeVpcs', resource: '*' }, facts).allowed,
    ).toBe(true);
    expect(
      decide(
        twin,
        session('reader'),
        { action: 'ec2:DescribeVpcs', resource: '*' },
        { ...facts, sourceIp: '203.0.113.1' },
      ).allowed,
    ).toBe(false);
  });

  test('through a VPC endpoint: aws:SourceVpce instead of aws:SourceIp, and the endpoint policy must allow', async () => {
    await call('PutRolePolicy', {
      RoleName: 'reader',
      PolicyName: 'via-endpoint',
      PolicyDocument: policy({
        Effect: 'Allow',
        Action: 's3:*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0abc' } },
      }),
    });
    const viaEndpoint = { ...facts, sourceVpce: 'vpce-0abc', sourceVpc: 'vpc-1' };
    expect(
      decide(twin, session('reader'), { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }, viaEndpoint)
        .allowed,
    ).toBe(true);
    expect(
      decide(twin, session('reader'), { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }, facts)
        .allowed,
    ).toBe(false);
    const endpointPolicy = policy({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::other/*',
    });
    expect(
      decide(
        twin,
        session('reader'),
        { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' },
        { ...viaEndpoint, endpointPolicy },
      ).because,
    ).toBe('because no VPC endpoint policy allows the s3:GetObject action');
  });

  test('a service acting for a resource is judged by the resource policy and aws:SourceArn', () => {
    const sns: Principal = {
      kind: 'service',
      accountId: ACCT,
      arn: 'sns.amazonaws.com',
      userId: 'sns.amazonaws.com',
      service: 'sns.amazonaws.com',
    };
    const topic = `arn:aws:sns:us-east-1:${ACCT}:alerts`;
    const queuePolicy = policy({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: '*',
      Condition: { ArnEquals: { 'aws:SourceArn': topic } },
    });
    const request = {
      action: 'sqs:SendMessage',
      resource: `arn:aws:sqs:us-east-1:${ACCT}:q`,
      resourcePolicy: queuePolicy,
    };
    expect(decide(twin, sns, { ...request, context: { 'aws:SourceArn': topic } }, facts).allowed).toBe(true);
    expect(
      decide(twin, sns, { ...request, context: { 'aws:SourceArn': `${topic}-other` } }, facts).because,
    ).toBe('because no resource-based policy allows the sqs:SendMessage action');
  });

  test('a resource in another account, named by its ARN, needs its resource policy', async () => {
    await call('AttachRolePolicy', {
      RoleName: 'reader',
      PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    });
    const foreignKey = 'arn:aws:kms:us-east-1:444455556666:key/k2';
    expect(
      decide(twin, session('reader'), { action: 'kms:Decrypt', resource: foreignKey }, facts).because,
    ).toBe('because no resource-based policy allows the kms:Decrypt action');
  });
});
