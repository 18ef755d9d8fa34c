import { DescribePrefixListsCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CannotTellError } from '../../../../helpers/errors.ts';
import { resolveApplication } from '../../../../helpers/targets/application.ts';
import type { ResolvedTargets } from '../../../../helpers/targets/resolve.ts';
import { type Targets, targetsSchema } from '../../../../helpers/targets/schema.ts';
import { awsError, mockedClients } from '../support.ts';

/**
 * The application names of targets: functions to ARNs, roles to IAM's
 * ARNs, security groups to ids in the function's VPC, egress services to
 * their prefix lists. A name AWS does not know stops the run naming the
 * field (exit 2); a look-up the runner may not make is cannot-tell.
 */

const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const lambda = mockClient(LambdaClient);
const s3 = mockClient(S3Client);
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

type Filters = { Filters?: { Name?: string; Values?: string[] }[] };
const filter = (input: Filters, name: string) => input.Filters?.find((f) => f.Name === name)?.Values?.[0];

beforeEach(() => {
  lambda
    .on(GetFunctionConfigurationCommand)
    .callsFake(async ({ FunctionName }: { FunctionName: string }) => ({ FunctionArn: fnArn(FunctionName) }));
  iam
    .on(GetRoleCommand)
    .callsFake(async ({ RoleName }: { RoleName: string }) => ({ Role: { Arn: roleArn(RoleName) } }));
  // Groups are named by tag: writer-sg → sg-1, endpoints → sg-2; nothing answers to its group name.
  const groups: Record<string, string> = { 'writer-sg': 'sg-1', endpoints: 'sg-2' };
  ec2.on(DescribeSecurityGroupsCommand).callsFake(async (input: Filters) => {
    const tag = filter(input, 'tag:Name');
    const id = tag && groups[tag];
    return { SecurityGroups: id ? [{ GroupId: id, Tags: [{ Key: 'Name', Value: tag }] }] : [] };
  });
  ec2.on(DescribePrefixListsCommand).callsFake(async (input: Filters) => {
    const name = filter(input, 'prefix-list-name')!;
    return name.endsWith('.s3') ? { PrefixLists: [{ PrefixListId: 'pl-s3', PrefixListName: name }] } : {};
  });
  s3.on(HeadBucketCommand).resolves({ BucketRegion: REGION });
});
afterEach(() => {
  for (const m of [ec2, iam, lambda, s3]) m.reset();
});

// biome-ignore lint/suspicious/noExplicitAny: fixtures reach into targets as plain data
function targets(application: any): Targets {
  return targetsSchema.parse({
    region: REGION,
    accounts: { lab: { id: ACCOUNT } },
    network: {
      vpcs: [
        {
          name: 'app-vpc',
          account: 'lab',
          cidr: '10.9.0.0/16',
          subnets: [{ name: 'app-a', cidr: '10.9.1.0/24' }],
        },
      ],
    },
    application,
  });
}

const writer = (over: object = {}) => ({
  name: 'Writer',
  vpc: 'app-vpc',
  subnets: ['app-a'],
  securityGroups: ['writer-sg'],
  role: 'WriterRole',
  egress: [
    { port: 443, to: 'prefixList:s3' },
    { port: 443, to: 'sg:endpoints' },
  ],
  ...over,
});

async function resolve(t: Targets) {
  const problems: string[] = [];
  const ids = { vpc: { 'app-vpc': 'vpc-1' }, role: {}, key: {} } as unknown as ResolvedTargets['ids'];
  await resolveApplication(t, () => mockedClients(), ids, { lab: ACCOUNT }, problems);
  return { ids, problems };
}

describe('resolveApplication', () => {
  test('functions, roles, groups (theirs and their egress), prefix lists and tables resolve', async () => {
    const { ids, problems } = await resolve(
      targets({
        functions: [writer()],
        tables: [{ name: 'Events', partitionKey: { name: 'Id' } }],
        buckets: [{ name: 'app-bucket', admits: ['role:Reader', 'service:cloudtrail.amazonaws.com'] }],
      }),
    );
    expect(problems).toEqual([]);
    expect(ids.application).toEqual({
      function: { Writer: fnArn('Writer') },
      table: { Events: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Events` },
      securityGroup: { 'app-vpc/writer-sg': 'sg-1', 'app-vpc/endpoints': 'sg-2' },
      prefixList: { s3: 'pl-s3' },
    });
    expect(ids.role).toEqual({ WriterRole: roleArn('WriterRole'), Reader: roleArn('Reader') });
    const asked = ec2
      .commandCalls(DescribeSecurityGroupsCommand)
      .map((c) => filter(c.args[0].input, 'vpc-id'));
    expect(new Set(asked)).toEqual(new Set(['vpc-1']));
  });

  // A bucket AWS does not know is resolveTargets' to report, with the probe's and the receipts' (bad-targets e2e).
  test('a function, role, group or prefix list AWS does not know stops the run, naming the field', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(awsError('ResourceNotFoundException', 404));
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntityException', 404));
    const { problems } = await resolve(
      targets({
        functions: [
          writer({ securityGroups: ['gone-sg'], egress: [{ port: 443, to: 'prefixList:dynamodb' }] }),
        ],
      }),
    );
    const where = `in account ${ACCOUNT} (${REGION})`;
    expect(problems).toEqual([
      `application.functions[0].name: no Lambda function "Writer" ${where}`,
      `application.functions[0].role: no role "WriterRole" ${where}`,
      `application.functions[0].securityGroups[0]: no security group in app-vpc named "gone-sg" ${where}`,
      `application.functions: no prefix list for dynamodb ${where}`,
    ]);
  });

  test('a look-up the runner may not make is cannot-tell, not absent', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(awsError('AccessDeniedException', 403));
    await expect(resolve(targets({ functions: [writer()] }))).rejects.toThrow(CannotTellError);
  });
});
