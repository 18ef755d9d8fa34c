import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { decideMatrix, wrongPairs } from '../../../../helpers/application/privilege.ts';
import { CannotTellError } from '../../../../helpers/errors.ts';
import { simulate } from '../../../../policy/simulate.ts';
import { awsError, mockedClients } from '../support.ts';

/**
 * A matrix decided twice, IAM's simulator (mocked here) and ours: they agree
 * → a verdict; they disagree, IAM cannot be asked, or IAM leaves a pair out →
 * an error, never a pass on our evaluator's word alone.
 */
const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);
const ACCOUNT = '123456789012';
const LAB = { region: 'eu-west-1', accountId: ACCOUNT, runId: 'mc-20261207-abcdef' };
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app/Writer`;
const TABLE = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/AppEvents`;
const encoded = (doc: object) => encodeURIComponent(JSON.stringify(doc));
const allow = (Action: string[], Resource: string | string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Grant', Effect: 'Allow', Action, Resource }],
});

const MATRIX = {
  allow: [
    { actions: ['dynamodb:PutItem'], resources: ['table:AppEvents'] },
    { actions: ['s3:PutObject'], resources: ['bucket:app-data/*'] },
  ],
  deny: [
    { actions: ['dynamodb:GetItem'], resources: ['table:AppEvents', 'table:{other}'] },
    { actions: ['s3:GetObject'], resources: ['bucket:app-data/*'] },
  ],
};
const WRITER = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE },
    { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::app-data/*' },
  ],
};

function role(inline: object) {
  iam.on(GetRoleCommand).resolves({ Role: { Arn: ROLE, AssumeRolePolicyDocument: encoded({}) } as never });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['writer'] });
  iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: encoded(inline) } as never);
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
}

/** IAM's simulator as the twin's: our engine over what IAM was given, unless `override` says otherwise. */
function simulator(identity: object, override?: (action: string, resource: string) => string | undefined) {
  iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => ({
    EvaluationResults: simulate({
      principal: { type: 'assumed-role', accountId: ACCOUNT, arn: ROLE, roleArn: ROLE },
      policies: [{ kind: 'identity', id: 'writer', document: JSON.stringify(identity) }],
      actions: input.ActionNames!,
      resources: input.ResourceArns!,
      ...(input.ResourcePolicy && { resourcePolicy: input.ResourcePolicy }),
      context: { 'aws:SecureTransport': true },
    }).map((r) => ({
      EvalActionName: r.action,
      EvalResourceName: r.resource,
      EvalDecision: (override?.(r.action, r.resource) ?? r.decision) as never,
    })),
  }));
}

beforeEach(() => {
  iam.reset();
  s3.reset();
  s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 404));
});
afterEach(() => {
  iam.reset();
  s3.reset();
});

