import { beforeEach, describe, expect, test } from 'vitest';
import { ACCT, allow, iamTwin, policy, trustService } from './support.ts';

/** SimulatePrincipalPolicy / SimulateCustomPolicy through the same evaluator. */
let t: ReturnType<typeof iamTwin>;
const ROLE = `arn:aws:iam::${ACCT}:role/app`;
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/k1`;
beforeEach(async () => {
  t = iamTwin();
  await t.root('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trustService() });
  await t.root('PutRolePolicy', {
    RoleName: 'app',
    PolicyName: 'app-policy',
    PolicyDocument: policy(
      { Sid: 'Read', ...allow('s3:GetObject', 'arn:aws:s3:::data/*') },
      { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
    ),
  });
});

describe('SimulatePrincipalPolicy', () => {
  test('one result per action and resource: allowed, implicitDeny, explicitDeny', async () => {
    const { EvaluationResults } = await t.root('SimulatePrincipalPolicy', {
      PolicySourceArn: ROLE,
      ActionNames: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      ResourceArns: ['arn:aws:s3:::data/x'],
    });
    expect(EvaluationResults.map((r: { EvalDecision: string }) => r.EvalDecision)).toEqual([
      'allowed',
      'implicitDeny',
      'explicitDeny',
    ]);
    expect(EvaluationResults[0]).toMatchObject({
      EvalActionName: 's3:GetObject',
      EvalResourceName: 'arn:aws:s3:::data/x',
      MatchedStatements: [
        { SourcePolicyId: 'app-policy', SourcePolicyType: 'role', StartPosition: { Line: 1 } },
      ],
      ResourceSpecificResults: [{ EvalResourceName: 'arn:aws:s3:::data/x', EvalResourceDecision: 'allowed' }],
    });
  });

  test('attached managed policies take part, named by ARN', async () => {
    await t.root('AttachRolePolicy', {
      RoleName: 'app',
      PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    });
    const { EvaluationResults } = await t.root('SimulatePrincipalPolicy', {
      PolicySourceArn: ROLE,
      ActionNames: ['kms:DescribeKey', 'kms:Decrypt'],
    });
    expect(EvaluationResults[0]).toMatchObject({
      EvalDecision: 'allowed',
      MatchedStatements: [
        { SourcePolicyId: 'arn:aws:iam::aws:policy/ReadOnlyAccess', SourcePolicyType: 'aws-managed' },
      ],
    });
    expect(EvaluationResults[1].EvalDecision).toBe('implicitDeny');
  });

  test('context entries feed conditions; keys the policies read but the caller left out are listed', async () => {
    await t.root('PutRolePolicy', {
      RoleName: 'app',
      PolicyName: 'vpce-only',
      PolicyDocument: policy({
        ...allow('sqs:SendMessage'),
        Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
      }),
    });
    const ask = (ContextEntries?: object[]) =>
      t.root('SimulatePrincipalPolicy', {
        PolicySourceArn: ROLE,
        ActionNames: ['sqs:SendMessage'],
        ContextEntries,
      });
    expect((await ask()).EvaluationResults[0]).toMatchObject({
      EvalDecision: 'implicitDeny',
      MissingContextValues: ['aws:SourceVpce'],
    });
    const withVpce = await ask([
      { ContextKeyName: 'aws:SourceVpce', ContextKeyValues: ['vpce-1'], ContextKeyType: 'string' },
    ]);
    expect(withVpce.EvaluationResults[0].EvalDecision).toBe('allowed');
  });

  test('a key policy without the root statement: IAM policies grant nothing', async () => {
    await t.root('CreateUser', { UserName: 'alice' });
    await t.root('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'kms',
      PolicyDocument: policy(allow('kms:*')),
    });
    const simulate = (ResourcePolicy: string) =>
      t.root('SimulatePrincipalPolicy', {
        PolicySourceArn: `arn:aws:iam::${ACCT}:user/alice`,
        ActionNames: ['kms:Decrypt'],
        ResourceArns: [KEY],
        ResourcePolicy,
      });
    const withRoot = policy({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCT}:root` },
      Action: 'kms:*',
      Resource: '*',
    });
    const adminOnly = policy({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:*', Resource: '*' });
    expect((await simulate(withRoot)).EvaluationResults[0].EvalDecision).toBe('allowed');
    expect((await simulate(adminOnly)).EvaluationResults[0].EvalDecision).toBe('implicitDeny');
  });

  test('a ResourcePolicy for a role source needs a CallerArn', async () => {
    await expect(
      t.root('SimulatePrincipalPolicy', {
        PolicySourceArn: ROLE,
        ActionNames: ['kms:Decrypt'],
        ResourcePolicy: policy(allow('kms:*')),
      }),
    ).rejects.toMatchObject({ code: 'InvalidInputException' });
  });
});

describe('SimulateCustomPolicy', () => {
  test('evaluates the given policies only', async () => {
    const { EvaluationResults } = await t.root('SimulateCustomPolicy', {
      PolicyInputList: [policy(allow('ec2:Describe*'))],
      ActionNames: ['ec2:DescribeVpcs', 'ec2:CreateVpc'],
    });
    expect(EvaluationResults).toMatchObject([
      {
        EvalDecision: 'allowed',
        MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none' }],
      },
      { EvalDecision: 'implicitDeny', MatchedStatements: [] },
    ]);
  });
});
