import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invoke } from '../../../../twin/core/invoke.ts';
import { FunctionRuntime } from '../../../../twin/runtime/index.ts';
import { lambda } from '../../../../twin/services/lambda/api.ts';
import { eniReleaseMs } from '../../../../twin/services/lambda/model/vpc.ts';
import { rootCredential } from '../../../../twin/twin.ts';
import { functionInput, type LambdaLab, lambdaLab } from './fixtures.ts';

/**
 * The Lambda model through invoke() on a ManualClock: states derived from
 * the clock, VPC functions' Hyperplane ENIs (shared, lingering after
 * deletion), and the checks CreateFunction makes.
 */
let lab: LambdaLab;
beforeAll(async () => {
  lab = await lambdaLab();
});
afterAll(() => lab.twin.dispose());

const config = (name: string) =>
  lab.call<Record<string, unknown>>('GetFunctionConfiguration', { FunctionName: name });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: { code: string; message: string; status?: number }) => e,
  );

describe('states on the clock', () => {
  test('Pending (Creating) until the activation delay has passed, then Active', async () => {
    await lab.call('CreateFunction', functionInput('states', lab.bareRole));
    expect(await config('states')).toMatchObject({
      State: 'Pending',
      StateReason: 'The function is being created.',
      StateReasonCode: 'Creating',
    });
    await lab.advance(lab.activation() - 1);
    expect((await config('states')).State).toBe('Pending');
    await lab.advance(1);
    expect(await config('states')).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(await config('states')).not.toHaveProperty('StateReasonCode');
  });

  test('Invoke and updates are refused while Pending', async () => {
    await lab.call('CreateFunction', functionInput('pending', lab.bareRole));
    for (const attempt of [
      lab.call('Invoke', { FunctionName: 'pending' }),
      lab.call('UpdateFunctionConfiguration', { FunctionName: 'pending', Timeout: 5 }),
    ]) {
      expect(await failure(attempt)).toMatchObject({
        code: 'ResourceConflictException',
        status: 409,
        message:
          'The operation cannot be performed at this time. The function is currently in the following state: Pending',
      });
    }
  });

  test('a stale RevisionId is PreconditionFailedException', async () => {
    await lab.call('CreateFunction', functionInput('revisions', lab.bareRole));
    await lab.advance(lab.activation());
    const err = await failure(
      lab.call('UpdateFunctionConfiguration', { FunctionName: 'revisions', RevisionId: 'stale', Timeout: 5 }),
    );
    expect(err).toMatchObject({ code: 'PreconditionFailedException', status: 412 });
  });
});

describe('CreateFunction’s checks', () => {
  test.for([
    [
      'an existing name',
      { FunctionName: 'states' },
      'ResourceConflictException',
      'Function already exist: states',
    ],
    [
      'a zip that is not one',
      { Code: { ZipFile: strToU8('not a zip') } },
      'InvalidParameterValueException',
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    ],
    [
      'a reserved variable',
      { Environment: { Variables: { AWS_REGION: 'x', OK: 'y' } } },
      'InvalidParameterValueException',
      /Reserved keys used in this request: AWS_REGION$/,
    ],
    [
      'a timeout over 900',
      { Timeout: 901 },
      'ValidationException',
      "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
    ],
    [
      'a retired runtime',
      { Runtime: 'nodejs16.x' }, // blocked on purpose: the refusal under test
      'InvalidParameterValueException',
      /^The runtime parameter of nodejs16\.x is no longer supported/,
    ],
    [
      'a runtime the twin does not run',
      { Runtime: 'java21' },
      'InvalidParameterValueException',
      /Node\.js and Python functions only/,
    ],
    [
      'a role that does not exist',
      { Role: 'arn:aws:iam::123456789012:role/ghost' },
      'InvalidParameterValueException',
      'The role defined for the function cannot be assumed by Lambda.',
    ],
  ] as const)('refuses %s', async ([, extra, code, message]) => {
    const err = await failure(lab.call('CreateFunction', functionInput('checked', lab.bareRole, extra)));
    expect(err?.code).toBe(code);
    if (typeof message === 'string') expect(err?.message).toBe(message);
    else expect(err?.message).toMatch(message);
  });
});

