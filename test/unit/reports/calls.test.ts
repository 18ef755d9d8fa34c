import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { clearCalls, flushCalls, pendingCalls, readCalls, recordCall } from '../../../reports/calls.ts';

describe('API call counts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'meshcheck-calls-'));
    flushCalls(join(dir, 'drain')); // start each test from zero
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('recordCall counts per service and operation', () => {
    recordCall('ec2', 'DescribeVpcs');
    recordCall('ec2', 'DescribeVpcs');
    recordCall('ssm', 'SendCommand');
    expect(pendingCalls()).toEqual({ 'ec2.DescribeVpcs': 2, 'ssm.SendCommand': 1 });
  });

  test('flushCalls writes one file per flush and starts again from zero, so nothing counts twice', () => {
    recordCall('ec2', 'DescribeVpcs');
    flushCalls(dir);
    recordCall('ec2', 'DescribeVpcs');
    recordCall('sts', 'AssumeRole');
    flushCalls(dir);
    expect(pendingCalls()).toEqual({});
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    expect(readCalls(dir)).toEqual({ 'ec2.DescribeVpcs': 2, 'sts.AssumeRole': 1 });
  });

  test('flushCalls without a directory or without calls writes nothing', () => {
    expect(flushCalls(dir)).toBeUndefined();
    recordCall('ec2', 'DescribeVpcs');
    expect(flushCalls(undefined)).toBeUndefined();
    expect(pendingCalls()).toEqual({ 'ec2.DescribeVpcs': 1 });
  });

  test('readCalls sums files from several workers, sorted, and skips files that are not counts', () => {
    writeFileSync(
      join(dir, 'worker-a.json'),
      JSON.stringify({ 'sts.GetCallerIdentity': 1, 'ec2.DescribeVpcs': 3 }),
    );
    writeFileSync(join(dir, 'worker-b.json'), JSON.stringify({ 'ec2.DescribeVpcs': 2, bogus: 'x' }));
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    writeFileSync(join(dir, 'list.json'), '[1,2]');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    expect(readCalls(dir)).toEqual({ 'ec2.DescribeVpcs': 5, 'sts.GetCallerIdentity': 1 });
    expect(Object.keys(readCalls(dir))).toEqual(['ec2.DescribeVpcs', 'sts.GetCallerIdentity']);
  });

  test('readCalls of a missing or unset directory is no calls', () => {
    expect(readCalls(join(dir, 'absent'))).toEqual({});
    expect(readCalls(undefined)).toEqual({});
  });

  test('clearCalls removes only the files flushCalls wrote', () => {
    recordCall('ec2', 'DescribeVpcs');
    flushCalls(dir);
    writeFileSync(join(dir, 'keep.json'), '{}');
    clearCalls(dir);
    expect(readdirSync(dir)).toEqual(['keep.json']);
  });
});
