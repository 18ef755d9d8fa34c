import type { SecurityGroup } from '@aws-sdk/client-ec2';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import {
  egressDiffs,
  egressLines,
  environmentDiffs,
  getFunctionConfiguration,
  intendedEgressLines,
  placementDiffs,
  placementOf,
  runtimeSupport,
} from '../../../../helpers/application/functions.ts';
import { CannotTellError, LabDeviationError } from '../../../../helpers/errors.ts';
import { awsError, mockedClients } from '../support.ts';

/**
 * S1–S4's comparisons: a function's placement, environment, runtime and
 * the egress of its security groups against what targets intend.
 */

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

describe('getFunctionConfiguration', () => {
  test('a function that is gone is a deviation; one the runner may not read is cannot-tell', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(awsError('ResourceNotFoundException', 404));
    await expect(getFunctionConfiguration(mockedClients(), 'writer')).rejects.toThrow(LabDeviationError);
    lambda.on(GetFunctionConfigurationCommand).rejects(awsError('AccessDeniedException', 403));
    await expect(getFunctionConfiguration(mockedClients(), 'writer')).rejects.toThrow(CannotTellError);
  });
});

describe('placementDiffs', () => {
  const intended = { vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'], securityGroupIds: ['sg-1'] };
  const names = { 'vpc-1': 'Prod', 'subnet-a': 'private-1', 'subnet-b': 'private-2', 'sg-1': 'writer' };

  test('the intended VPC, every subnet and the groups, in any order, is no difference', () => {
    const config = {
      VpcConfig: { VpcId: 'vpc-1', SubnetIds: ['subnet-b', 'subnet-a'], SecurityGroupIds: ['sg-1'] },
    };
    expect(placementDiffs(intended, placementOf(config), names)).toEqual([]);
  });

  test('one AZ only, or an extra group, is named', () => {
    const config = {
      VpcConfig: { VpcId: 'vpc-1', SubnetIds: ['subnet-a'], SecurityGroupIds: ['sg-1', 'sg-2'] },
    };
    expect(placementDiffs(intended, placementOf(config), names)).toEqual([
      'not in subnets private-2 (subnet-b)',
      'also in security groups sg-2',
    ]);
  });

  test('a function outside any VPC (empty VpcConfig, as Lambda answers) says so', () => {
    for (const config of [{}, { VpcConfig: { VpcId: '', SubnetIds: [], SecurityGroupIds: [] } }])
      expect(placementDiffs(intended, placementOf(config), names)).toEqual([
        'runs in no VPC; intended Prod (vpc-1)',
      ]);
  });
});

describe('environmentDiffs', () => {
  test('each intended variable must hold its value; others may exist', () => {
    const config = { Environment: { Variables: { BUCKET_NAME: 'other', EXTRA: '1' } } };
    expect(environmentDiffs({ BUCKET_NAME: 'app-data', TABLE: 'Events' }, config)).toEqual([
      'BUCKET_NAME is "other", not "app-data"',
      'TABLE is not set',
    ]);
    expect(environmentDiffs({}, config)).toEqual([]);
  });

  test('variables Lambda could not decrypt cannot be judged', () => {
    const config = {
      FunctionName: 'writer',
      Environment: { Error: { ErrorCode: 'AccessDeniedException', Message: 'KMS' } },
    };
    expect(() => environmentDiffs({ A: 'b' }, config)).toThrow(CannotTellError);
  });
});

describe('egress', () => {
  const group = (egress: SecurityGroup['IpPermissionsEgress']): SecurityGroup => ({
    GroupId: 'sg-1',
    IpPermissionsEgress: egress,
  });
  const ids: Record<string, string> = {
    'prefixList:s3': 'pl-63a5400a',
    'sg:endpoints': 'sg-0e1',
  };
  const intended = intendedEgressLines(
    [
      { protocol: 'tcp', port: 443, to: 'prefixList:s3' },
      { protocol: 'tcp', port: 443, to: 'sg:endpoints' },
    ],
    (to) => ids[to]!,
  );
  const https = {
    IpProtocol: 'tcp',
    FromPort: 443,
    ToPort: 443,
    PrefixListIds: [{ PrefixListId: 'pl-63a5400a' }],
    UserIdGroupPairs: [{ GroupId: 'sg-0e1' }],
  };

  test('the union of the groups equal to the intent is no difference', () => {
    const actual = egressLines([group([https]), group([{ ...https, IpProtocol: '6' }])]);
    expect(actual).toEqual(['tcp 443 → pl-63a5400a', 'tcp 443 → sg-0e1']);
    expect(egressDiffs(intended, actual)).toEqual({ extra: [], missing: [] });
  });

  test("an extra 0.0.0.0/0 (AWS's default egress) fails and is named; a missing rule too", () => {
    const actual = egressLines([
      group([
        { ...https, UserIdGroupPairs: [] },
        { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
      ]),
    ]);
    expect(egressDiffs(intended, actual)).toEqual({
      extra: ['all → 0.0.0.0/0', 'all → ::/0'],
      missing: ['tcp 443 → sg-0e1'],
    });
  });

  test('a port range is not the one port intended; TCP without a port means every port', () => {
    const wide = egressLines([group([{ ...https, FromPort: 0, ToPort: 65535, UserIdGroupPairs: [] }])]);
    expect(wide).toEqual(['tcp 0-65535 → pl-63a5400a']);
    expect(egressDiffs(intended, wide).extra).toEqual(['tcp 0-65535 → pl-63a5400a']);
    const anyTcp = intendedEgressLines([{ protocol: 'tcp', to: 'prefixList:s3' }], (to) => ids[to]!);
    expect(egressDiffs(anyTcp, wide)).toEqual({ extra: [], missing: [] });
    expect(intendedEgressLines([{ protocol: 'all', to: '10.0.0.0/16' }], () => '')).toEqual([
      'all → 10.0.0.0/16',
    ]);
  });
});

describe('runtimeSupport', () => {
  const rows = [
    { identifier: 'nodejs22.x', deprecation: '2027-04-30' },
    { identifier: 'python3.10', deprecation: '2026-10-31' },
  ];
  const at = (iso: string) => Date.parse(iso);

  test('supported until 00:00 UTC of the deprecation day, not after', () => {
    expect(runtimeSupport('nodejs22.x', at('2027-04-29T23:59:59Z'), rows).supported).toBe(true);
    expect(runtimeSupport('nodejs22.x', at('2027-04-30T00:00:00Z'), rows)).toEqual({
      supported: false,
      says: 'nodejs22.x was deprecated on 2027-04-30',
    });
    expect(runtimeSupport('python3.10', at('2026-12-07T12:00:00Z'), rows).supported).toBe(false);
  });

  test('a runtime not in the data, or none (an image), is cannot-tell, never a pass', () => {
    expect(() => runtimeSupport('java8', at('2020-01-01T00:00:00Z'), rows)).toThrow(CannotTellError);
    expect(() => runtimeSupport(undefined, at('2020-01-01T00:00:00Z'), rows)).toThrow(CannotTellError);
  });

  test("AWS's own data is the default: nodejs20.x is past its deprecation", () => {
    expect(runtimeSupport('nodejs20.x', at('2026-12-07T00:00:00Z')).supported).toBe(false);
    expect(runtimeSupport('nodejs24.x', at('2026-12-07T00:00:00Z')).supported).toBe(true);
  });
});
