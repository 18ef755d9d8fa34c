import { describe } from 'vitest';
import { findEndpoint, getEndpointCoverage, listVpcEndpoints, serviceName } from '../../helpers/endpoints.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import { endpointPolicyLetsIn } from '../../helpers/policies.ts';
import { serviceRow } from '../../helpers/targets/rows.ts';
import { getRouteTableFor, getVpc, listIngressSources, listSecurityGroups } from '../../helpers/vpc.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { endpointsContext } from './context.ts';

/**
 * VPC endpoints, configuration: gateway endpoints carry S3 and DynamoDB
 * privately; interface endpoints answer privately, from inside the VPC only.
 */
const { lab, ids, region, endpointVpcs, probe, vpcTarget } = endpointsContext();

const gatewayRows = endpointVpcs.flatMap((e) => e.gateway.map((service) => ({ vpc: e.vpc, service })));
const interfaceRows = endpointVpcs.flatMap((e) => e.interface.map((service) => ({ vpc: e.vpc, service })));
const sgRows = endpointVpcs.filter((e) => e.interface.length);
const policyRows = endpointVpcs
  .filter((e) => e.s3PolicyAccounts)
  .map((e) => ({ ...e, accounts: e.s3PolicyAccounts!.join(', ') }));

describe.concurrent('E · Gateway endpoints carry S3 and DynamoDB privately', { tags: ['config'] }, () => {
  eachRow(gatewayRows, 'no gateway endpoints in targets', (row) => serviceRow(row.vpc, row.service))(
    { id: 'E1', seed: seed('mesh', 'PHASE 3 — Gateway endpoints: S3 & DynamoDB') },
    '$vpc has a $service gateway endpoint routed from every private subnet',
    async (row, { expect, annotate }) => {
      const vpc = vpcTarget(row.vpc);
      const clients = lab.clients(vpc.account);
      const endpoint = findEndpoint(
        await listVpcEndpoints(clients, ids.vpc[row.vpc]!),
        serviceName(region, row.service),
        'Gateway',
      );
      const tables = await Promise.all(
        vpc.subnets.map(async (s) => ({
          subnet: s.name,
          table: await getRouteTableFor(clients, lab.subnetIds(s.name)),
        })),
      );
      const routed = tables.map(({ subnet, table }) => ({
        subnet,
        routeTableId: table.RouteTableId,
        route: (table.Routes ?? []).find(
          (r) => endpoint && r.GatewayId === endpoint.VpcEndpointId && r.DestinationPrefixListId,
        ),
      }));
      await attachEvidence(
        annotate,
        'config',
        endpoint ? `${endpoint.VpcEndpointId} ${endpoint.State}` : 'no endpoint',
        {
          endpointId: endpoint?.VpcEndpointId,
          state: endpoint?.State,
          routeTableIds: endpoint?.RouteTableIds,
          routes: routed.map((r) => ({
            subnet: r.subnet,
            routeTableId: r.routeTableId,
            prefixList: r.route?.DestinationPrefixListId ?? null,
            state: r.route?.State ?? null,
          })),
        },
      );
      expect(endpoint, `${row.vpc} must have a ${row.service} gateway endpoint`).toBeDefined();
      expect(endpoint!.State?.toLowerCase(), `${endpoint!.VpcEndpointId} state`).toBe('available');
      const missing = routed
        .filter((r) => r.route?.State !== 'active')
        .map((r) => `${r.subnet} (${r.routeTableId})`);
      expect(
        missing,
        `subnets of ${row.vpc} whose route table has no active route to ${endpoint!.VpcEndpointId}`,
      ).toEqual([]);
    },
  );
});

