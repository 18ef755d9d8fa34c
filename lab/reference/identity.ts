import { readFileSync } from 'node:fs';
import type { CreateInstanceProfileResponse, CreateRoleResponse } from '@aws-sdk/client-iam';
import type { LabBuilder } from '../builder.ts';

/** The runner's least-privilege policy, shipped in the repo and enforced by the twin. */
export const runnerPolicy = readFileSync(new URL('../../policies/runner.json', import.meta.url), 'utf8');

const trust = (principal: object) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  });

/** The role lab instances run as: SSM-managed through AmazonSSMManagedInstanceCore. */
export async function buildInstanceRole(iam: LabBuilder): Promise<string> {
  await iam.call('iam', 'CreateRole', {
    RoleName: 'SSMInstanceRole',
    AssumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }),
  });
  await iam.call('iam', 'AttachRolePolicy', {
    RoleName: 'SSMInstanceRole',
    PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
  });
  const { InstanceProfile } = await iam.call<CreateInstanceProfileResponse>('iam', 'CreateInstanceProfile', {
    InstanceProfileName: 'SSMInstanceProfile',
  });
  await iam.call('iam', 'AddRoleToInstanceProfile', {
    InstanceProfileName: 'SSMInstanceProfile',
    RoleName: 'SSMInstanceRole',
  });
  return InstanceProfile!.Arn!;
}

/** WSParticipantRole: the workshop participant, as whom meshcheck runs, with the runner policy. */
export async function buildParticipantRole(iam: LabBuilder): Promise<{ arn: string; id: string }> {
  const { Role } = await iam.call<CreateRoleResponse>('iam', 'CreateRole', {
    RoleName: 'WSParticipantRole',
    AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${iam.accountId}:root` }),
  });
  await iam.call('iam', 'PutRolePolicy', {
    RoleName: 'WSParticipantRole',
    PolicyName: 'meshcheck-runner',
    PolicyDocument: runnerPolicy,
  });
  return { arn: Role!.Arn!, id: Role!.RoleId! };
}

/** The role the runner assumes in another account of the lab. */
export async function buildCrossAccountRunner(iam: LabBuilder, runnerRoleArn: string): Promise<void> {
  await iam.call('iam', 'CreateRole', {
    RoleName: 'meshcheck-runner',
    AssumeRolePolicyDocument: trust({ AWS: runnerRoleArn }),
  });
  await iam.call('iam', 'PutRolePolicy', {
    RoleName: 'meshcheck-runner',
    PolicyName: 'meshcheck-runner',
    PolicyDocument: runnerPolicy,
  });
}
