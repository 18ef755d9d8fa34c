import { afterAll, describe, inject } from 'vitest';
import { CannotTellError } from '../../helpers/errors.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import { deliveryError, type RecordWait } from '../../helpers/observability/flow-delivery.ts';
import { describeExpectation, noRecordControl } from '../../helpers/observability/flow-records.ts';
import { FlowLogWatch } from '../../helpers/observability/flow-watch.ts';
import { RunObject } from '../../helpers/observability/run-object.ts';
import { waitForObjectEvents } from '../../helpers/observability/trail-events.ts';
import { Lab } from '../../helpers/targets/lab.ts';
import { flowLogRow } from '../../helpers/targets/rows.ts';
import { check, eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';

/**
 * Observability, delivered: this run's own S3 calls in the trail's log
 * group (O20), and this run's own pings in every flow log's records (O21)
 * with no delivery error on it (O22). One file because the checks share one
 * campaign: the traffic and the object calls are made at load, and every
 * wait starts as soon as its evidence is made, side by side.
 */
const lab = new Lab(inject('targets'));
const obs = lab.targets.observability;
const trail = obs?.trail;
const started = Date.now();

/**
 * Slow evidence, made early: the object calls and the pings, before any test waits. Not in the gate
 * profile, which leaves out every check of this file: a probe made and pings sent for nothing cost time.
 */
const delivering = inject('run')?.profile !== 'gate';
const objectBucket = RunObject.bucketOf(lab);
const logsObjects = Boolean(trail?.logGroup && objectBucket && trail.dataEventBuckets.includes(objectBucket));
const object = delivering && logsObjects ? RunObject.start(lab) : undefined;
const watch =
  delivering && obs?.flowLogs.length ? FlowLogWatch.start(lab, { sinceMs: started - 120_000 }) : undefined;
const dataEvents = object?.made.then((made) =>
  waitForObjectEvents(lab.clients(), {
    trail: trail!.name,
    logGroup: trail!.logGroup!,
    bucket: made.bucket,
    key: made.key,
    names: ['PutObject', 'GetObject'],
    sinceMs: started - 60_000,
    timeoutMs: obs!.dataEventTimeoutSeconds * 1000,
  }),
);
dataEvents?.catch(() => undefined);

afterAll(async () => {
  await object?.cleanUp();
});

describe.concurrent('O · The trail shows this run’s own S3 calls', { tags: ['delivery'] }, () => {
  check(
    {
      id: 'O20',
      seed: seed(
        'mesh',
        'Post-lab validation 2 — S3 Validation: upload/download file, check CloudTrail logs',
      ),
    },
    'the trail’s log group shows this run’s PutObject and GetObject',
    async ({ expect, annotate, skip }) => {
      if (!trail) return skip('no observability.trail in targets');
      if (!trail.logGroup) return skip(`trail ${trail.name} delivers to no log group in targets`);
      if (!objectBucket)
        return skip('no bucket to call: no endpoints.probe and no trail.dataEventBuckets in targets');
      if (!logsObjects)
        return skip(
          `${objectBucket} is not among trail.dataEventBuckets: the trail need not log its objects`,
        );
      const made = await object!.made;
      const seen = await dataEvents!;
      await attachEvidence(
        annotate,
        'cloudtrail',
        `${seen.events.map((e) => e.name).join(', ') || 'no events'} of ${made.key}`,
        {
          logGroup: trail.logGroup,
          bucket: made.bucket,
          key: made.key,
          madeBy: made.by,
          events: seen.events,
          ...(seen.silent && { trail: seen.silent }),
        },
      );
      expect(
        seen.missing,
        `${trail.logGroup} must show ${made.by}'s ${seen.missing.join(' and ')} of s3://${made.bucket}/${made.key}${seen.silent ? ` (${seen.silent})` : ` within ${obs!.dataEventTimeoutSeconds} s`}`,
      ).toEqual([]);
    },
  );
});

const flowRows = (obs?.flowLogs ?? []).map((f) => ({ ...f, row: flowLogRow(f) }));

describe.concurrent('O · Flow logs show this run’s own traffic, and deliver without error', {
  tags: ['delivery'],
}, () => {
  eachRow(flowRows, 'no observability.flowLogs in targets', (f) => f.row)(
    { id: 'O21', seed: seed('zeroTrust', 'Validation 4 — Verify Network Flow Logs') },
    '$row: this run’s traffic arrives as records, as AWS records it',
    async (f, { expect, annotate, skip }) => {
      const live = await watch!.of(f);
      if (!live.expectations.length && !live.unmade.length)
        return skip(`no reachability row of this run touches an interface ${f.row} watches`);
      const wait = await live.wait;
      const j = wait.judgement;
      await attachEvidence(annotate, 'flow-logs', summaryOf(wait), {
        flowLog: wait.flowLog?.FlowLogId,
        format: wait.flowLog?.LogFormat,
        ended: wait.ended,
        waitedMs: wait.waitedMs,
        records: wait.records.length,
        met: j.met.map((m) => ({
          expect: describeExpectation(m.expectation),
          records: m.records.map((r) => r.line),
        })),
        missing: j.missing.map(describeExpectation),
        uncontrolled: j.uncontrolled.map(describeExpectation),
        unwanted: j.unwanted.map((u) => ({
          expect: describeExpectation(u.expectation),
          records: u.records.map((r) => r.line),
        })),
        unmade: live.unmade,
      });
      if (wait.ended === 'gone') expect.fail(`${f.row}: no flow log on ${live.resourceId} delivers there`);
      const why = wait.flowLog && deliveryError(wait.flowLog);
      expect(
        j.missing.map(describeExpectation),
        `${f.row} must record this run's traffic${why ? ` (${why})` : ` within ${obs!.recordTimeoutSeconds} s`}`,
      ).toEqual([]);
      expect(
        j.unwanted.map((u) => `${describeExpectation(u.expectation)}, but: ${u.records[0]!.line}`),
        `${f.row}: traffic the network did not carry must not be recorded ACCEPT where it was to arrive`,
      ).toEqual([]);
      if (j.uncontrolled.length) throw noRecordControl(f.row, j.uncontrolled);
      if (live.unmade.length)
        throw new CannotTellError(
          `${f.row}: some of this run's traffic could not be made: ${live.unmade.join('; ')}`,
        );
    },
  );

  eachRow(flowRows, 'no observability.flowLogs in targets', (f) => f.row)(
    {
      id: 'O22',
      seed: seed('peering', 'Create VPC Flow Log in Account B: logs written to the central bucket'),
    },
    '$row: no delivery error after this run’s traffic',
    async (f, { expect, annotate }) => {
      const live = await watch!.of(f);
      // The moment a fresh error shows is the delivery after this run's traffic: the record wait's end.
      const ended = await live.wait.then(
        (w) => `the record wait (${w.ended})`,
        (e: Error) => `the record wait, which could not tell (${e.message.slice(0, 200)})`,
      );
      const flowLog = await live.describe();
      await attachEvidence(
        annotate,
        'flow-logs',
        `${flowLog?.FlowLogId ?? 'no flow log'}: ${flowLog?.DeliverLogsStatus ?? '-'}`,
        {
          flowLog: flowLog?.FlowLogId,
          status: flowLog?.FlowLogStatus,
          deliverLogsStatus: flowLog?.DeliverLogsStatus,
          deliverLogsErrorMessage: flowLog?.DeliverLogsErrorMessage,
          readAfter: live.expectations.length ? ended : 'no traffic of this run passes it: read at once',
        },
      );
      expect(flowLog, `${f.row}: no flow log on ${live.resourceId} delivers there`).toBeDefined();
      expect(deliveryError(flowLog!), `${f.row} delivers without error`).toBeUndefined();
    },
  );
});

function summaryOf(w: RecordWait): string {
  const j = w.judgement;
  return `${w.ended} after ${(w.waitedMs / 1000).toFixed(1)} s: ${j.met.length} met, ${j.missing.length} missing, ${j.unwanted.length} unwanted, of ${w.records.length} records`;
}
