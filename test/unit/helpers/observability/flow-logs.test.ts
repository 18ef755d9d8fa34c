import type { FlowLog } from '@aws-sdk/client-ec2';
import { describe, expect, test } from 'vitest';
import { deliversTo, flowLogFor, normalisedFormat } from '../../../../helpers/observability/flow-logs.ts';
import { DEFAULT_FLOW_LOG_FORMAT, type FlowLogTarget } from '../../../../helpers/targets/index.ts';

/** Which flow log on a resource is the one targets mean, and formats compared by their fields. */
const target = (destination: FlowLogTarget['destination']) =>
  ({
    vpc: 'app',
    destination,
    maxAggregationInterval: 600,
    format: DEFAULT_FLOW_LOG_FORMAT,
  }) as FlowLogTarget;
const cw = (id: string, extra: Partial<FlowLog> = {}): FlowLog => ({
  FlowLogId: id,
  LogDestinationType: 'cloud-watch-logs',
  LogGroupName: '/vpc/flows',
  FlowLogStatus: 'ACTIVE',
  TrafficType: 'ALL',
  ...extra,
});

describe('deliversTo', () => {
  test('a log group by name; a bucket and folder by ARN, a trailing slash aside', () => {
    expect(deliversTo(cw('a'), { logGroup: '/vpc/flows' })).toBe(true);
    expect(deliversTo(cw('a'), { logGroup: '/vpc/other' })).toBe(false);
    const s3 = (LogDestination: string): FlowLog => ({ LogDestinationType: 's3', LogDestination });
    const central = { bucket: 'central', account: 'archive', prefix: 'vpc' };
    expect(deliversTo(s3('arn:aws:s3:::central/vpc/'), central)).toBe(true);
    expect(deliversTo(s3('arn:aws:s3:::central'), central)).toBe(false);
    expect(deliversTo(s3('arn:aws:s3:::central'), { bucket: 'central', account: 'lab' })).toBe(true);
  });
});

describe('flowLogFor', () => {
  test('among flow logs to the same place, the healthy one; none when nothing delivers there', () => {
    const logs = [
      cw('broken', { TrafficType: 'REJECT' }),
      cw('good'),
      cw('elsewhere', { LogGroupName: '/x' }),
    ];
    expect(flowLogFor(logs, target({ logGroup: '/vpc/flows' }))?.FlowLogId).toBe('good');
    expect(
      flowLogFor([cw('broken', { TrafficType: 'ACCEPT' })], target({ logGroup: '/vpc/flows' }))?.FlowLogId,
    ).toBe('broken');
    expect(flowLogFor(logs, target({ logGroup: '/nowhere' }))).toBeUndefined();
  });
});

test('normalisedFormat compares whitespace only, and reads an absent format as the default', () => {
  expect(normalisedFormat(`  ${DEFAULT_FLOW_LOG_FORMAT.replaceAll(' ', '   ')}\n`)).toBe(
    DEFAULT_FLOW_LOG_FORMAT,
  );
  expect(normalisedFormat(undefined)).toBe(DEFAULT_FLOW_LOG_FORMAT);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS's LogFormat syntax
  expect(normalisedFormat('${srcaddr} ${dstaddr}')).not.toBe(normalisedFormat('${dstaddr} ${srcaddr}'));
});