describe('decideMatrix', () => {
  test('both agree: each pair has its verdict, and only the pairs against the matrix are named', async () => {
    const wider = {
      ...WRITER,
      Statement: [...WRITER.Statement, { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE }],
    };
    role(wider);
    simulator(wider);
    const { verdicts, principal } = await decideMatrix(mockedClients(), LAB, 'Writer', MATRIX);
    expect(principal.arn).toBe(ROLE);
    expect(verdicts.map((v) => `${v.action} ${v.resource} ${v.allowed}`)).toEqual([
      `dynamodb:PutItem ${TABLE} true`,
      's3:PutObject arn:aws:s3:::app-data/* true',
      `dynamodb:GetItem ${TABLE} true`,
      `dynamodb:GetItem arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/meshcheck-other-mc-20261207-abcdef false`,
      's3:GetObject arn:aws:s3:::app-data/* false',
    ]);
    expect(wrongPairs(verdicts)).toEqual([
      'dynamodb:GetItem on table:AppEvents is allowed but must be refused',
    ]);
  });

  test('one call per resource, its actions batched, with TLS and the caller in the context', async () => {
    role(WRITER);
    simulator(WRITER);
    await decideMatrix(mockedClients(), LAB, 'Writer', MATRIX);
    const calls = iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.ResourceArns, c.ActionNames])).toEqual(
      expect.arrayContaining([[[TABLE], ['dynamodb:PutItem', 'dynamodb:GetItem']]]),
    );
    expect(calls).toHaveLength(3);
    expect(calls[0]!.PolicySourceArn).toBe(ROLE);
    expect(calls[0]!.ContextEntries).toEqual(
      expect.arrayContaining([
        { ContextKeyName: 'aws:SecureTransport', ContextKeyType: 'boolean', ContextKeyValues: ['true'] },
        { ContextKeyName: 'aws:PrincipalArn', ContextKeyType: 'string', ContextKeyValues: [ROLE] },
      ]),
    );
  });

  test('IAM and ours disagree: an error naming the pair and both answers, not a verdict', async () => {
    role(WRITER);
    simulator(WRITER, (action, resource) =>
      action === 'dynamodb:GetItem' && resource === TABLE ? 'allowed' : undefined,
    );
    const decided = decideMatrix(mockedClients(), LAB, 'Writer', MATRIX);
    await expect(decided).rejects.toThrow(CannotTellError);
    await expect(decided).rejects.toThrow(
      'dynamodb:GetItem on table:AppEvents: IAM allowed, ours implicitDeny',
    );
  });

  test('the runner may not simulate: cannot tell, never our evaluator alone', async () => {
    role(WRITER);
    iam.on(SimulatePrincipalPolicyCommand).rejects(awsError('AccessDenied', 403));
    await expect(decideMatrix(mockedClients(), LAB, 'Writer', MATRIX)).rejects.toThrow(
      /could not simulate .*SimulatePrincipalPolicy.*AccessDenied/,
    );
  });

  test('an action IAM left out of its answer is cannot-tell; every page is read', async () => {
    role(WRITER);
    iam.on(SimulatePrincipalPolicyCommand).resolves({
      EvaluationResults: [
        { EvalActionName: 'dynamodb:PutItem', EvalResourceName: TABLE, EvalDecision: 'allowed' },
      ],
    });
    await expect(decideMatrix(mockedClients(), LAB, 'Writer', MATRIX)).rejects.toThrow(/gave no decision/);

    iam.reset();
    role(WRITER);
    const result = (action: string, resource: string, decision: string) => ({
      EvalActionName: action,
      EvalResourceName: resource,
      EvalDecision: decision as never,
    });
    iam
      .on(SimulatePrincipalPolicyCommand)
      .resolves({ EvaluationResults: [result('dynamodb:GetItem', 'x', 'implicitDeny')] })
      .on(SimulatePrincipalPolicyCommand, { ResourceArns: [TABLE] })
      .resolvesOnce({
        EvaluationResults: [result('dynamodb:PutItem', TABLE, 'allowed')],
        IsTruncated: true,
        Marker: 'm',
      })
      .resolvesOnce({ EvaluationResults: [result('dynamodb:GetItem', TABLE, 'implicitDeny')] })
      .on(SimulatePrincipalPolicyCommand, { ResourceArns: ['arn:aws:s3:::app-data/*'] })
      .resolves({
        EvaluationResults: [
          result('s3:PutObject', 'arn:aws:s3:::app-data/*', 'allowed'),
          result('s3:GetObject', 'arn:aws:s3:::app-data/*', 'implicitDeny'),
        ],
      });
    const { verdicts } = await decideMatrix(mockedClients(), LAB, 'Writer', MATRIX);
    expect(wrongPairs(verdicts)).toEqual([]);
  });

  test("a role's bucket policy is ours alone (IAM takes none without a user caller): its deny refuses, its grant allows", async () => {
    role(WRITER);
    simulator(WRITER);
    s3.on(GetBucketPolicyCommand).resolves({
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ROLE },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::app-data/*',
          },
          { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::app-data/*' },
        ],
      }),
    });
    const { verdicts } = await decideMatrix(mockedClients(), LAB, 'Writer', MATRIX);
    expect(
      iam.commandCalls(SimulatePrincipalPolicyCommand).every((c) => !c.args[0].input.ResourcePolicy),
    ).toBe(true);
    expect(wrongPairs(verdicts)).toEqual([
      's3:PutObject on bucket:app-data/* is refused but must be allowed (with an explicit deny in a resource-based policy)',
      's3:GetObject on bucket:app-data/* is allowed but must be refused',
    ]);
    expect(verdicts.find((v) => v.action === 's3:GetObject')?.resourcePolicy).toBe('ours');
  });

  test('a refused pattern allowed on part of it is named, though the literal pattern reads as refused by both', async () => {
    const partly = {
      ...WRITER,
      Statement: [
        ...WRITER.Statement,
        { Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::trail-logs/AWSLogs/*' },
      ],
    };
    role(partly);
    simulator(partly);
    const matrix = { allow: [], deny: [{ actions: ['s3:GetObject'], resources: ['bucket:trail-logs/*'] }] };
    const { verdicts } = await decideMatrix(mockedClients(), LAB, 'Writer', matrix);
    expect(verdicts[0]).toMatchObject({ iam: 'implicitDeny', ours: 'implicitDeny', allowed: false });
    expect(wrongPairs(verdicts)).toEqual([
      's3:GetObject on bucket:trail-logs/* is allowed in part, by writer statement #3 (arn:aws:s3:::trail-logs/AWSLogs/*), but must be refused',
    ]);
  });

  test("a user's bucket policy goes to IAM too, with the bucket's owner", async () => {
    const USER = `arn:aws:iam::${ACCOUNT}:user/operator`;
    iam.on(GetUserCommand).resolves({ User: { Arn: USER } as never });
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['read'] });
    iam
      .on(GetUserPolicyCommand)
      .resolves({ PolicyDocument: encoded(allow(['s3:ListBucket'], '*')) } as never);
    iam
      .on(ListAttachedUserPoliciesCommand)
      .resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/X' }] });
    iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v1' } });
    iam
      .on(GetPolicyVersionCommand)
      .resolves({ PolicyVersion: { Document: encoded(allow(['kms:Decrypt'], '*')) } });
    const policy = JSON.stringify(allow(['s3:ListBucket'], 'arn:aws:s3:::app-data'));
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policy });
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => ({
      EvaluationResults: input.ActionNames!.map((a) => ({
        EvalActionName: a,
        EvalResourceName: input.ResourceArns![0],
        EvalDecision: 'allowed',
      })),
    }));
    const matrix = {
      allow: [
        { actions: ['s3:ListBucket'], resources: ['bucket:app-data'] },
        { actions: ['kms:Decrypt'], resources: ['*'] },
      ],
      deny: [],
    };
    const { verdicts } = await decideMatrix(mockedClients(), LAB, 'user:operator', matrix);
    const [bucketCall] = iam
      .commandCalls(SimulatePrincipalPolicyCommand, { ResourceArns: ['arn:aws:s3:::app-data'] })
      .map((c) => c.args[0].input);
    expect(bucketCall).toMatchObject({
      PolicySourceArn: USER,
      ResourcePolicy: policy,
      ResourceOwner: `arn:aws:iam::${ACCOUNT}:root`,
    });
    expect(verdicts.map((v) => [v.resourcePolicy, v.allowed])).toEqual([
      ['both', true],
      ['none', true],
    ]);
  });
});
