import { afterAll, beforeAll, describe, inject } from 'vitest';
import { CannotTellError } from '../../helpers/errors.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import { cidrContains } from '../../helpers/path.ts';
import { privateLinkPlacements } from '../../helpers/privatelink/live-rows.ts';
import {
  attemptSummary,
  type DeployedProbe,
  deleteProbe,
  invokeProbe,
  type ProbeRun,
  placementProbe,
} from '../../helpers/probe.ts';
import type { Attempt, AttemptResult } from '../../probes/s3-reach/attempts.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { endpointsContext } from './context.ts';

/**
 * VPC endpoints, live: a probe Lambda in each placement tries S3 with and
 * without the endpoint, and never reaches the internet.
 */
const { lab, region, endpointVpcs, probe, vpcTarget } = endpointsContext();

/** One probe per placement, deployed and invoked once; the tests read its report. */
const runs = new Map<string, Promise<ProbeRun>>();
const deployed: DeployedProbe[] = [];
const objectKey = (placement: string) => `meshcheck/${lab.targets.runId}/${placement}.txt`;

function attemptsFor(placement: NonNullable<typeof probe>['placements'][number]): Attempt[] {
  const key = objectKey(placement.name);
  const services = endpointVpcs.find((e) => e.vpc === placement.vpc)?.interface ?? [];
  return [
    { name: 's3 list', kind: 's3', operation: 'ListObjectsV2', bucket: probe!.bucket },
    {
      name: 's3 put',
      lane: 'object',
      kind: 's3',
      operation: 'PutObject',
      bucket: probe!.bucket,
      key,
      body: `meshcheck ${lab.targets.runId}`,
    },
    { name: 's3 get', kind: 's3', operation: 'GetObject', bucket: probe!.bucket, key, lane: 'object' },
    { name: 's3 delete', kind: 's3', operation: 'DeleteObject', bucket: probe!.bucket, key, lane: 'object' },
    { name: 'internet', kind: 'internet', host: probe!.internetHost },
    ...services.map(
      (s): Attempt => ({ name: `dns ${s}`, kind: 'dns', hostname: `${s}.${region}.amazonaws.com` }),
    ),
  ];
}

/**
 * The probes `meshcheck validate` created before the checks started (their Pending overlapped the run's
 * start-up); absent when vitest runs this file by itself, which then deploys them here.
 */
const early = inject('probes');
const sharedWithS13OrP9 = new Set([
  ...(lab.targets.application?.dynamodb?.placements.map((p) => p.placement) ?? []),
  // P9–P11 invoke the same early probes (suites/privatelink/live.test.ts).
  ...privateLinkPlacements(lab.targets),
]);

/** A placement's probe, Active (helpers/probe.ts, placementProbe); what this file must remove, noted. */
async function readyProbe(
  clients: ReturnType<typeof lab.clients>,
  placement: NonNullable<typeof probe>['placements'][number],
): Promise<DeployedProbe> {
  const { probe: ready, source } = await placementProbe(clients, lab.targets, placement, early);
  // A probe the lab keeps deployed is only invoked. One made for this run is removed here once used, as soon
  // as this file is done (on any stop validate's sweep removes it); one the application's S13 invokes too is
  // left to that sweep (so is one P9–P11 invoke): this file cannot know when S13 is done with it.
  if (source === 'here' || (source === 'early' && !sharedWithS13OrP9.has(placement.name)))
    deployed.push(ready);
  return ready;
}

beforeAll(async () => {
  if (!probe) return;
  const clients = lab.clients();
  for (const placement of probe.placements) {
    const ready = readyProbe(clients, placement);
    runs.set(
      placement.name,
      ready.then((p) =>
        invokeProbe(p, attemptsFor(placement), {
          connectMs: probe.attemptTimeoutMs,
          answerMs: probe.answerTimeoutMs,
        }),
      ),
    );
  }
  // A failed deploy is reported by the tests that need it, as "cannot tell".
  await Promise.allSettled(runs.values());
});

afterAll(async () => {
  await Promise.allSettled(deployed.map(deleteProbe));
});

const placements = (probe?.placements ?? []).map((p) => ({
  ...p,
  s3: p.expect.s3,
  internet: p.expect.internet,
}));
const pick = (run: ProbeRun, prefix: string): AttemptResult[] =>
  run.report.results.filter((r) => r.name.startsWith(prefix));

async function probeEvidence(
  annotate: Parameters<typeof attachEvidence>[0],
  run: ProbeRun,
  results: AttemptResult[],
): Promise<void> {
  await attachEvidence(annotate, 'probe', results.map(attemptSummary).join('; '), {
    function: run.functionName,
    attempts: results,
    logTail: run.logTail,
  });
}

describe.concurrent('E · The probe reaches S3 only through the endpoint, and never the internet', {
  tags: ['live', 'creates'],
}, () => {
  eachRow(placements, 'no probe in targets', (p) => p.name)(
    {
      id: 'E6',
      seed: seed('mesh', 'Post-lab validation 1.2 — Gateway endpoint test: access S3 without internet'),
    },
    'probe in $name: S3 list, put, get and delete answer $s3',
    async (p, { expect, annotate }) => {
      const run = await runs.get(p.name)!;
      const s3 = pick(run, 's3 ');
      await probeEvidence(annotate, run, s3);
      const unsettled = s3.filter((r) => r.unsettled);
      if (unsettled.length)
        throw new CannotTellError(
          `the probe in ${p.name} could not tell: ${unsettled.map((r) => `${r.name}: ${r.errorCode} after ${r.tries} tries`).join('; ')}`,
        );
      const wrong = s3.filter((r) => r.outcome !== p.expect.s3).map(attemptSummary);
      expect(wrong, `from ${p.vpc} every S3 call must be ${p.expect.s3}`).toEqual([]);
      if (p.expect.s3 === 'ok')
        expect(s3.find((r) => r.name === 's3 get')?.detail, 'the object read back').toBe(
          `meshcheck ${lab.targets.runId}`,
        );
    },
  );

  eachRow(placements, 'no probe in targets', (p) => p.name)(
    { id: 'E7', seed: seed('zeroTrust', 'Validation 3 — Test zero trust connectivity') },
    'probe in $name: the internet answers $internet',
    async (p, { expect, annotate }) => {
      const run = await runs.get(p.name)!;
      const [internet] = pick(run, 'internet');
      await probeEvidence(annotate, run, [internet!]);
      expect(internet!.outcome, `${probe!.internetHost}:443 from ${p.vpc}`).toBe(p.expect.internet);
    },
  );

  eachRow(placements, 'no probe in targets', (p) => p.name)(
    { id: 'E8', seed: seed('zeroTrust', 'Validation 2 — Test private DNS resolution') },
    'probe in $name: service names resolve to addresses inside the VPC',
    async (p, { expect, annotate, skip }) => {
      const run = await runs.get(p.name)!;
      const answers = pick(run, 'dns ');
      if (!answers.length) return skip(`no interface endpoints for ${p.vpc} in targets`);
      await probeEvidence(annotate, run, answers);
      const cidr = vpcTarget(p.vpc).cidr;
      const outside = answers.filter(
        (a) =>
          a.outcome !== 'ok' || !a.addresses?.length || a.addresses.some((ip) => !cidrContains(cidr, ip)),
      );
      expect(
        outside.map((a) => `${a.name}: ${a.outcome} ${a.addresses?.join(', ') ?? ''}`),
        `names must resolve inside ${cidr}`,
      ).toEqual([]);
    },
  );
});
