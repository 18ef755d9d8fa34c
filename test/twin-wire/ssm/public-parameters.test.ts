import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';
import { roleSession } from '../kms/session.ts';

/**
 * What an operator does before launching: read the public Amazon Linux AMI
 * parameter, look the image up, launch it. Parameters and images are per
 * region and read-only.
 */
let twin: TestTwin;
let ssm: SSMClient;
let ec2: EC2Client;
const AL2023 = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';
const AL2023_ARM = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';

beforeAll(async () => {
  twin = await startTestTwin();
  ssm = new SSMClient(twin.clientConfig());
  ec2 = new EC2Client(twin.clientConfig());
});
afterAll(() => twin.close());

async function failure(p: Promise<unknown>) {
  const e = (await p.then(
    () => undefined,
    (err: unknown) => err,
  )) as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  expect(e, 'the call should have failed').toBeDefined();
  return e;
}

describe('public AMI parameters and images through the SDK', () => {
  test('GetParameter → DescribeImages → RunInstances launches that image', async () => {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: AL2023 }));
    expect(Parameter).toMatchObject({
      Name: AL2023,
      Type: 'String',
      DataType: 'text',
      ARN: `arn:aws:ssm:us-east-1::parameter${AL2023}`,
    });
    const imageId = Parameter!.Value!;
    expect(imageId).toMatch(/^ami-[0-9a-f]{17}$/);

    const { Images } = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    expect(Images).toHaveLength(1);
    expect(Images![0]).toMatchObject({
      ImageId: imageId,
      ImageOwnerAlias: 'amazon',
      OwnerId: '137112412989',
      Architecture: 'x86_64',
      State: 'available',
      Public: true,
      RootDeviceName: '/dev/xvda',
    });
    expect(Images![0]!.Name).toMatch(/^al2023-ami-2023\.[\d.]+-kernel-6\.1-x86_64$/);

    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.70.0.0/16' }));
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.70.1.0/24' }),
    );
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: Subnet!.SubnetId,
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(Reservations![0]!.Instances![0]!.ImageId).toBe(imageId);
  });

  test('GetParameters returns the known names and lists the others as invalid; more than 10 names is refused', async () => {
    const out = await ssm.send(
      new GetParametersCommand({ Names: [AL2023, AL2023_ARM, '/aws/service/nope'] }),
    );
    expect(out.Parameters!.map((p) => p.Name)).toEqual([AL2023, AL2023_ARM]);
    expect(out.InvalidParameters).toEqual(['/aws/service/nope']);
    expect(out.Parameters![0]!.Value).not.toBe(out.Parameters![1]!.Value);
    const e = await failure(
      ssm.send(new GetParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/p${i}`) })),
    );
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['ValidationException', 400]);
  });

  test('GetParametersByPath lists one level, pages by 10 at most, and recurses when asked', async () => {
    const path = '/aws/service/ami-amazon-linux-latest';
    const first = await ssm.send(new GetParametersByPathCommand({ Path: path, MaxResults: 5 }));
    expect(first.Parameters).toHaveLength(5);
    expect(first.NextToken).toBeDefined();
    const names = [...first.Parameters!.map((p) => p.Name)];
    let token = first.NextToken;
    while (token) {
      const next = await ssm.send(
        new GetParametersByPathCommand({ Path: path, MaxResults: 5, NextToken: token }),
      );
      names.push(...next.Parameters!.map((p) => p.Name));
      token = next.NextToken;
    }
    expect(names).toContain(AL2023);
    expect(names).toContain('/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2');
    expect(new Set(names).size).toBe(names.length);
    expect((await ssm.send(new GetParametersByPathCommand({ Path: '/aws/service' }))).Parameters).toEqual([]);
    const recursive = await ssm.send(
      new GetParametersByPathCommand({ Path: '/aws/service', Recursive: true, MaxResults: 10 }),
    );
    expect(recursive.Parameters).toHaveLength(10);
    const e = await failure(ssm.send(new GetParametersByPathCommand({ Path: path, MaxResults: 11 })));
    expect(e.name).toBe('ValidationException');
  });

  test('an unknown parameter is ParameterNotFound; another region has other image ids', async () => {
    expect((await failure(ssm.send(new GetParameterCommand({ Name: '/my/own/param' })))).name).toBe(
      'ParameterNotFound',
    );
    const west = new SSMClient({ ...twin.clientConfig(), region: 'eu-west-1' });
    const here = (await ssm.send(new GetParameterCommand({ Name: AL2023 }))).Parameter!.Value;
    const there = (await west.send(new GetParameterCommand({ Name: AL2023 }))).Parameter!.Value;
    expect(there).toMatch(/^ami-/);
    expect(there).not.toBe(here);
    // The same image id is unknown to DescribeImages in the other region.
    const westEc2 = new EC2Client({ ...twin.clientConfig(), region: 'eu-west-1' });
    expect((await failure(westEc2.send(new DescribeImagesCommand({ ImageIds: [here!] })))).name).toBe(
      'InvalidAMIID.NotFound',
    );
  });

  test('DescribeImages filters by owner alias, name and image id; Owners self finds none', async () => {
    const byOwner = await ec2.send(
      new DescribeImagesCommand({
        Owners: ['amazon'],
        Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-kernel-6.1-arm64'] }],
      }),
    );
    expect(byOwner.Images!.map((i) => i.Architecture)).toEqual(['arm64']);
    const byAlias = await ec2.send(
      new DescribeImagesCommand({ Filters: [{ Name: 'owner-alias', Values: ['amazon'] }] }),
    );
    expect(byAlias.Images!.length).toBeGreaterThanOrEqual(7);
    const id = byAlias.Images![0]!.ImageId!;
    const byId = await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'image-id', Values: [id] }] }));
    expect(byId.Images!.map((i) => i.ImageId)).toEqual([id]);
    expect((await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images).toEqual([]);
    expect(
      (await failure(ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })))).name,
    ).toBe('InvalidAMIID.NotFound');
  });

  test('reading a parameter is authorized on its ARN (ssm:GetParameter)', async () => {
    const a = twin.server.twin.accounts[0]!;
    const { keys } = await roleSession(twin, a, 'al2023-only', {
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: 'arn:aws:ssm:*::parameter/aws/service/ami-amazon-linux-latest/al2023-*',
    });
    const reader = new SSMClient({ ...twin.clientConfig(), credentials: keys });
    await reader.send(new GetParameterCommand({ Name: AL2023 }));
    const e = await failure(
      reader.send(
        new GetParameterCommand({ Name: '/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2' }),
      ),
    );
    expect(e.name).toBe('AccessDeniedException');
  });
});

describe.runIf(hasAwsCli)('public AMI parameters and images through the AWS CLI', () => {
  test('ssm get-parameters --names, then ec2 describe-images --image-ids and --owners amazon', async () => {
    const got = await aws(twin, ['ssm', 'get-parameters', '--names', AL2023]);
    expect(got.code, got.stderr).toBe(0);
    const imageId = (got.json as { Parameters: { Value: string }[] }).Parameters[0]!.Value;
    expect(imageId).toMatch(/^ami-/);
    const one = await aws(twin, ['ssm', 'get-parameter', '--name', AL2023, '--query', 'Parameter.Value']);
    expect(one.json).toBe(imageId);
    const images = await aws(twin, ['ec2', 'describe-images', '--image-ids', imageId]);
    expect(images.code, images.stderr).toBe(0);
    expect((images.json as { Images: { ImageOwnerAlias: string }[] }).Images[0]!.ImageOwnerAlias).toBe(
      'amazon',
    );
    const owned = await aws(twin, [
      'ec2',
      'describe-images',
      '--owners',
      'amazon',
      '--filters',
      'Name=name,Values=amzn2-ami-hvm-*',
    ]);
    expect((owned.json as { Images: unknown[] }).Images).toHaveLength(1);
    const byPath = await aws(twin, [
      'ssm',
      'get-parameters-by-path',
      '--path',
      '/aws/service/ami-amazon-linux-latest',
    ]);
    expect(byPath.code, byPath.stderr).toBe(0);
    expect((byPath.json as { Parameters: unknown[] }).Parameters.length).toBeGreaterThanOrEqual(10);
  });
});
