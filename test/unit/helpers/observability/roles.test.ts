import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CannotTellError, LabDeviationError } from '../../../../helpers/errors.ts';
import { getRolePolicies, roleRefuses, roleTrusts } from '../../../../helpers/observability/roles.ts';
import { awsError, mockedClients } from '../support.ts';

/**
 * A delivery role as IAM holds it (documents URL-encoded, inline and
 * attached policies) and what it lets a service do, evaluated: a trust for
 * another service, or permissions on another log group, are caught.
 */
const iam = mockClient(IAMClient);
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/delivery/FlowLogs`;
const encoded = (doc: object) => encodeURIComponent(JSON.stringify(doc));
const trust = (service: string, condition?: object) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(condition && { Condition: condition }),
    },
  ],
});
const GROUP = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/vpc/flows`;
const STREAM = `${GROUP}:log-stream:eni-1-all`;

function role(opts: { trust: object; inline?: object; managed?: object }) {
  iam
    .on(GetRoleCommand)
    .resolves({ Role: { Arn: ROLE, AssumeRolePolicyDocument: encoded(opts.trust) } as never });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: opts.inline ? ['write'] : [] });
  iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: encoded(opts.inline ?? {}) } as never);
  const managed = 'arn:aws:iam::aws:policy/service-role/Delivery';
  iam.on(ListAttachedRolePoliciesCommand).resolves({
    AttachedPolicies: opts.managed ? [{ PolicyArn: managed, PolicyName: 'Delivery' }] : [],
  });
  iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v2' } });
  iam.on(GetPolicyVersionCommand, { PolicyArn: managed, VersionId: 'v2' }).resolves({
    PolicyVersion: { Document: encoded(opts.managed ?? {}) },
  });
}
const allow = (Action: string[], Resource: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action, Resource }],
});
const REQUESTS: [string, string[]][] = [
  ['logs:CreateLogStream', [STREAM]],
  ['logs:PutLogEvents', [STREAM]],
  ['logs:DescribeLogGroups', ['*']],
  ['logs:DescribeLogStreams', [GROUP, `${GROUP}:*`]],
];

beforeEach(() => iam.reset());
afterEach(() => iam.reset());

describe('getRolePolicies and what the role lets a service do', () => {
  test('the trust names the service; inline and attached (managed, default version) policies both count', async () => {
    role({
      trust: trust('vpc-flow-logs.amazonaws.com'),
      inline: allow(['logs:CreateLogStream', 'logs:PutLogEvents'], `${GROUP}:*`),
      managed: allow(['logs:DescribeLogGroups', 'logs:DescribeLogStreams'], '*'),
    });
    const r = await getRolePolicies(mockedClients(), ROLE);
    expect(r.identity.map((p) => p.id)).toEqual(['write', 'arn:aws:iam::aws:policy/service-role/Delivery']);
    expect(roleTrusts(r, 'vpc-flow-logs.amazonaws.com', { 'aws:SourceAccount': ACCOUNT }).allowed).toBe(true);
    expect(roleTrusts(r, 'cloudtrail.amazonaws.com', { 'aws:SourceAccount': ACCOUNT }).allowed).toBe(false);
    expect(roleRefuses(r, REQUESTS)).toEqual([]);
  });

  test('a trust held to another account, or permissions on another group, are refusals', async () => {
    role({
      trust: trust('vpc-flow-logs.amazonaws.com', { StringEquals: { 'aws:SourceAccount': '999999999999' } }),
      inline: allow(
        ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:Describe*'],
        'arn:aws:logs:*:*:log-group:/other:*',
      ),
    });
    const r = await getRolePolicies(mockedClients(), ROLE);
    expect(roleTrusts(r, 'vpc-flow-logs.amazonaws.com', { 'aws:SourceAccount': ACCOUNT }).allowed).toBe(
      false,
    );
    expect(roleRefuses(r, REQUESTS)).toEqual([
      `logs:CreateLogStream on ${STREAM}`,
      `logs:PutLogEvents on ${STREAM}`,
      'logs:DescribeLogGroups on *',
      `logs:DescribeLogStreams on ${GROUP}`,
    ]);
  });

  test('a role that is gone is a deviation; one the runner may not read is cannot-tell', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntityException', 404));
    await expect(getRolePolicies(mockedClients(), ROLE)).rejects.toThrow(LabDeviationError);
    role({ trust: trust('vpc-flow-logs.amazonaws.com') });
    iam.on(ListRolePoliciesCommand).rejects(awsError('AccessDenied', 403));
    await expect(getRolePolicies(mockedClients(), ROLE)).rejects.toThrow(CannotTellError);
  });
});
