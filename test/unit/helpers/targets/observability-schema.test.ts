import { describe, test } from 'vitest';
import { DEFAULT_FLOW_LOG_FORMAT, parseTargets } from '../../../../helpers/targets/index.ts';
import { type File, lab, problemsOf } from './small-lab.ts';

/** The observability section: what a flow log watches and where it delivers are named, and declared. */
function withObservability(edit: (o: File) => void = () => undefined): File {
  const file = lab();
  file.observability = {
    trail: { name: 'audit-trail', bucket: 'audit-logs-bucket', logGroup: '/aws/cloudtrail/audit' },
    flowLogs: [
      { vpc: 'a-vpc', destination: { logGroup: '/aws/vpc/flowlogs' } },
      { subnet: 'b-1', destination: { bucket: 'central-flow-logs', account: 'lab' } },
    ],
  };
  edit(file.observability);
  return file;
}

describe('the observability section of targets', () => {
  test('a trail and flow logs that name declared VPCs, subnets and accounts are taken', ({ expect }) => {
    expect(problemsOf(withObservability())).toEqual([]);
  });

  test('defaults: AWS’s 600 s aggregation and default format, a trail that logs everything', ({ expect }) => {
    const o = parseTargets(withObservability()).observability!;
    expect(o.flowLogs[0]).toMatchObject({ maxAggregationInterval: 600, format: DEFAULT_FLOW_LOG_FORMAT });
    expect(o.trail).toMatchObject({
      multiRegion: true,
      logFileValidation: true,
      managementEvents: 'All',
      insights: [],
      dataEventBuckets: [],
      deliveryWithinMinutes: 60,
    });
    expect(o).toMatchObject({ dataEventTimeoutSeconds: 1200, recordTimeoutSeconds: 1500 });
  });

  test.for([
    {
      says: 'a VPC, subnet or account nobody declared',
      edit: (o: File) => {
        o.flowLogs[0].vpc = 'z-vpc';
        o.flowLogs[1].subnet = 'z-1';
        o.flowLogs[1].destination.account = 'archive';
      },
      problems: [
        'observability.flowLogs[0].vpc: no VPC "z-vpc" in network.vpcs',
        'observability.flowLogs[1].subnet: no subnet "z-1" in network.vpcs',
        'observability.flowLogs[1].destination.account: no account "archive" in accounts',
      ],
    },
    {
      says: 'a flow log that watches two things at once',
      edit: (o: File) => {
        o.flowLogs[0].subnet = 'a-1';
      },
      problems: ['observability.flowLogs[0]: name exactly one of vpc, subnet or networkInterface'],
    },
    {
      says: 'an aggregation interval AWS does not offer',
      edit: (o: File) => {
        o.flowLogs[0].maxAggregationInterval = 300;
      },
      problems: ['observability.flowLogs[0].maxAggregationInterval: Invalid input'],
    },
  ])('refuses $says', ({ edit, problems }, { expect }) => {
    expect(problemsOf(withObservability(edit))).toEqual(problems);
  });
});
