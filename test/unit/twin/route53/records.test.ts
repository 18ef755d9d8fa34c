import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { beforeEach, describe, expect, test } from 'vitest';
import { route53 } from '../../../../twin/services/route53/api.ts';
import type { Route53Model } from '../../../../twin/services/route53/model/index.ts';
import { changeRecordSets, listRecordSets } from '../../../../twin/services/route53/model/records.ts';
import { createHostedZone } from '../../../../twin/services/route53/model/zones.ts';
import { ACCOUNT, LabBuilder, REGION } from '../network/fixtures.ts';

/**
 * ChangeResourceRecordSets' rules, judged change by change against the
 * zone as the batch leaves it, and Route 53's listing order.
 */
let r53: Route53Model;
let zoneId: string;

beforeEach(() => {
  const lab = new LabBuilder();
  const vpc = lab.vpc('10.70.0.0/16');
  r53 = lab.twin.model(route53, ACCOUNT, REGION);
  zoneId = createHostedZone(r53, {
    name: 'zone.internal',
    callerReference: 'r',
    vpc: { VPCId: vpc.id, VPCRegion: REGION },
  }).zone.id;
});

const a = (Name: string, ...values: string[]): ResourceRecordSet => ({
  Name,
  Type: 'A',
  TTL: 60,
  ResourceRecords: values.map((Value) => ({ Value })),
});
const change = (Action: Change['Action'], ResourceRecordSet: ResourceRecordSet): Change => ({
  Action,
  ResourceRecordSet,
});

function refusal(changes: Change[]): string {
  try {
    changeRecordSets(r53, zoneId, changes);
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  return 'accepted';
}

const names = () => r53.zone(zoneId).records.map((r) => `${r.Name} ${r.Type}`);

describe('ChangeResourceRecordSets', () => {
  test('UPSERT replaces, and a DELETE then CREATE of one set in one batch is allowed', () => {
    changeRecordSets(r53, zoneId, [change('CREATE', a('x.zone.internal', '10.70.0.1'))]);
    changeRecordSets(r53, zoneId, [change('UPSERT', a('X.zone.internal.', '10.70.0.2'))]);
    expect(r53.zone(zoneId).records.find((r) => r.Name === 'x.zone.internal.')?.ResourceRecords).toEqual([
      { Value: '10.70.0.2' },
    ]);
    expect(
      refusal([
        change('DELETE', a('x.zone.internal', '10.70.0.2')),
        change('CREATE', a('x.zone.internal', '10.70.0.3')),
      ]),
    ).toBe('accepted');
  });

  test('a zone keeps only the version DNS serves and those still pending', () => {
    for (let i = 1; i <= 5; i++)
      changeRecordSets(r53, zoneId, [change('UPSERT', a('x.zone.internal', `10.70.0.${i}`))]);
    const versions = r53.zone(zoneId).versions;
    expect(versions.length).toBeLessThanOrEqual(2);
    expect(versions.at(-1)!.records.find((r) => r.Name === 'x.zone.internal.')?.ResourceRecords).toEqual([
      { Value: '10.70.0.5' },
    ]);
  });

  test('a batch holds at most 1,000 record values, an UPSERT counting twice', () => {
    const values = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => `10.${from}.${i >> 8}.${i & 255}`);
    const upserts = [0, 1].map((i) => change('UPSERT', a(`u${i}.zone.internal`, ...values(250, i))));
    expect(refusal(upserts)).toBe('accepted');
    expect(refusal([...upserts, change('CREATE', a('one-more.zone.internal', '10.9.9.9'))])).toBe(
      'InvalidChangeBatch: [Number of records limit of 1000 exceeded.]',
    );
  });

  test('a DELETE must name the current values', () => {
    changeRecordSets(r53, zoneId, [change('CREATE', a('x.zone.internal', '10.70.0.1', '10.70.0.2'))]);
    expect(refusal([change('DELETE', a('x.zone.internal', '10.70.0.1'))])).toBe(
      "InvalidChangeBatch: [Tried to delete resource record set [name='x.zone.internal.', type='A'] but the values provided do not match the current values]",
    );
    expect(refusal([change('DELETE', a('x.zone.internal', '10.70.0.2', '10.70.0.1'))])).toBe('accepted');
  });

  test('a refused batch leaves the zone as it was', () => {
    const before = names();
    expect(
      refusal([
        change('CREATE', a('y.zone.internal', '10.70.0.1')),
        change('CREATE', a('y.zone.internal', '10.70.0.1')),
      ]),
    ).toBe(
      "InvalidChangeBatch: [Tried to create resource record set [name='y.zone.internal.', type='A'] but it already exists]",
    );
    expect(names()).toEqual(before);
  });

  test('names outside the zone, bad IPv4 data, the apex SOA and NS, and shapeless sets are refused', () => {
    expect(refusal([change('CREATE', a('x.other.internal', '10.70.0.1'))])).toBe(
      'InvalidChangeBatch: [RRSet with DNS name x.other.internal. is not permitted in zone zone.internal.]',
    );
    expect(refusal([change('CREATE', a('x.zone.internal', 'not-an-ip'))])).toContain(
      'ARRDATAIllegalIPv4Address',
    );
    const soa = r53.zone(zoneId).records.find((r) => r.Type === 'SOA')!;
    expect(refusal([change('DELETE', soa)])).toBe(
      'InvalidChangeBatch: [A HostedZone must contain exactly one SOA record.]',
    );
    expect(refusal([change('CREATE', { Name: 'x.zone.internal', Type: 'A' })])).toBe(
      'InvalidInput: Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=CREATE, Name=x.zone.internal, Type=A, SetIdentifier=null]',
    );
  });

  test('a CNAME cannot share its name, and an A cannot join a CNAME', () => {
    changeRecordSets(r53, zoneId, [change('CREATE', a('x.zone.internal', '10.70.0.1'))]);
    expect(
      refusal([
        change('CREATE', {
          Name: 'x.zone.internal',
          Type: 'CNAME',
          TTL: 60,
          ResourceRecords: [{ Value: 'y' }],
        }),
      ]),
    ).toContain('is not permitted as it conflicts with other records with the same DNS name');
    changeRecordSets(r53, zoneId, [
      change('CREATE', {
        Name: 'c.zone.internal',
        Type: 'CNAME',
        TTL: 60,
        ResourceRecords: [{ Value: 'y' }],
      }),
    ]);
    expect(refusal([change('CREATE', a('c.zone.internal', '10.70.0.1'))])).toContain(
      'because a conflicting RRSet of type CNAME with the same DNS name already exists',
    );
  });
});

