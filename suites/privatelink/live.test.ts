import { afterAll, beforeAll, describe, inject } from 'vitest';
import { CannotTellError } from '../../helpers/errors.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import {
  attemptNames,
  connectionDeviations,
  privateLinkAttempts,
  type ResolutionControl,
  resolutionDeviations,
  unresolvedDeviations,
  visibilityDeviations,
} from '../../helpers/privatelink/live.ts';
import {
  type RecordRow,
  reachRows,
  refusedRows,
  unresolvedRows,
} from '../../helpers/privatelink/live-rows.ts';
import {
  type ConsumerEndpointAddresses,
  findVisibleService,
  getEndpointAddresses,
} from '../../helpers/privatelink/live-service.ts';
import {
  attemptSummary,
  type DeployedProbe,
  deleteProbe,
  invokeProbe,
  type ProbeRun,
  placementProbe,
} from '../../helpers/probe.ts';
import { Lab } from '../../helpers/targets/lab.ts';
import type { PrivateLinkServiceTarget } from '../../helpers/targets/schema-privatelink.ts';
import type { Attempt, AttemptResult } from '../../probes/s3-reach/attempts.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { recordEndpoint } from './context.ts';

/**
 * PrivateLink, live from inside the VPCs: the reach probe of each placement
 * targets name looks up the service's private record and connects to it on
 * the service port; from a VPC outside the zone the record must not
 * resolve; an account the service does not allow must not see it. Each
 * absence counts only against this run's own control: the record resolved
 * from a reach placement, the service seen by the allowed consumer.
 */
const lab = new Lab(inject('targets'));
const early = inject('probes');
const probe = lab.targets.endpoints?.probe;
const reach = reachRows(lab.targets);
const unresolved = unresolvedRows(lab.targets);
const refused = refusedRows(lab.targets);

const runs = new Map<string, Promise<ProbeRun>>();
const made: DeployedProbe[] = [];

/** One invocation per placement, trying every record that placement is named for. */
function attemptsFor(placement: string): Attempt[] {
  return [
    ...reach.filter((r) => r.placement === placement).flatMap((r) => privateLinkAttempts(r.record, r.port)),
    ...unresolved.filter((r) => r.placement === placement).flatMap((r) => privateLinkAttempts(r.record)),
  ];
}

beforeAll(async () => {
  if (!probe) return;
  for (const name of new Set([...reach, ...unresolved].map((r) => r.placement))) {
    const placement = probe.placements.find((p) => p.name === name)!;
    // The probe validate made for the placement (shared with E6/S13; its sweep removes it), or, when vitest
    // runs this file alone, one of this file's own, removed below.
    const ready = placementProbe(lab.clients(), lab.targets, placement, early, `pl-${name}`).then(
      ({ probe: p, source }) => {
        if (source === 'here') made.push(p);
        return p;
      },
    );
    const bounds = { connectMs: probe.attemptTimeoutMs, answerMs: probe.answerTimeoutMs };
    runs.set(
      name,
      ready.then((p) => invokeProbe(p, attemptsFor(name), bounds)),
    );
  }
  // A probe that could not be made or invoked is reported by its rows, as "cannot tell".
  await Promise.allSettled(runs.values());
});

afterAll(async () => {
  await Promise.allSettled(made.map(deleteProbe));
});

const memo = <T>(f: (svc: PrivateLinkServiceTarget) => Promise<T>) => {
  const seen = new Map<PrivateLinkServiceTarget, Promise<T>>();
  return (svc: PrivateLinkServiceTarget) => {
    if (!seen.has(svc)) seen.set(svc, f(svc));
    return seen.get(svc)!;
  };
};

/** What the run resolved the service to (helpers/targets/privatelink.ts): its name, endpoints and zone. */
const idsOf = (svc: PrivateLinkServiceTarget) => {
  const ids = lab.targets.ids.privateLink?.[svc.name];
  if (!ids) throw new CannotTellError(`the run did not resolve the endpoint service ${svc.name}`);
  return ids;
};
const serviceName = async (svc: PrivateLinkServiceTarget) => idsOf(svc).serviceName;

/** The consumer endpoint the record points at, and its addresses, read once per service. */
const endpointOf = memo(async (svc): Promise<ConsumerEndpointAddresses> => {
  const endpoint = recordEndpoint(idsOf(svc));
  if (!endpoint) return { endpointId: undefined, addresses: [] };
  return getEndpointAddresses(lab.clients(endpoint.account), endpoint.endpointId);
});

/** The control of P12: whether the service's first consumer account sees it in this run. */
const consumerSees = memo(async (svc) => {
  const account = svc.endpoints[0]!.account;
  try {
    return { account, seen: !!(await findVisibleService(lab.clients(account), await serviceName(svc))) };
  } catch (error) {
    return { account, failed: (error as Error).message };
  }
});

