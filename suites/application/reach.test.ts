import { afterAll, beforeAll, describe, inject } from 'vitest';
import {
  dynamoDbAttempts,
  dynamoDbDeviations,
  getKeySchema,
  runItemId,
  runItemKey,
} from '../../helpers/application/reach.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import {
  attemptSummary,
  type DeployedProbe,
  deleteProbe,
  invokeProbe,
  type ProbeRun,
  placementProbe,
} from '../../helpers/probe.ts';
import { Lab } from '../../helpers/targets/lab.ts';
import type { Attempt } from '../../probes/s3-reach/attempts.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';

/**
 * DynamoDB from inside the VPC, live: the reach probe of each placement
 * targets name tries ListTables and, with a table, puts, reads back and
 * deletes an item of this run (`meshcheck-<run id>-<placement>`). The
 * probe is the one validate created for the placement, shared with the
 * endpoint checks (one Pending per placement, not two; validate's sweep
 * removes it, and any item a stopped probe left).
 */
const lab = new Lab(inject('targets'));
const { runId } = lab.targets;
const dynamodb = lab.targets.application?.dynamodb;
const probe = lab.targets.endpoints?.probe;
const early = inject('probes');

const runs = new Map<string, Promise<{ run: ProbeRun; attempts: Attempt[] }>>();
const made: DeployedProbe[] = [];

/** A placement's probe; without validate (vitest alone), one of this file's own, apart from the endpoint file's. */
async function readyProbe(name: string): Promise<DeployedProbe> {
  const placement = probe!.placements.find((p) => p.name === name)!;
  const { probe: ready, source } = await placementProbe(
    lab.clients(),
    lab.targets,
    placement,
    early,
    `ddb-${name}`,
  );
  if (source === 'here') made.push(ready);
  return ready;
}

async function attemptsFor(name: string): Promise<Attempt[]> {
  if (!dynamodb?.table) return dynamoDbAttempts();
  const schema = await getKeySchema(lab.clients(), dynamodb.table);
  return dynamoDbAttempts({ table: dynamodb.table, key: runItemKey(schema, runId, name), runId });
}

beforeAll(async () => {
  if (!dynamodb || !probe) return;
  for (const { placement } of dynamodb.placements) {
    const run = Promise.all([readyProbe(placement), attemptsFor(placement)]).then(async ([p, attempts]) => ({
      run: await invokeProbe(p, attempts, {
        connectMs: probe.attemptTimeoutMs,
        answerMs: probe.answerTimeoutMs,
      }),
      attempts,
    }));
    runs.set(placement, run);
  }
  // A probe that could not be made or invoked is reported by its row, as "cannot tell".
  await Promise.allSettled(runs.values());
});

afterAll(async () => {
  await Promise.allSettled(made.map(deleteProbe));
});

const rows = dynamodb?.placements ?? [];

describe.concurrent('S · DynamoDB answers inside the VPC as intended', { tags: ['live'] }, () => {
  eachRow(rows, 'no application.dynamodb in targets', (p) => p.placement)(
    { id: 'S13', seed: seed('mesh', '3. DynamoDB Validation — Run put-item / get-item') },
    'probe in $placement: DynamoDB ListTables, and put, get and delete of a run item, answer $expect',
    async (p, { expect, annotate }) => {
      const { run, attempts } = await runs.get(p.placement)!;
      const results = run.report.results.filter((r) => r.kind === 'dynamodb');
      await attachEvidence(annotate, 'probe', results.map(attemptSummary).join('; '), {
        function: run.functionName,
        attempts: results,
        logTail: run.logTail,
      });
      const itemId = attempts.length > 1 ? runItemId(runId, p.placement) : undefined;
      expect(
        dynamoDbDeviations(results, p.expect, itemId),
        `from ${p.placement} every DynamoDB call must be ${p.expect}${dynamodb?.table ? ` (table ${dynamodb.table})` : ''}`,
      ).toEqual([]);
    },
  );
});
