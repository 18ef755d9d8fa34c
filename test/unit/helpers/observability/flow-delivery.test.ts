import type { FlowLog } from '@aws-sdk/client-ec2';
import { describe, test } from 'vitest';
import { CannotTellError } from '../../../../helpers/errors.ts';
import { deliveryError, waitForRunRecords } from '../../../../helpers/observability/flow-delivery.ts';
import {
  expectationsFor,
  type FlowRecord,
  type RunTraffic,
} from '../../../../helpers/observability/flow-records.ts';

const T0 = 1_800_000_000;
const end = (name: string, ip: string, eni: string) => ({ name, ip, eni, vpcId: 'vpc-1', subnetId: 's' });
const traffic: RunTraffic = {
  row: 'a→b:icmp',
  from: end('a', '10.0.1.10', 'eni-a'),
  to: end('b', '10.0.2.10', 'eni-b'),
  protocol: 1,
  carried: true,
  startSec: T0,
  endSec: T0 + 3,
};
const accept = (eni: string): FlowRecord => ({
  interfaceId: eni,
  srcaddr: '10.0.1.10',
  dstaddr: '10.0.2.10',
  protocol: 1,
  action: 'ACCEPT',
  start: T0 + 5,
  end: T0 + 50,
  line: eni,
});
const expectations = expectationsFor([traffic], () => true);
const active: FlowLog = { FlowLogId: 'fl-1', DeliverLogsStatus: 'SUCCESS' };
const failing: FlowLog = {
  FlowLogId: 'fl-1',
  DeliverLogsStatus: 'FAILED',
  DeliverLogsErrorMessage: 'Access error',
};
const sourceOf = (batches: FlowRecord[][]) => {
  let i = 0;
  return () => ({ reproduce: 'aws logs …', read: async () => batches[Math.min(i++, batches.length - 1)]! });
};

describe('waitForRunRecords ends when the records are in, when delivery fails, when the flow log is gone, or at its bound', () => {
  test('arrived: every awaited record, after records came in bursts', async ({ expect }) => {
    const wait = await waitForRunRecords(
      sourceOf([[], [accept('eni-a')], [accept('eni-a'), accept('eni-b')]]),
      expectations,
      async () => active,
      { what: 'fl-1', timeoutMs: 10_000 },
    );
    expect(wait).toMatchObject({ ended: 'arrived', judgement: { missing: [], uncontrolled: [] } });
  });

  test('failing: DeliverLogsStatus FAILED ends the wait with AWS’s message', async ({ expect }) => {
    const wait = await waitForRunRecords(sourceOf([[]]), expectations, async () => failing, {
      what: 'fl-1',
      timeoutMs: 60_000,
    });
    expect(wait.ended).toBe('failing');
    expect(deliveryError(wait.flowLog!)).toBe('DeliverLogsStatus FAILED: Access error');
    expect(deliveryError(active)).toBeUndefined();
  });

  test('gone: no flow log delivers there', async ({ expect }) => {
    const wait = await waitForRunRecords(sourceOf([[]]), expectations, async () => undefined, {
      what: 'fl-1',
      timeoutMs: 60_000,
    });
    expect(wait.ended).toBe('gone');
  });

  test('timeout: what was last seen, to judge', async ({ expect }) => {
    const wait = await waitForRunRecords(sourceOf([[accept('eni-a')]]), expectations, async () => active, {
      what: 'fl-1',
      timeoutMs: 300,
    });
    expect(wait.ended).toBe('timeout');
    expect(wait.judgement.missing.map((e) => e.eni)).toEqual(['eni-b']);
  });

  test('a source that cannot be read is “cannot tell”', async ({ expect }) => {
    const broken = () => ({
      reproduce: '',
      read: async () => {
        throw new CannotTellError('AccessDenied');
      },
    });
    await expect(
      waitForRunRecords(broken, expectations, async () => active, { what: 'fl-1', timeoutMs: 5_000 }),
    ).rejects.toBeInstanceOf(CannotTellError);
  });

  test('a throttled look is “not yet”, never the end of the wait', async ({ expect }) => {
    let looks = 0;
    const throttledOnce = () => ({
      reproduce: '',
      read: async () => {
        looks += 1;
        if (looks <= 2) throw new CannotTellError('Throttling', 'throttled');
        return [accept('eni-a'), accept('eni-b')];
      },
    });
    const wait = await waitForRunRecords(throttledOnce, expectations, async () => active, {
      what: 'fl-1',
      timeoutMs: 10_000,
    });
    expect(wait.ended).toBe('arrived');
  });

  test('throttled throughout is “cannot tell”, not a missing record', async ({ expect }) => {
    const throttled = () => ({
      reproduce: '',
      read: async () => {
        throw new CannotTellError('Throttling', 'throttled');
      },
    });
    await expect(
      waitForRunRecords(throttled, expectations, async () => active, { what: 'fl-1', timeoutMs: 300 }),
    ).rejects.toThrow(/every look was throttled/);
  });
});