async function dnsOf(row: RecordRow): Promise<{ run: ProbeRun; dns: AttemptResult }> {
  const run = await runs.get(row.placement)!;
  return { run, dns: run.report.results.find((r) => r.name === attemptNames(row.record).dns)! };
}

async function probeEvidence(
  ctx: { annotate: Parameters<typeof attachEvidence>[0] },
  run: ProbeRun,
  results: AttemptResult[],
) {
  await attachEvidence(ctx.annotate, 'probe', results.map(attemptSummary).join('; '), {
    function: run.functionName,
    attempts: results,
    logTail: run.logTail,
  });
}

/** P11's control: each reach placement's lookup of the same record in this run, or why there is none. */
async function controlsFor(row: RecordRow): Promise<ResolutionControl[]> {
  return Promise.all(
    reach
      .filter((r) => r.record === row.record)
      .map(async (r) => {
        try {
          return { placement: r.placement, dns: (await dnsOf(r)).dns };
        } catch (error) {
          return { placement: r.placement, dns: { failed: (error as Error).message } };
        }
      }),
  );
}

describe.concurrent('P · The service answers by its private name inside the consumer VPC only', {
  tags: ['live'],
}, () => {
  eachRow(reach, 'no privateLink service with live.reach and a dns record in targets', (r) => r.placement)(
    { id: 'P9', seed: seed('zeroTrust', 'Validation 2 — Test private DNS resolution') },
    "from $placement, $record resolves to addresses of the endpoint's network interfaces",
    async (row, ctx) => {
      const [{ run, dns }, endpoint] = await Promise.all([dnsOf(row), endpointOf(row.svc)]);
      await probeEvidence(ctx, run, [dns]);
      await attachEvidence(
        ctx.annotate,
        'endpoint',
        `${endpoint.endpointId ?? 'no endpoint'}: ${endpoint.addresses.join(', ')}`,
        endpoint,
      );
      ctx
        .expect(
          resolutionDeviations(dns, endpoint, row.placement),
          `${row.record} must resolve to the endpoint to ${row.service} in ${idsOf(row.svc).zone?.endpointVpc ?? row.svc.endpoints[0]!.vpc}`,
        )
        .toEqual([]);
    },
  );

  eachRow(reach, 'no privateLink service with live.reach and a dns record in targets', (r) => r.placement)(
    { id: 'P10', seed: seed('zeroTrust', 'Validation 5 — Test Cross-Account PrivateLink Connectivity') },
    'from $placement, a TCP connection to $record on the service port opens',
    async (row, ctx) => {
      const { run, dns } = await dnsOf(row);
      const tcp = run.report.results.find((r) => r.name === attemptNames(row.record).tcp)!;
      await probeEvidence(ctx, run, [dns, tcp]);
      ctx
        .expect(
          connectionDeviations(tcp, dns, row.placement, row.port),
          `${row.record}:${row.port} must accept a connection from ${row.placement}`,
        )
        .toEqual([]);
    },
  );

  eachRow(
    unresolved,
    'no privateLink service with live.unresolved and a dns record in targets',
    (r) => r.placement,
  )(
    { id: 'P11', seed: seed('zeroTrust', 'Steps 7 — Configure Private DNS Resolution') },
    "from $placement, outside the zone's VPCs, $record does not resolve",
    async (row, ctx) => {
      const [{ run, dns }, controls] = await Promise.all([dnsOf(row), controlsFor(row)]);
      await probeEvidence(ctx, run, [dns]);
      await attachEvidence(
        ctx.annotate,
        'control',
        controls
          .map((c) => `${c.placement}: ${'outcome' in c.dns ? attemptSummary(c.dns) : c.dns.failed}`)
          .join('; '),
        controls,
      );
      ctx
        .expect(
          unresolvedDeviations(dns, controls, row.placement),
          `${row.record} must not resolve outside ${row.svc.dns!.vpcs.join(', ')}`,
        )
        .toEqual([]);
    },
  );

  eachRow(refused, 'no privateLink service with live.refusedAccounts in targets', (r) => r.account)(
    { id: 'P12', seed: seed('zeroTrust', 'Steps 5 — Create VPC Endpoint Service Configuration') },
    '$account, which the service does not allow, cannot see $service to request an endpoint',
    async (row, ctx) => {
      const name = await serviceName(row.svc);
      const [control, seen] = await Promise.all([
        consumerSees(row.svc),
        findVisibleService(lab.clients(row.account), name),
      ]);
      const looked = { account: row.account, seen: !!seen };
      await attachEvidence(
        ctx.annotate,
        'visibility',
        `${row.account}: ${looked.seen ? 'listed' : 'not listed'}; control ${control.account}: ${'seen' in control ? (control.seen ? 'listed' : 'not listed') : control.failed}`,
        { serviceName: name, refused: looked, control },
      );
      ctx
        .expect(visibilityDeviations(looked, control, name), `${row.account} must not see ${name}`)
        .toEqual([]);
    },
  );
});
