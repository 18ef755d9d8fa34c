import { describe } from 'vitest';
import { attachEvidence } from '../../helpers/evidence.ts';
import {
  endpointDiffs,
  findConsumerEndpoint,
  ingressDiffs,
  ownCidrBlocks,
} from '../../helpers/privatelink/endpoint.ts';
import { getVpc, listIngressSources, listSecurityGroups } from '../../helpers/vpc.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { privateLinkContext } from './context.ts';

/**
 * The consumer side of each PrivateLink service, by configuration: the
 * interface endpoint in each consumer VPC, and what its security groups let
 * reach it.
 */
const { lab, consumers } = privateLinkContext();
const eachConsumer = eachRow(consumers, 'no privateLink in targets', (c) => c.row);

describe.concurrent('P · Consumers reach each service through their endpoint only', {
  tags: ['config'],
}, () => {
  eachConsumer(
    { id: 'P4', seed: seed('zeroTrust', 'Validation & Testing — the interface endpoint is available') },
    'the endpoint to $service in $vpc is available in exactly the intended subnets and security groups',
    async (c, { expect, annotate }) => {
      const endpoint = await findConsumerEndpoint(lab.clients(c.endpoint.account), c.endpoint.endpointId);
      const diffs = endpointDiffs(endpoint, c.endpoint);
      await attachEvidence(annotate, 'config', diffs.join('; ') || 'as intended', {
        endpointId: endpoint?.VpcEndpointId ?? null,
        type: endpoint?.VpcEndpointType,
        state: endpoint?.State,
        subnets: endpoint?.SubnetIds ?? [],
        securityGroups: (endpoint?.Groups ?? []).map((g) => g.GroupId),
      });
      expect(diffs, `${c.row} (${c.endpoint.endpointId ?? 'no endpoint'})`).toEqual([]);
    },
  );

  eachConsumer(
    { id: 'P5', seed: seed('zeroTrust', 'Steps 2 — Configure security groups with least privilege access') },
    "its security groups admit the service port from $vpc's own CIDR blocks only",
    async (c, { expect, annotate }) => {
      const clients = lab.clients(c.endpoint.account);
      // The endpoint's own groups when it stands; without one (P4 fails), the groups targets intend for it.
      const endpoint = await findConsumerEndpoint(clients, c.endpoint.endpointId);
      const groupIds = endpoint
        ? (endpoint.Groups ?? []).map((g) => g.GroupId!)
        : Object.values(c.endpoint.securityGroupIds);
      const [groups, vpc] = await Promise.all([
        listSecurityGroups(clients, groupIds),
        getVpc(clients, c.endpoint.vpcId),
      ]);
      const blocks = ownCidrBlocks(vpc);
      const sources = await listIngressSources(clients, groups);
      const diffs = ingressDiffs(sources, blocks, c.endpoint.port);
      await attachEvidence(annotate, 'config', diffs.join('; ') || 'as intended', { blocks, sources });
      expect(diffs, `only tcp/${c.endpoint.port} from ${blocks.join(', ')} may reach ${c.row}`).toEqual([]);
    },
  );
});