describe.concurrent('E · Interface endpoints answer privately, from inside the VPC only', {
  tags: ['config'],
}, () => {
  eachRow(interfaceRows, 'no interface endpoints in targets', (row) => serviceRow(row.vpc, row.service))(
    {
      id: 'E2',
      seed: seed('zeroTrust', 'Steps 3 — Create interface VPC endpoints for AWS services (private DNS)'),
    },
    '$vpc has a $service interface endpoint with private DNS',
    async (row, { expect, annotate }) => {
      const endpoint = findEndpoint(
        await listVpcEndpoints(lab.clients(vpcTarget(row.vpc).account), ids.vpc[row.vpc]!),
        serviceName(region, row.service),
        'Interface',
      );
      await attachEvidence(
        annotate,
        'config',
        endpoint
          ? `${endpoint.VpcEndpointId} ${endpoint.State}, private DNS ${endpoint.PrivateDnsEnabled ? 'on' : 'off'}`
          : 'no endpoint',
        endpoint ?? null,
      );
      expect(endpoint, `${row.vpc} must have a ${row.service} interface endpoint`).toBeDefined();
      expect(endpoint!.State?.toLowerCase(), `${endpoint!.VpcEndpointId} state`).toBe('available');
      expect(endpoint!.PrivateDnsEnabled, `${endpoint!.VpcEndpointId} private DNS`).toBe(true);
    },
  );

  eachRow(interfaceRows, 'no interface endpoints in targets', (row) => serviceRow(row.vpc, row.service))(
    { id: 'E3', seed: seed('mesh', 'Post-lab validation 9 — VPC endpoint IP verification') },
    '$vpc $service endpoint ENIs are in use in every AZ of its subnets, with addresses inside them',
    async (row, { expect, annotate }) => {
      const clients = lab.clients(vpcTarget(row.vpc).account);
      const endpoint = findEndpoint(
        await listVpcEndpoints(clients, ids.vpc[row.vpc]!),
        serviceName(region, row.service),
        'Interface',
      );
      expect(endpoint, `${row.vpc} must have a ${row.service} interface endpoint`).toBeDefined();
      // Coverage is judged against the subnets targets name, not the endpoint's own list:
      // an endpoint shrunk to one AZ agrees with itself.
      const planned = vpcTarget(row.vpc).subnets.map((s) => ids.subnet[s.name]!);
      const coverage = await getEndpointCoverage(clients, endpoint!, planned);
      await attachEvidence(
        annotate,
        'config',
        coverage.enis.map((e) => `${e.ip} in ${e.cidr} (${e.availabilityZone})`).join(', ') || 'no ENIs',
        coverage,
      );
      expect(
        coverage.missingZones,
        `${endpoint!.VpcEndpointId} must have an ENI in each AZ of the subnets targets name for ${row.vpc}`,
      ).toEqual([]);
      expect(
        coverage.enis.filter((e) => e.status !== 'in-use' || !e.inside),
        'ENIs not in use, or outside their subnet',
      ).toEqual([]);
    },
  );

  eachRow(sgRows, 'no interface endpoints in targets', (row) => row.vpc)(
    { id: 'E4', seed: seed('zeroTrust', 'Steps 2 — Configure security groups with least privilege access') },
    'interface endpoints of $vpc admit HTTPS from the VPC only',
    async (row, { expect, annotate }) => {
      const vpc = vpcTarget(row.vpc);
      const clients = lab.clients(vpc.account);
      const endpoints = (await listVpcEndpoints(clients, ids.vpc[row.vpc]!)).filter(
        (e) => e.VpcEndpointType === 'Interface',
      );
      const groups = await listSecurityGroups(clients, [
        ...new Set(endpoints.flatMap((e) => (e.Groups ?? []).map((g) => g.GroupId!))),
      ]);
      const cidr = (await getVpc(clients, ids.vpc[row.vpc]!)).CidrBlock!;
      const admitted = await listIngressSources(clients, groups);
      await attachEvidence(
        annotate,
        'config',
        `${admitted.length} ingress sources on ${groups.length} groups`,
        admitted,
      );
      // Every family and kind of source counts: an IPv6 range (::/0) or a prefix list admits as much as a CIDR.
      const stray = admitted.filter(
        (a) =>
          !(
            a.protocol === 'tcp' &&
            a.fromPort === 443 &&
            a.toPort === 443 &&
            a.cidrs.length > 0 &&
            a.cidrs.every((c) => c === cidr)
          ),
      );
      expect(
        stray.map(
          (a) => `${a.protocol} ${a.fromPort ?? ''}-${a.toPort ?? ''} from ${a.source} on ${a.groupId}`,
        ),
        `only tcp/443 from ${cidr} may reach the endpoints of ${row.vpc}`,
      ).toEqual([]);
      expect(admitted.length, `something must admit HTTPS from ${cidr}`).toBeGreaterThan(0);
    },
  );

  eachRow(policyRows, 'no S3 endpoint policy expectations in targets', (row) => row.vpc)(
    {
      id: 'E5',
      seed: seed(
        'peering',
        'Connect private instance to S3 via VPC endpoint: only the endpoint may reach the bucket',
      ),
    },
    'the S3 endpoint policy of $vpc lets in principals of $accounts only',
    async (row, { expect, annotate }) => {
      const vpc = vpcTarget(row.vpc);
      const endpoint = findEndpoint(
        await listVpcEndpoints(lab.clients(vpc.account), ids.vpc[row.vpc]!),
        serviceName(region, 's3'),
        'Gateway',
      );
      expect(endpoint, `${row.vpc} must have an S3 gateway endpoint`).toBeDefined();
      const insiders = row.s3PolicyAccounts!.map((a) => lab.accountId(a));
      const verdicts = endpointPolicyLetsIn(endpoint!.PolicyDocument ?? '', {
        insiders,
        bucket: probe?.bucket ?? 'any-bucket',
      });
      await attachEvidence(
        annotate,
        'config',
        verdicts.map((v) => `${v.who}: ${v.allowed ? 'in' : 'out'}`).join('; '),
        { policy: endpoint!.PolicyDocument, verdicts },
      );
      expect(
        verdicts
          .filter((v) => v.allowed !== v.shouldBe)
          .map((v) => `${v.who} ${v.allowed ? 'is let in' : 'is kept out'}`),
        'evaluated endpoint policy',
      ).toEqual([]);
    },
  );
});
