import {
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import { CannotTellError, LabDeviationError } from '../../../../helpers/errors.ts';
import {
  getHostedZone,
  listRecordsNamed,
  plainName,
  recordDiffs,
  zoneDiffs,
} from '../../../../helpers/privatelink/zone.ts';
import { awsError, mockedClients } from '../support.ts';

/** P7 and P8's readings: the zone's privacy and associations, the record and where it points. */

const route53 = mockClient(Route53Client);
afterEach(() => route53.reset());

const zone = (PrivateZone: boolean, vpcs: string[]) => ({
  HostedZone: {
    Id: '/hostedzone/Z1',
    Name: 'orders.internal.',
    CallerReference: 'r',
    Config: { PrivateZone },
  },
  VPCs: vpcs.map((VPCId) => ({ VPCId, VPCRegion: 'eu-west-1' as const })),
});
const REGIONAL = 'vpce-1-abcd.vpce-svc-1.eu-west-1.vpce.amazonaws.com';
const ZONAL = 'vpce-1-abcd-eu-west-1a.vpce-svc-1.eu-west-1.vpce.amazonaws.com';
const endpoint = { regionalName: REGIONAL, dnsNames: [REGIONAL, ZONAL] };
const cname = (value: string): ResourceRecordSet => ({
  Name: 'api.orders.internal.',
  Type: 'CNAME',
  TTL: 300,
  ResourceRecords: [{ Value: value }],
});
const intended = { name: 'api.orders.internal', type: 'CNAME' as const, endpointVpc: 'client-vpc' };

describe('the zone (P7)', () => {
  test('private and associated with exactly the intended VPCs is no difference', () => {
    expect(zoneDiffs(zone(true, ['vpc-c']), { 'client-vpc': 'vpc-c' })).toEqual([]);
  });

  test('public, an extra association and a missing one are named', () => {
    expect(zoneDiffs(zone(false, []), { 'client-vpc': 'vpc-c' })).toEqual(['public, not private']);
    expect(zoneDiffs(zone(true, ['vpc-d']), { 'client-vpc': 'vpc-c' })).toEqual([
      'also associated with vpc-d',
      'not associated with client-vpc (vpc-c)',
    ]);
  });

  test('a zone that is gone is a deviation; one the runner may not read is cannot-tell', async () => {
    route53.on(GetHostedZoneCommand).rejects(awsError('NoSuchHostedZone', 404));
    await expect(getHostedZone(mockedClients(), 'Z1')).rejects.toBeInstanceOf(LabDeviationError);
    route53.on(GetHostedZoneCommand).rejects(awsError('AccessDenied', 403));
    await expect(getHostedZone(mockedClients(), 'Z1')).rejects.toBeInstanceOf(CannotTellError);
  });
});

describe('the record (P8)', () => {
  test("a CNAME or an A alias to the endpoint's Regional name is no difference", () => {
    expect(recordDiffs([cname(`${REGIONAL}.`)], intended, endpoint)).toEqual([]);
    const alias: ResourceRecordSet = {
      Name: 'api.orders.internal.',
      Type: 'A',
      AliasTarget: { DNSName: REGIONAL.toUpperCase(), HostedZoneId: 'Z2', EvaluateTargetHealth: false },
    };
    expect(recordDiffs([alias], { ...intended, type: 'alias' }, endpoint)).toEqual([]);
  });

  test('another target, a zonal name, no record of the kind, and no endpoint are named', () => {
    expect(recordDiffs([cname('elsewhere.example.com')], intended, endpoint)).toEqual([
      `api.orders.internal CNAME → elsewhere.example.com, not ${REGIONAL}`,
    ]);
    expect(recordDiffs([cname(ZONAL)], intended, endpoint)).toEqual([
      `api.orders.internal CNAME → ${ZONAL}: a zonal name, not the Regional ${REGIONAL}`,
    ]);
    expect(
      recordDiffs(
        [{ Name: 'api.orders.internal.', Type: 'A', ResourceRecords: [{ Value: '10.9.1.5' }] }],
        intended,
        endpoint,
      ),
    ).toEqual(['no CNAME record named api.orders.internal', 'also api.orders.internal A → 10.9.1.5']);
    expect(recordDiffs([cname(REGIONAL)], intended, undefined)).toEqual([
      'client-vpc has no endpoint to the service to point at',
    ]);
  });

  test('records are read from the name on, across pages, while the name matches', async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .resolvesOnce({
        ResourceRecordSets: [cname(REGIONAL)],
        IsTruncated: true,
        NextRecordName: 'api.orders.internal.',
        NextRecordType: 'TXT',
      })
      .resolves({
        ResourceRecordSets: [
          { Name: 'api.orders.internal.', Type: 'TXT', ResourceRecords: [{ Value: '"x"' }] },
          { Name: 'www.orders.internal.', Type: 'A', ResourceRecords: [{ Value: '10.9.1.9' }] },
        ],
        IsTruncated: true,
        NextRecordName: 'zzz.orders.internal.',
      });
    const records = await listRecordsNamed(mockedClients(), 'Z1', 'API.orders.internal');
    expect(records.map((r) => r.Type)).toEqual(['CNAME', 'TXT']);
    expect(route53.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(2);
    expect(route53.commandCalls(ListResourceRecordSetsCommand)[0]!.args[0].input.StartRecordName).toBe(
      'api.orders.internal.',
    );
  });

  test("Route 53's spelling of a name (escapes, case, trailing dot) compares as the name", () => {
    expect(plainName('\\052.Orders.Internal.')).toBe('*.orders.internal');
  });
});
