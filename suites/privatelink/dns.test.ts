import { describe } from 'vitest';
import { attachEvidence } from '../../helpers/evidence.ts';
import { findConsumerEndpoint, regionalDnsName } from '../../helpers/privatelink/endpoint.ts';
import {
  getHostedZone,
  listRecordsNamed,
  recordDiffs,
  recordLine,
  zoneDiffs,
} from '../../helpers/privatelink/zone.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { privateLinkContext, recordEndpoint } from './context.ts';

/**
 * The private name of each PrivateLink service, by configuration: the
 * private hosted zone, the VPCs that may resolve it, and the record that
 * leads to the consumer endpoint.
 */
const { lab, names } = privateLinkContext();
const eachName = eachRow(names, 'no privateLink service with dns in targets', (n) => n.record);
const validation = (item: string) => seed('zeroTrust', `Validation & Testing — ${item}`);

describe.concurrent('P · Each service has its private name where intended', { tags: ['config'] }, () => {
  eachName(
    { id: 'P7', seed: validation('the private hosted zone and its VPCs') },
    '$zone is private and associated with exactly the intended VPCs',
    async (n, { expect, annotate }) => {
      const zone = await getHostedZone(lab.clients(n.dns.account), n.dns.id);
      const diffs = zoneDiffs(zone, n.dns.vpcIds);
      await attachEvidence(annotate, 'config', diffs.join('; ') || 'as intended', {
        zoneId: n.dns.id,
        private: zone.HostedZone?.Config?.PrivateZone ?? false,
        vpcs: zone.VPCs ?? [],
      });
      expect(diffs, `hosted zone ${n.zone} (${n.dns.id})`).toEqual([]);
    },
  );

  eachName(
    { id: 'P8', seed: validation('the DNS record points at the endpoint') },
    "$record points at the endpoint's DNS name (CNAME, or an alias A record)",
    async (n, { expect, annotate }) => {
      const consumer = recordEndpoint(n.ids)!;
      const [records, endpoint] = await Promise.all([
        listRecordsNamed(lab.clients(n.dns.account), n.dns.id, n.record),
        findConsumerEndpoint(lab.clients(consumer.account), consumer.endpointId),
      ]);
      const dnsNames = (endpoint?.DnsEntries ?? []).map((d) => d.DnsName!);
      const diffs = recordDiffs(
        records,
        { name: n.record, type: n.dns.recordType, endpointVpc: n.dns.endpointVpc },
        endpoint && { regionalName: regionalDnsName(endpoint), dnsNames },
      );
      await attachEvidence(annotate, 'config', diffs.join('; ') || 'as intended', {
        records: records.map(recordLine),
        endpointId: endpoint?.VpcEndpointId ?? null,
        endpointDnsNames: dnsNames,
      });
      expect(diffs, `${n.record} in ${n.zone}`).toEqual([]);
    },
  );
});
