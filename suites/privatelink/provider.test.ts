import { describe } from 'vitest';
import { attachEvidence } from '../../helpers/evidence.ts';
import {
  forwardedGroups,
  getLoadBalancer,
  healthyCount,
  listenerDiffs,
  listListeners,
  listTargetGroups,
  loadBalancerDiffs,
  targetLine,
  waitForTargetHealth,
} from '../../helpers/privatelink/load-balancer.ts';
import {
  connectionDiffs,
  connectionLine,
  getServiceConfiguration,
  listAllowedPrincipals,
  listConnections,
  serviceDiffs,
  serviceLoadBalancerDiffs,
} from '../../helpers/privatelink/service.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { privateLinkContext } from './context.ts';

/**
 * The provider side of each PrivateLink service, by configuration: the
 * internal Network Load Balancer behind it and the path through it to
 * healthy targets, the endpoint service's acceptance and permissions, and
 * the connections it accepted.
 */
const { lab, services } = privateLinkContext();
const eachService = eachRow(services, 'no privateLink in targets', (s) => s.service);
const validation = (item: string) => seed('zeroTrust', `Validation & Testing — ${item}`);

describe.concurrent('P · The provider publishes each service as intended', { tags: ['config'] }, () => {
  eachService(
    {
      id: 'P1',
      seed: seed('zeroTrust', 'PrivateLink — an internal Network Load Balancer in the provider VPC'),
    },
    "$service's load balancer is an internal network load balancer in exactly the intended subnets",
    async (s, { expect, annotate }) => {
      const clients = lab.clients(s.ids.account);
      const [lb, config] = await Promise.all([
        getLoadBalancer(clients, s.ids.loadBalancerArn),
        getServiceConfiguration(clients, s.ids.serviceId),
      ]);
      const diffs = [
        ...loadBalancerDiffs(lb, s.ids.subnetIds),
        ...serviceLoadBalancerDiffs(config, lb.LoadBalancerArn!),
      ];
      await attachEvidence(annotate, 'config', diffs.join('; ') || 'as intended', {
        type: lb.Type,
        scheme: lb.Scheme,
        state: lb.State?.Code,
        subnets: (lb.AvailabilityZones ?? []).map((z) => z.SubnetId),
        serviceLoadBalancers: config.NetworkLoadBalancerArns ?? [],
      });
      expect(diffs, `${s.target.loadBalancer.name} behind ${s.service}`).toEqual([]);
    },
  );

  eachService(
    {
      id: 'P2',
      seed: seed('zeroTrust', 'PrivateLink — a TCP listener forwarding to a target group of the service'),
    },
    "$service's load balancer forwards TCP on the intended port to a target group with enough healthy targets",
    async (s, { expect, annotate, signal }) => {
      const clients = lab.clients(s.ids.account);
      const listener = (await listListeners(clients, s.ids.loadBalancerArn)).find(
        (l) => l.Port === s.ids.port,
      );
      const groups = listener ? await listTargetGroups(clients, forwardedGroups(listener)) : [];
      const diffs = listenerDiffs(listener, groups, s.ids);
      const needed = s.target.loadBalancer.healthyTargets;
      const targets = (
        await Promise.all(groups.map((g) => waitForTargetHealth(clients, g, needed, { signal })))
      ).flat();
      const healthy = healthyCount(targets);
      const unhealthy = targets.filter((t) => t.TargetHealth?.State !== 'healthy').map(targetLine);
      await attachEvidence(
        annotate,
        'config',
        [...diffs, `${healthy} of ${targets.length} targets healthy`, ...unhealthy].join('; '),
        {
          listener: listener ?? null,
          targetGroups: groups.map((g) => g.TargetGroupName),
          targets: targets.map(targetLine),
        },
      );
      expect(diffs, `the listener on ${s.ids.port} of ${s.target.loadBalancer.name}`).toEqual([]);
      expect(
        healthy,
        `healthy targets behind ${s.target.loadBalancer.name}:${s.ids.port} (need ${needed}; not healthy: ${unhealthy.join(', ') || 'none'})`,
      ).toBeGreaterThanOrEqual(needed);
    },
  );

  eachService(
    {
      id: 'P3',
      seed: seed(
        'zeroTrust',
        'PrivateLink — an endpoint service that requires acceptance, allowing one account',
      ),
    },
    '$service is available, requires acceptance as intended, and allows exactly the intended principals',
    async (s, { expect, annotate }) => {
      const clients = lab.clients(s.ids.account);
      const [config, principals] = await Promise.all([
        getServiceConfiguration(clients, s.ids.serviceId),
        listAllowedPrincipals(clients, s.ids.serviceId),
      ]);
      const diffs = serviceDiffs(config, principals, {
        acceptanceRequired: s.target.acceptanceRequired,
        allowedPrincipals: s.ids.allowedPrincipals,
      });
      await attachEvidence(annotate, 'config', diffs.join('; ') || 'as intended', {
        serviceId: config.ServiceId,
        state: config.ServiceState,
        acceptanceRequired: config.AcceptanceRequired,
        allowedPrincipals: principals.map((p) => p.Principal),
      });
      expect(diffs, `${s.service} (${s.ids.serviceId})`).toEqual([]);
    },
  );

  eachService(
    { id: 'P6', seed: validation('the PrivateLink connection is accepted') },
    "$service has accepted the intended endpoints' connections and no other",
    async (s, { expect, annotate }) => {
      const connections = await listConnections(lab.clients(s.ids.account), s.ids.serviceId);
      const diffs = connectionDiffs(connections, s.ids.endpoints);
      await attachEvidence(
        annotate,
        'config',
        diffs.join('; ') || 'as intended',
        connections.map(connectionLine),
      );
      expect(diffs, `the endpoint connections of ${s.service} (${s.ids.serviceId})`).toEqual([]);
    },
  );
});
