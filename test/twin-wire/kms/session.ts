import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { TestTwin } from '../../support/twin.ts';

export type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
export const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/**
 * A role session made through the public IAM and STS APIs: a role trusting
 * its account with the given identity policy, assumed by a user allowed to.
 */
export async function roleSession(
  twin: TestTwin,
  account: string,
  name: string,
  ...statements: object[]
): Promise<{ keys: Keys; roleArn: string; arn: string }> {
  const iam = new IAMClient(twin.clientConfig(account));
  const trust = doc({
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: 'sts:AssumeRole',
  });
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
  if (statements.length)
    await iam.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: 'p', PolicyDocument: doc(...statements) }),
    );
  await iam.send(new CreateUserCommand({ UserName: `${name}-user` }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: `${name}-user`,
      PolicyName: 'assume',
      PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: Role!.Arn! }),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: `${name}-user` }));
  const sts = new STSClient({
    ...twin.clientConfig(account),
    credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
  });
  const { Credentials, AssumedRoleUser } = await sts.send(
    new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: `${name}-session` }),
  );
  return {
    keys: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    },
    roleArn: Role!.Arn!,
    arn: AssumedRoleUser!.Arn!,
  };
}
