import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  paginateListRoles,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/** The unchanged IAM SDK client against the twin: shapes, errors, pagination, the simulator. */
let twin: TestTwin;
let iam: IAMClient;
let account: string;
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const lambdaTrust = doc({
  Effect: 'Allow',
  Principal: { Service: 'lambda.amazonaws.com' },
  Action: 'sts:AssumeRole',
});

beforeAll(async () => {
  twin = await startTestTwin();
  iam = new IAMClient(twin.clientConfig());
  account = twin.server.twin.accounts[0]!;
});
afterAll(() => twin.close());

describe('IAM over awsQuery', () => {
  test('CreateRole and GetRole round-trip, with the trust policy URL-encoded as IAM returns it', async () => {
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: 'wire-app',
        Path: '/wire/',
        AssumeRolePolicyDocument: lambdaTrust,
        Description: 'made over the wire',
        Tags: [{ Key: 'team', Value: 'blue' }],
      }),
    );
    expect(created.Role).toMatchObject({
      RoleName: 'wire-app',
      Arn: `arn:aws:iam::${account}:role/wire/wire-app`,
    });
    expect(created.Role?.CreateDate).toBeInstanceOf(Date);
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'wire-app' }));
    expect(Role).toMatchObject({
      Description: 'made over the wire',
      MaxSessionDuration: 3600,
      Tags: [{ Key: 'team', Value: 'blue' }],
    });
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(JSON.parse(lambdaTrust));
  });

  test('errors carry IAM shape names and statuses', async () => {
    await expect(iam.send(new GetRoleCommand({ RoleName: 'wire-none' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role with name wire-none cannot be found.',
      $metadata: { httpStatusCode: 404 },
    });
    await iam.send(new CreateRoleCommand({ RoleName: 'wire-dup', AssumeRolePolicyDocument: lambdaTrust }));
    await expect(
      iam.send(new CreateRoleCommand({ RoleName: 'wire-dup', AssumeRolePolicyDocument: lambdaTrust })),
    ).rejects.toMatchObject({
      name: 'EntityAlreadyExistsException',
      $metadata: { httpStatusCode: 409 },
    });
    await expect(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: 'wire-dup',
          PolicyName: 'p',
          PolicyDocument: doc({ Effect: 'Allow', Action: 's3:*' }),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Policy statement must contain resources.',
    });
  });

  test('DeleteRole with an attached policy is a DeleteConflict (409)', async () => {
    await iam.send(
      new CreateRoleCommand({ RoleName: 'wire-attached', AssumeRolePolicyDocument: lambdaTrust }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'wire-attached',
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      }),
    );
    await expect(iam.send(new DeleteRoleCommand({ RoleName: 'wire-attached' }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      $metadata: { httpStatusCode: 409 },
    });
  });

  test('inline policies come back URL-encoded', async () => {
    const policy = doc({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: '*',
    });
    await iam.send(new CreateRoleCommand({ RoleName: 'wire-inline', AssumeRolePolicyDocument: lambdaTrust }));
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'wire-inline', PolicyName: 'logs', PolicyDocument: policy }),
    );
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'wire-inline', PolicyName: 'logs' }));
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(policy);
  });

  test('the SDK paginator walks ListRoles by Marker', async () => {
    for (let i = 0; i < 5; i++)
      await iam.send(
        new CreateRoleCommand({ RoleName: `wire-page-${i}`, AssumeRolePolicyDocument: lambdaTrust }),
      );
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListRoles({ client: iam, pageSize: 2 }, { PathPrefix: '/' })) {
      pages += 1;
      names.push(...(page.Roles ?? []).map((r) => r.RoleName!));
    }
    expect(names).toEqual(expect.arrayContaining(['wire-page-0', 'wire-page-4']));
    expect(pages).toBeGreaterThan(2);
  });

  test('instance profiles carry their role', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'wire-ec2', AssumeRolePolicyDocument: lambdaTrust }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'wire-ec2-profile' }));
    await iam.send(
      new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'wire-ec2-profile', RoleName: 'wire-ec2' }),
    );
    const { InstanceProfile } = await iam.send(
      new GetInstanceProfileCommand({ InstanceProfileName: 'wire-ec2-profile' }),
    );
    expect(InstanceProfile?.Roles?.map((r) => r.RoleName)).toEqual(['wire-ec2']);
    await expect(
      iam.send(
        new AddRoleToInstanceProfileCommand({
          InstanceProfileName: 'wire-ec2-profile',
          RoleName: 'wire-app',
        }),
      ),
    ).rejects.toMatchObject({ name: 'LimitExceededException' });
  });

  test('an access key made through IAM signs requests as its user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'wire-user' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'wire-user' }));
    const sts = new STSClient({
      ...twin.clientConfig(),
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`arn:aws:iam::${account}:user/wire-user`);
    const asUser = new IAMClient({
      ...twin.clientConfig(),
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    await expect(asUser.send(new GetRoleCommand({ RoleName: 'wire-app' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
      message: expect.stringContaining('because no identity-based policy allows the iam:GetRole action'),
    });
  });

  test('SimulatePrincipalPolicy through the SDK: decisions and matched statements', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'wire-sim' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'wire-sim',
        PolicyName: 'read-data',
        PolicyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }),
      }),
    );
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${account}:user/wire-sim`,
        ActionNames: ['s3:GetObject', 's3:PutObject'],
        ResourceArns: ['arn:aws:s3:::data/report.csv'],
      }),
    );
    expect(out.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalDecision])).toEqual([
      ['s3:GetObject', 'allowed'],
      ['s3:PutObject', 'implicitDeny'],
    ]);
    expect(out.EvaluationResults?.[0]?.MatchedStatements?.[0]).toMatchObject({
      SourcePolicyId: 'read-data',
      SourcePolicyType: 'user',
      StartPosition: { Line: 1, Column: expect.any(Number) },
    });
  });

  test('SimulateCustomPolicy with a resource policy and a caller', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'wire-caller' }));
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'wire-unused',
        PolicyDocument: doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }),
      }),
    );
    const out = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' })],
        ActionNames: ['sqs:SendMessage'],
        ResourceArns: [`arn:aws:sqs:us-east-1:${account}:q`],
        ResourcePolicy: doc({ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: '*' }),
        CallerArn: `arn:aws:iam::${account}:user/wire-caller`,
      }),
    );
    expect(out.EvaluationResults?.[0]).toMatchObject({
      EvalDecision: 'explicitDeny',
      MatchedStatements: [{ SourcePolicyId: 'ResourcePolicy', SourcePolicyType: 'resource' }],
    });
  });
});