describe('VPC functions', () => {
  const inVpc = (subnets: string[]) => ({
    VpcConfig: { SubnetIds: subnets, SecurityGroupIds: [lab.vpc.securityGroupId] },
  });

  test('get one requester-managed `lambda` ENI per subnet, in use, described as Lambda’s', async () => {
    const before = lab.lambdaEnis().length;
    const out = await lab.call<{ VpcConfig: object }>(
      'CreateFunction',
      functionInput('vpc-a', lab.vpcRole, inVpc([lab.vpc.isolatedSubnet, lab.vpc.natSubnet])),
    );
    expect(out.VpcConfig).toEqual({
      SubnetIds: [lab.vpc.isolatedSubnet, lab.vpc.natSubnet],
      SecurityGroupIds: [lab.vpc.securityGroupId],
      VpcId: lab.vpc.vpcId,
      Ipv6AllowedForDualStack: false,
    });
    const enis = lab.lambdaEnis().slice(before);
    expect(enis.map((e) => e.subnetId).sort()).toEqual([lab.vpc.isolatedSubnet, lab.vpc.natSubnet].sort());
    for (const eni of enis) {
      expect(eni).toMatchObject({
        requesterManaged: true,
        status: 'in-use',
        securityGroupIds: [lab.vpc.securityGroupId],
      });
      expect(eni.description).toMatch(/^AWS Lambda VPC ENI-vpc-a-/);
    }
  });

  test('a second function with the same subnet and groups shares the ENI', async () => {
    const before = lab.lambdaEnis().length;
    await lab.call('CreateFunction', functionInput('vpc-b', lab.vpcRole, inVpc([lab.vpc.isolatedSubnet])));
    expect(lab.lambdaEnis()).toHaveLength(before);
  });

  test('a deleted function’s ENI lingers while unused, and is released later; a shared one stays', async () => {
    await lab.call('CreateFunction', functionInput('vpc-c', lab.vpcRole, inVpc([lab.vpc.natSubnet])));
    const before = lab.lambdaEnis().length;
    await lab.advance(lab.activation());
    await lab.call('DeleteFunction', { FunctionName: 'vpc-a' });
    await lab.call('DeleteFunction', { FunctionName: 'vpc-c' });
    expect(lab.lambdaEnis()).toHaveLength(before);
    await lab.advance(eniReleaseMs(lab.twin.profile));
    const left = lab.lambdaEnis();
    // The nat-subnet ENI had no user left and is gone; the isolated one still serves vpc-b.
    expect(left.map((e) => e.subnetId)).toEqual([lab.vpc.isolatedSubnet]);
  });

  test('moving a function out of its VPC releases its ENI later', async () => {
    await lab.call('UpdateFunctionConfiguration', {
      FunctionName: 'vpc-b',
      VpcConfig: { SubnetIds: [], SecurityGroupIds: [] },
    });
    expect(lab.lambdaEnis()).toHaveLength(1);
    expect(await config('vpc-b')).not.toHaveProperty('VpcConfig');
    await lab.advance(eniReleaseMs(lab.twin.profile));
    expect(lab.lambdaEnis()).toHaveLength(0);
  });

  test('an execution role that may not manage ENIs is refused with Lambda’s message', async () => {
    const err = await failure(
      lab.call('CreateFunction', functionInput('vpc-bare', lab.bareRole, inVpc([lab.vpc.isolatedSubnet]))),
    );
    expect(err).toMatchObject({
      code: 'InvalidParameterValueException',
      message: 'The provided execution role does not have permissions to call CreateNetworkInterface on EC2',
    });
  });

  test('a subnet that does not exist is reported as EC2 reported it', async () => {
    const err = await failure(
      lab.call(
        'CreateFunction',
        functionInput('vpc-ghost', lab.vpcRole, inVpc(['subnet-0123456789abcdef0'])),
      ),
    );
    expect(err?.message).toBe(
      "Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. EC2 Error Message: The subnet ID 'subnet-0123456789abcdef0' does not exist",
    );
  });
});

