import { describe, expect, test } from 'vitest';
import { sumCalls } from '../../../reports/calls.ts';

describe("the run's API call counts", () => {
  test('sum what each test file carried, keys sorted', () => {
    const total = sumCalls([
      { 'sts.GetCallerIdentity': 1, 'ec2.DescribeVpcs': 3 },
      { 'ec2.DescribeVpcs': 2 },
      undefined, // a file that made no call, or ended before its worker could say
    ]);
    expect(total).toEqual({ 'ec2.DescribeVpcs': 5, 'sts.GetCallerIdentity': 1 });
    expect(Object.keys(total)).toEqual(['ec2.DescribeVpcs', 'sts.GetCallerIdentity']);
  });

  test('skip what is not a count rather than fail the report', () => {
    expect(
      sumCalls([
        { 'ec2.DescribeVpcs': 2, bogus: 'x', negative: -1, infinite: Number.POSITIVE_INFINITY },
        [1, 2],
        'text',
        null,
      ]),
    ).toEqual({ 'ec2.DescribeVpcs': 2 });
  });

  test('of no files is no calls', () => {
    expect(sumCalls([])).toEqual({});
  });
});
