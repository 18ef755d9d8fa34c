import { beforeEach, describe, expect, test, vi } from 'vitest';
import { recordCall, takeCalls } from '../../../helpers/calls.ts';

describe("a worker's API call counts", () => {
  beforeEach(() => {
    takeCalls(); // start each test from zero
  });

  test('count per service and operation', () => {
    recordCall('ec2', 'DescribeVpcs');
    recordCall('ec2', 'DescribeVpcs');
    recordCall('ssm', 'SendCommand');
    expect(takeCalls()).toEqual({ 'ec2.DescribeVpcs': 2, 'ssm.SendCommand': 1 });
  });

  test('start again from zero once taken, so a reused worker never counts a call twice', () => {
    recordCall('ec2', 'DescribeVpcs');
    takeCalls();
    recordCall('sts', 'AssumeRole');
    expect(takeCalls()).toEqual({ 'sts.AssumeRole': 1 });
    expect(takeCalls()).toEqual({});
  });

  test('are shared by every copy of the module a worker evaluates (vitest isolates modules per file)', async () => {
    recordCall('kms', 'Decrypt');
    vi.resetModules();
    const copy = await import('../../../helpers/calls.ts');
    expect(copy.recordCall).not.toBe(recordCall); // a fresh evaluation, as the next test file gets
    copy.recordCall('kms', 'Decrypt');
    expect(takeCalls()).toEqual({ 'kms.Decrypt': 2 });
  });
});