describe('ListResourceRecordSets', () => {
  test('sorts by name with labels reversed, then type, and starts at StartRecordName/Type', () => {
    changeRecordSets(r53, zoneId, [
      change('CREATE', a('b.zone.internal', '10.70.0.1')),
      change('CREATE', a('a.b.zone.internal', '10.70.0.2')),
      change('CREATE', {
        Name: 'a.zone.internal',
        Type: 'TXT',
        TTL: 60,
        ResourceRecords: [{ Value: '"t"' }],
      }),
      change('CREATE', a('a.zone.internal', '10.70.0.3')),
    ]);
    const page = listRecordSets(r53.zone(zoneId), {}, 4);
    expect(page.records.map((r) => `${r.Name} ${r.Type}`)).toEqual([
      'zone.internal. NS',
      'zone.internal. SOA',
      'a.zone.internal. A',
      'a.zone.internal. TXT',
    ]);
    expect(page.next).toMatchObject({ Name: 'b.zone.internal.', Type: 'A' });
    const from = listRecordSets(r53.zone(zoneId), { name: 'a.zone.internal', type: 'TXT' }, undefined);
    expect(from.records.map((r) => `${r.Name} ${r.Type}`)).toEqual([
      'a.zone.internal. TXT',
      'b.zone.internal. A',
      'a.b.zone.internal. A',
    ]);
    expect(() => listRecordSets(r53.zone(zoneId), { type: 'A' }, undefined)).toThrow(/StartRecordName/);
  });

  test('a wildcard sorts by its escaped form \\052, after a digit label', () => {
    changeRecordSets(r53, zoneId, [
      change('CREATE', a('*.zone.internal', '10.70.0.1')),
      change('CREATE', a('1.zone.internal', '10.70.0.2')),
    ]);
    const page = listRecordSets(r53.zone(zoneId), { name: '1.zone.internal' }, undefined);
    expect(page.records.map((r) => r.Name)).toEqual(['1.zone.internal.', '*.zone.internal.']);
  });
});