describe('resource policy and tags', () => {
  test('AddPermission builds the policy GetPolicy returns; RemovePermission takes it out', async () => {
    await lab.call('AddPermission', {
      FunctionName: 'states',
      StatementId: 'sqs-invoke',
      Action: 'lambda:InvokeFunction',
      Principal: 'sqs.amazonaws.com',
      SourceArn: 'arn:aws:sqs:us-east-1:123456789012:q',
    });
    const { Policy } = await lab.call<{ Policy: string }>('GetPolicy', { FunctionName: 'states' });
    expect(JSON.parse(Policy).Statement).toEqual([
      {
        Sid: 'sqs-invoke',
        Effect: 'Allow',
        Principal: { Service: 'sqs.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: 'arn:aws:lambda:us-east-1:123456789012:function:states',
        Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:sqs:us-east-1:123456789012:q' } },
      },
    ]);
    await lab.call('RemovePermission', { FunctionName: 'states', StatementId: 'sqs-invoke' });
    expect(await failure(lab.call('GetPolicy', { FunctionName: 'states' }))).toMatchObject({
      code: 'ResourceNotFoundException',
    });
  });

  test('tags by ARN', async () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:states';
    await lab.call('TagResource', { Resource: arn, Tags: { team: 'net', run: '1' } });
    await lab.call('UntagResource', { Resource: arn, TagKeys: ['run'] });
    expect(await lab.call('ListTags', { Resource: arn })).toEqual({ Tags: { team: 'net' } });
  });
});

describe('invoking', () => {
  test('another account may invoke only once the function’s policy admits it', async () => {
    await lab.call('CreateFunction', functionInput('shared-fn', lab.bareRole));
    await lab.advance(lab.activation());
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:shared-fn';
    const fromOther = () =>
      invoke(
        lab.twin,
        lambda,
        'Invoke',
        { FunctionName: arn, Payload: Buffer.from('{"name":"neighbour"}') },
        {
          credential: rootCredential('444455556666'),
          region: 'us-east-1',
        },
      );
    expect(await failure(fromOther())).toMatchObject({ code: 'AccessDeniedException', status: 403 });
    await lab.call('AddPermission', {
      FunctionName: 'shared-fn',
      StatementId: 'neighbour',
      Action: 'lambda:InvokeFunction',
      Principal: '444455556666',
    });
    const out = (await fromOther()) as { StatusCode: number; Payload: Uint8Array };
    expect([out.StatusCode, JSON.parse(Buffer.from(out.Payload).toString())]).toEqual([
      200,
      { hello: 'neighbour' },
    ]);
  });

  test('beyond the twin’s concurrency, Invoke is TooManyRequestsException (429)', async () => {
    const slow = zipSync({
      'index.mjs': strToU8(
        'export const handler = () => new Promise((r) => setTimeout(() => r("done"), 500))',
      ),
    });
    await lab.call('CreateFunction', functionInput('slow', lab.bareRole, { Code: { ZipFile: slow } }));
    await lab.advance(lab.activation());
    const limit = FunctionRuntime.concurrencyLimit;
    FunctionRuntime.concurrencyLimit = 1;
    try {
      const results = await Promise.all(
        [1, 2].map(() => failure(lab.call('Invoke', { FunctionName: 'slow' }))),
      );
      expect(results.filter((r) => r === undefined)).toHaveLength(1);
      expect(results.find((r) => r)).toMatchObject({
        code: 'TooManyRequestsException',
        status: 429,
        members: { Reason: 'ConcurrentInvocationLimitExceeded' },
      });
    } finally {
      FunctionRuntime.concurrencyLimit = limit;
    }
  });
});
