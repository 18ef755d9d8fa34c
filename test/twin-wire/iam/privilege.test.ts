import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decideMatrix, wrongPairs } from '../../../helpers/application/privilege.ts';
import { expandMatrix } from '../../../helpers/application/privilege-matrix.ts';
import { getPrincipalPolicies } from '../../../helpers/application/privilege-principal.ts';
import { broadStatements } from '../../../helpers/application/privilege-wildcards.ts';
import { type AwsClients, clientsFor } from '../../../helpers/clients.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * S14–S16's machinery against the twin's IAM: the SimulatePrincipalPolicy
 * calls it makes (context entries, a user's bucket policy with its owner)
 * are ones IAM accepts, and IAM's answers agree with the project's evaluator
 * on a small lab built through the public API.
 */
let twin: TestTwin;
let clients: AwsClients;
let account: string;
const RUN = 'mc-20261207-wire01';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const lab = () => ({ region: 'us-east-1', accountId: account, runId: RUN });
const table = () => `arn:aws:dynamodb:us-east-1:${account}:table/AppEvents`;

const WRITER_MATRIX = {
  allow: [
    { actions: ['dynamodb:PutItem'], resources: ['table:AppEvents'] },
    { actions: ['s3:PutObject', 's3:GetObject'], resources: ['bucket:wire-app-data/*'] },
  ],
  deny: [
    { actions: ['dynamodb:GetItem', 'dynamodb:Scan'], resources: ['table:AppEvents'] },
    { actions: ['dynamodb:PutItem'], resources: ['table:{other}'] },
    { actions: ['s3:PutObject'], resources: ['bucket:{other}/*'] },
    { actions: ['s3:DeleteBucket'], resources: ['bucket:wire-app-data'] },
  ],
};

beforeAll(async () => {
  twin = await startTestTwin();
  account = twin.server.twin.accounts[0]!;
  const config = twin.clientConfig();
  clients = clientsFor({ region: config.region, endpoint: config.endpoint, credentials: config.credentials });
  await clients.iam.send(
    new CreateRoleCommand({
      RoleName: 'WireWriter',
      AssumeRolePolicyDocument: doc({
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    }),
  );
  const { Policy } = await clients.iam.send(
    new CreatePolicyCommand({
      PolicyName: 'WireTableWrites',
      PolicyDocument: doc({ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: table() }),
    }),
  );
  for (const PolicyArn of [Policy!.Arn!, 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'])
    await clients.iam.send(new AttachRolePolicyCommand({ RoleName: 'WireWriter', PolicyArn }));
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'wire-app-data' }));
  await clients.s3.send(
    new PutBucketPolicyCommand({
      Bucket: 'wire-app-data',
      Policy: doc(
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: 'arn:aws:s3:::wire-app-data/*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:role/WireWriter` },
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: 'arn:aws:s3:::wire-app-data/*',
        },
        {
          Effect: 'Deny',
          Principal: { AWS: `arn:aws:iam::${account}:user/wire-operator` },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::wire-app-data/*',
        },
      ),
    }),
  );
  await clients.iam.send(new CreateUserCommand({ UserName: 'wire-operator' }));
  await clients.iam.send(
    new PutUserPolicyCommand({
      UserName: 'wire-operator',
      PolicyName: 'look',
      PolicyDocument: doc(
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: 'arn:aws:s3:::wire-app-data' },
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::wire-app-data/*' },
      ),
    }),
  );
});
afterAll(() => twin?.close());

describe('least privilege against the twin', () => {
  test("the writer's matrix: IAM and ours agree, its objects allowed by the bucket policy alone", async () => {
    const { verdicts } = await decideMatrix(clients, lab(), 'WireWriter', WRITER_MATRIX);
    expect(wrongPairs(verdicts)).toEqual([]);
    expect(verdicts.find((v) => v.action === 's3:GetObject')).toMatchObject({
      iam: 'implicitDeny',
      allowed: true,
      resourcePolicy: 'ours',
    });
  });

  test("a user's bucket policy is simulated by IAM too: its explicit deny refuses what the user's IAM policy allows", async () => {
    const matrix = {
      allow: [{ actions: ['s3:ListBucket'], resources: ['bucket:wire-app-data'] }],
      deny: [{ actions: ['s3:GetObject', 's3:DeleteObject'], resources: ['bucket:wire-app-data/*'] }],
    };
    const { verdicts } = await decideMatrix(clients, lab(), 'user:wire-operator', matrix);
    expect(verdicts.map((v) => [v.action, v.iam, v.allowed, v.resourcePolicy])).toEqual([
      ['s3:ListBucket', 'allowed', true, 'both'],
      ['s3:GetObject', 'explicitDeny', false, 'both'],
      ['s3:DeleteObject', 'implicitDeny', false, 'both'],
    ]);
  });

  test('dynamodb:* on * is refused by S14 and named by S15; Lambda logging on * is not', async () => {
    const before = await getPrincipalPolicies(clients, 'WireWriter', account);
    expect(broadStatements(before.identity, expandMatrix(WRITER_MATRIX, lab()), { lambda: true })).toEqual(
      [],
    );
    await clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: 'WireWriter',
        PolicyName: 'everything',
        PolicyDocument: doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }),
      }),
    );
    const { verdicts, principal } = await decideMatrix(clients, lab(), 'WireWriter', WRITER_MATRIX);
    expect(wrongPairs(verdicts)).toEqual([
      'dynamodb:GetItem on table:AppEvents is allowed but must be refused',
      'dynamodb:Scan on table:AppEvents is allowed but must be refused',
      'dynamodb:PutItem on table:{other} is allowed but must be refused',
    ]);
    expect(broadStatements(principal.identity, expandMatrix(WRITER_MATRIX, lab()), { lambda: true })).toEqual(
      ['everything statement #1: dynamodb:* covers actions the matrix does not list'],
    );
  });
});
