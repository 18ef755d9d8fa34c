import { CloudTrailClient, GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CannotTellError, TargetsError } from '../../../../helpers/errors.ts';
import { flowLogAccount, resolveObservability } from '../../../../helpers/targets/observability.ts';
import { type ResolvedTargets, resolveTargets } from '../../../../helpers/targets/resolve.ts';
import { type Targets, targetsSchema } from '../../../../helpers/targets/schema.ts';
import { awsError, mockedClients } from '../support.ts';

/**
 * The observability names of targets: the trail by name to its ARN, the
 * roles flow logs deliver through to theirs. A name AWS does not know is a
 * targets problem naming the field (exit 2); a look-up the runner may not
 * make is cannot-tell, never "absent".
 */

const cloudtrail = mockClient(CloudTrailClient);
const iam = mockClient(IAMClient);
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const trailArn = (name: string) => `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${name}`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/service/${name}`;

beforeEach(() => {
  cloudtrail
    .on(GetTrailCommand)
    .callsFake(async ({ Name }: { Name: string }) => ({ Trail: { Name, TrailARN: trailArn(Name) } }));
  iam
    .on(GetRoleCommand)
    .callsFake(async ({ RoleName }: { RoleName: string }) => ({ Role: { Arn: roleArn(RoleName) } }));
});
afterEach(() => {
  cloudtrail.reset();
  iam.reset();
});

// biome-ignore lint/suspicious/noExplicitAny: fixtures reach into targets as plain data
function targets(observability: any): Targets {
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
    observability,
  });
}

const trail = { name: 'audit-trail', bucket: 'audit-logs' };
const toGroup = (deliveryRole?: string) => ({
  vpc: 'app-vpc',
  destination: { logGroup: '/vpc/flows', ...(deliveryRole && { deliveryRole }) },
});

async function resolve(t: Targets) {
  const problems: string[] = [];
  const ids = { role: {} } as unknown as ResolvedTargets['ids'];
  await resolveObservability(t, () => mockedClients(), ids, { lab: ACCOUNT }, problems);
  return { ids, problems };
}

describe('resolveObservability', () => {
  test('the trail becomes its ARN, a delivery role named by name its ARN', async () => {
    const { ids, problems } = await resolve(targets({ trail, flowLogs: [toGroup('FlowRole')] }));
    expect(problems).toEqual([]);
    expect(ids.trail).toBe(trailArn('audit-trail'));
    expect(ids.role).toEqual({ FlowRole: roleArn('FlowRole') });
  });

  test('a trail AWS does not know stops the run, naming the field and the account', async () => {
    cloudtrail.on(GetTrailCommand).rejects(awsError('TrailNotFoundException'));
    const { ids, problems } = await resolve(targets({ trail }));
    expect(ids.trail).toBeUndefined();
    expect(problems).toEqual([
      `observability.trail.name: no trail named "audit-trail" in account ${ACCOUNT} (${REGION})`,
    ]);
  });

  test('a delivery role AWS does not know stops the run, naming the flow log', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntityException', 404));
    const { problems } = await resolve(targets({ flowLogs: [toGroup('GoneRole')] }));
    expect(problems).toEqual([
      `observability.flowLogs[0].destination.deliveryRole: no role "GoneRole" in account ${ACCOUNT} (${REGION})`,
    ]);
  });

  test('a delivery role named by an ARN must be that role (another path is another role)', async () => {
    const { ids, problems } = await resolve(
      targets({ flowLogs: [toGroup(`arn:aws:iam::${ACCOUNT}:role/FlowRole`)] }),
    );
    expect(problems).toEqual([
      `observability.flowLogs[0].destination.deliveryRole: the role named "FlowRole" in account ${ACCOUNT} (${REGION}) is ${roleArn('FlowRole')}, not arn:aws:iam::${ACCOUNT}:role/FlowRole`,
    ]);
    expect(ids.role).toEqual({});
    const ok = await resolve(targets({ flowLogs: [toGroup(roleArn('FlowRole'))] }));
    expect(ok.problems).toEqual([]);
    expect(ok.ids.role[roleArn('FlowRole')]).toBe(roleArn('FlowRole'));
  });

  test('a look-up the runner may not make is cannot-tell, not absent', async () => {
    cloudtrail.on(GetTrailCommand).rejects(awsError('AccessDeniedException', 403));
    await expect(resolve(targets({ trail }))).rejects.toThrow(CannotTellError);
    cloudtrail.on(GetTrailCommand).resolves({ Trail: { TrailARN: trailArn('x') } });
    iam.on(GetRoleCommand).rejects(awsError('AccessDenied', 403));
    await expect(resolve(targets({ flowLogs: [toGroup('FlowRole')] }))).rejects.toThrow(
      /could not look up the role "FlowRole" \(observability\.flowLogs\[0\]\.destination\.deliveryRole\)/,
    );
  });

  test('flow logs to a bucket, or without a role named, look up no role', async () => {
    const { problems } = await resolve(
      targets({ flowLogs: [toGroup(), { vpc: 'app-vpc', destination: { bucket: 'central-logs' } }] }),
    );
    expect(problems).toEqual([]);
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(0);
  });
});

describe('flowLogAccount', () => {
  const t = {
    network: {
      vpcs: [{ name: 'other-vpc', account: 'partner', subnets: [{ name: 'other-a' }] }],
    },
  } as unknown as Targets;
  test("is the VPC's account, or the subnet's VPC's; an interface named by id is the lab's", () => {
    expect(flowLogAccount(t, { vpc: 'other-vpc' })).toBe('partner');
    expect(flowLogAccount(t, { subnet: 'other-a' })).toBe('partner');
    expect(flowLogAccount(t, {})).toBe('lab');
  });
});

describe('resolveTargets', () => {
  const sts = mockClient(STSClient);
  const ec2 = mockClient(EC2Client);
  const named = (Name: string) => [{ Key: 'Name', Value: Name }];
  beforeEach(() => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/runner` });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1', Tags: named('app-vpc') }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-1', Tags: named('app-a') }] });
  });
  afterEach(() => {
    sts.reset();
    ec2.reset();
  });
  test('resolves the observability names with the rest, and stops the run on one AWS does not know', async () => {
    const resolved = await resolveTargets(targets({ trail, flowLogs: [toGroup('FlowRole')] }), () =>
      mockedClients(),
    );
    expect(resolved.ids.trail).toBe(trailArn('audit-trail'));
    expect(resolved.ids.role.FlowRole).toBe(roleArn('FlowRole'));
    cloudtrail.on(GetTrailCommand).rejects(awsError('TrailNotFoundException'));
    await expect(resolveTargets(targets({ trail }), () => mockedClients())).rejects.toThrow(TargetsError);
  });
});
