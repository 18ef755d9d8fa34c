import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * The seed's private-DNS commands through AWS CLI 2.9 on an empty twin:
 * create-hosted-zone --vpc, a CNAME through change-resource-record-sets
 * with a batch file, list-resource-record-sets --query, get-change, and
 * associate / disassociate of a second VPC.
 */
let twin: TestTwin;
let dir: string;

beforeAll(async () => {
  twin = await startTestTwin();
  dir = mkdtempSync(join(tmpdir(), 'route53-cli-'));
});
afterAll(() => twin.close());

type Json = Record<string, unknown>;

async function ok(args: string[]): Promise<Json> {
  const out = await aws(twin, args);
  expect(out.code, out.stderr).toBe(0);
  return (out.json ?? {}) as Json;
}

async function vpc(cidr: string): Promise<string> {
  const { Vpc } = (await ok(['ec2', 'create-vpc', '--cidr-block', cidr])) as { Vpc: { VpcId: string } };
  await ok([
    'ec2',
    'modify-vpc-attribute',
    '--vpc-id',
    Vpc.VpcId,
    '--enable-dns-hostnames',
    '{"Value":true}',
  ]);
  return Vpc.VpcId;
}

describe.runIf(hasAwsCli)('aws route53 (CLI 2.9)', () => {
  test('a private zone with a CNAME, listed with --query, synced, and associated with a second VPC', async () => {
    const prod = await vpc('10.80.0.0/16');
    const dev = await vpc('10.81.0.0/16');
    const created = (await ok([
      'route53',
      'create-hosted-zone',
      '--name',
      'zero-trust.internal',
      '--caller-reference',
      `cli-${Date.now()}`,
      '--vpc',
      `VPCRegion=us-east-1,VPCId=${prod}`,
      '--hosted-zone-config',
      'Comment=private service,PrivateZone=true',
    ])) as { HostedZone: { Id: string; Name: string; Config: Json }; VPC: Json };
    expect(created.HostedZone).toMatchObject({ Name: 'zero-trust.internal.', Config: { PrivateZone: true } });
    expect(created.VPC).toEqual({ VPCRegion: 'us-east-1', VPCId: prod });
    const zoneId = created.HostedZone.Id;

    const batch = join(dir, 'cname.json');
    writeFileSync(
      batch,
      JSON.stringify({
        Comment: 'api to the endpoint',
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              Name: 'api.zero-trust.internal',
              Type: 'CNAME',
              TTL: 300,
              ResourceRecords: [{ Value: 'ip-10-80-1-10.ec2.internal' }],
            },
          },
        ],
      }),
    );
    const changed = (await ok([
      'route53',
      'change-resource-record-sets',
      '--hosted-zone-id',
      zoneId,
      '--change-batch',
      `file://${batch}`,
    ])) as { ChangeInfo: { Id: string; Status: string } };
    expect(changed.ChangeInfo.Status).toBe('PENDING');
    const synced = (await ok(['route53', 'get-change', '--id', changed.ChangeInfo.Id])) as {
      ChangeInfo: Json;
    };
    expect(synced.ChangeInfo).toMatchObject({ Status: 'INSYNC', Comment: 'api to the endpoint' });

    const values = await ok([
      'route53',
      'list-resource-record-sets',
      '--hosted-zone-id',
      zoneId,
      '--query',
      "ResourceRecordSets[?Type=='CNAME'].[Name,ResourceRecords[0].Value]",
    ]);
    expect(values).toEqual([['api.zero-trust.internal.', 'ip-10-80-1-10.ec2.internal']]);

    await ok([
      'route53',
      'associate-vpc-with-hosted-zone',
      '--hosted-zone-id',
      zoneId,
      '--vpc',
      `VPCRegion=us-east-1,VPCId=${dev}`,
    ]);
    const vpcs = await ok(['route53', 'get-hosted-zone', '--id', zoneId, '--query', 'VPCs[].VPCId']);
    expect(vpcs).toEqual([prod, dev]);
    await ok([
      'route53',
      'disassociate-vpc-from-hosted-zone',
      '--hosted-zone-id',
      zoneId,
      '--vpc',
      `VPCRegion=us-east-1,VPCId=${dev}`,
    ]);
    const last = await aws(twin, [
      'route53',
      'disassociate-vpc-from-hosted-zone',
      '--hosted-zone-id',
      zoneId,
      '--vpc',
      `VPCRegion=us-east-1,VPCId=${prod}`,
    ]);
    expect(last.code).toBe(254);
    expect(last.stderr).toContain(
      'An error occurred (LastVPCAssociation) when calling the DisassociateVPCFromHostedZone operation',
    );
  });

  test('a refused change batch prints InvalidChangeBatch with Route 53 message', async () => {
    const prod = await vpc('10.82.0.0/16');
    const created = (await ok([
      'route53',
      'create-hosted-zone',
      '--name',
      'refused.internal',
      '--caller-reference',
      `cli-refused-${Date.now()}`,
      '--vpc',
      `VPCRegion=us-east-1,VPCId=${prod}`,
    ])) as { HostedZone: { Id: string } };
    const batch = join(dir, 'apex-cname.json');
    writeFileSync(
      batch,
      JSON.stringify({
        Changes: [
          {
            Action: 'CREATE',
            ResourceRecordSet: {
              Name: 'refused.internal',
              Type: 'CNAME',
              TTL: 60,
              ResourceRecords: [{ Value: 'x.example.org' }],
            },
          },
        ],
      }),
    );
    const out = await aws(twin, [
      'route53',
      'change-resource-record-sets',
      '--hosted-zone-id',
      created.HostedZone.Id,
      '--change-batch',
      `file://${batch}`,
    ]);
    expect(out.code).toBe(254);
    expect(out.stderr).toContain(
      'An error occurred (InvalidChangeBatch) when calling the ChangeResourceRecordSets operation: [RRSet of type CNAME with DNS name refused.internal. is not permitted at apex in zone refused.internal.]',
    );
  });
});
