import { describe } from 'vitest';
import { lookupEvents } from '../../helpers/cloudtrail.ts';
import { CannotTellError } from '../../helpers/errors.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import {
  controlProblem,
  type DenialEvidence,
  listGenerateDataKeys,
  noControl,
  type RunControl,
  refusalsOf,
  waitForRunDenial,
} from '../../helpers/key-denials.ts';
import { OrderTrails } from '../../helpers/order-trails.ts';
import { type Order, receiptDiscrepancies, receiptNamingOf } from '../../helpers/receipts.ts';
import { check, eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { dataProtectionContext } from './context.ts';

/**
 * Data protection, live: fruit orders through the encrypted pipeline (D7–D9)
 * and what CloudTrail records of them (D10, D11). One file because the
 * checks share one campaign: the orders published at load, the receipts
 * they leave, and the runner's refused read (D8) that D10 finds and D11
 * needs as its positive control.
 */

const { dp, ids, keyArn, lab, region, runner, skipWithout } = dataProtectionContext();

/** Slow evidence, produced early and collected late: every order is published before any test waits. */
const started = new Date(Date.now() - 60_000);
const pipeline =
  dp &&
  new OrderTrails({
    clients: lab.clients(),
    region,
    runId: lab.targets.runId,
    topicArn: ids.topicArn!,
    bucket: dp.receiptBucket,
    naming: receiptNamingOf(dp),
    receiptTimeoutMs: dp.receiptTimeoutSeconds * 1000,
    runner,
    readers: dp.readers.map((role) => ({ role, arn: ids.role[role]! })),
  });
for (const order of dp?.orders ?? []) pipeline!.of(order);
const trailOf = (order: Order) => pipeline!.of(order);

const orderRows = (dp?.orders ?? []).map((o) => ({ ...o, fruit: o.name }));

describe.concurrent('D · Orders flow through the encrypted pipeline, and only the readers can read receipts', {
  tags: ['live'],
}, () => {
  eachRow(orderRows, 'no dataProtection in targets', (order) => order.name)(
    { id: 'D7', seed: seed('dataProtection', 'Module 2 Step 8: Validate flow with encryption at rest') },
    '$fruit: the order gets a receipt encrypted under the receipt key',
    async (order, { expect, annotate }) => {
      const published = await trailOf(order).published;
      const receipt = await trailOf(order).receipt;
      await attachEvidence(
        annotate,
        'receipt',
        `${order.name}: ${receipt.key} after ${(receipt.afterMs / 1000).toFixed(1)} s`,
        {
          fruit: order.name,
          messageId: published.messageId,
          receiptKey: receipt.key,
          matchedBy: receipt.matchedBy,
          encryption: receipt.serverSideEncryption,
          kmsKeyId: receipt.kmsKeyId,
          timeToReceiptMs: receipt.afterMs,
        },
      );
      expect(receipt.serverSideEncryption, `${receipt.key} encryption`).toBe('aws:kms');
      expect(receipt.kmsKeyId, `${receipt.key} must be under ${dp!.receiptKey}`).toBe(keyArn(dp!.receiptKey));
    },
  );

  eachRow(orderRows, 'no dataProtection in targets', (order) => order.name)(
    {
      id: 'D8',
      seed: seed('dataProtection', 'Module 2 Step 8: the participant role cannot open the new file'),
    },
    '$fruit: the runner cannot read the receipt',
    async (order, { expect, annotate }) => {
      const read = await trailOf(order).asRunner;
      const receipt = await trailOf(order).receipt;
      const as = await pipeline!.runnerSession();
      await attachEvidence(annotate, 'receipt', `runner: ${read.outcome}`, {
        fruit: order.name,
        receiptKey: receipt.key,
        runner: as.sessionArn ?? lab.targets.runner.arn,
        read: read.outcome === 'ok' ? 'read it' : read,
      });
      expect(read.outcome, `${lab.targets.runner.arn} must not read ${receipt.key}`).toBe('denied');
    },
  );

  eachRow(orderRows, 'no dataProtection in targets', (order) => order.name)(
    {
      id: 'D9',
      seed: seed('dataProtection', 'Module 2 Step 8: Switch to the finance role to view the file'),
    },
    '$fruit: the readers read the receipt, and it says what was ordered',
    async (order, { expect, annotate, skip }) => {
      if (!dp!.readers.length) return skip('no dataProtection.readers in targets');
      const reads = await trailOf(order).asReaders;
      const receipt = await trailOf(order).receipt;
      const verdicts = reads.map(({ role, read }) => ({
        role,
        outcome: read.outcome,
        wrong: read.outcome === 'ok' ? receiptDiscrepancies(read.body, order) : [],
      }));
      await attachEvidence(annotate, 'receipt', reads.map((r) => `${r.role}: ${r.read.outcome}`).join('; '), {
        fruit: order.name,
        receiptKey: receipt.key,
        reads,
        verdicts,
      });
      for (const { role, outcome, wrong } of verdicts) {
        expect(outcome, `${role} must read ${receipt.key}`).toBe('ok');
        expect(wrong, `${receipt.key} must say ${order.quantity} × ${order.name} at ${order.price}`).toEqual(
          [],
        );
      }
    },
  );
});

/**
 * This run's own refusal in CloudTrail: D10's evidence, and the control every absence below leans on.
 * It is made after the receipts on purpose, not as early as a refusal could be: D11's "no refusal of
 * the pipeline's roles" holds only for events older than the control, and the processor's calls come
 * with the receipts (after its cold start). A refusal made first would be visible before a refusal of
 * the processor's, and D11 would pass on a history that does not hold it yet.
 */
let runDenial: Promise<DenialEvidence> | undefined;
function waitForThisRunsDenial(): Promise<DenialEvidence> {
  runDenial ??= (async () => {
    const refused = await pipeline!.runnerRefusals();
    const session = await pipeline!.runnerSession();
    const control: RunControl = {
      keyArn: keyArn(dp!.receiptKey),
      sessionArn: session.sessionArn,
      objectArns: refused.map((r) => `arn:aws:s3:::${dp!.receiptBucket}/${r.key}`),
      // The last refused read has just ended: CloudTrail's delay runs from about now.
      madeAt: Date.now(),
    };
    const problem = controlProblem(
      control,
      refused.some((r) => r.bucketKeyEnabled),
      session.why,
    );
    if (problem) throw new CannotTellError(problem);
    return waitForRunDenial(lab.clients(), control, {
      start: started,
      timeoutMs: dp!.cloudTrailTimeoutSeconds * 1000,
    });
  })();
  runDenial.catch(() => undefined);
  return runDenial;
}

describe.concurrent('D · CloudTrail records who was refused the keys', { tags: ['delivery'] }, () => {
  check(
    {
      id: 'D10',
      seed: seed(
        'dataProtection',
        'Module 2 Additional troubleshooting: CloudTrail event history shows Decrypt refused',
      ),
    },
    'CloudTrail shows the runner refused Decrypt on the receipt key',
    async ({ expect, annotate, skip }) => {
      skipWithout(skip);
      const { denials } = await waitForThisRunsDenial();
      await attachEvidence(
        annotate,
        'cloudtrail',
        `${denials.length} denials: ${denials.map((d) => d.id).join(', ')}`,
        denials,
      );
      expect(denials.length).toBeGreaterThan(0);
    },
  );

  check(
    {
      id: 'D11',
      seed: seed('dataProtection', 'Module 2 Step 6: Validate flow with SNS and SQS encryption at rest'),
    },
    'CloudTrail shows no KMS denial for the pipeline’s roles during the run',
    async ({ expect, annotate, skip }) => {
      skipWithout(skip);
      if (!dp!.pipelineRoles.length) return skip('no dataProtection.pipelineRoles in targets');
      const roles = new Map(dp!.pipelineRoles.map((r) => [ids.role[r]!, r]));
      const control = await waitForThisRunsDenial().then(
        (found) => ({ found }),
        (error: unknown) => ({ missing: noControl(error) }),
      );
      // A refusal found is a failure with or without the control; only "none" needs it.
      // Without the control the look-up is one try, bounded by a minute at most (the lab's own CloudTrail
      // bound when shorter): the verdict is an error unless it finds a refusal.
      const lookupMs = dp!.cloudTrailTimeoutSeconds * 1000;
      const bound = { boundMs: 'found' in control ? lookupMs : Math.min(lookupMs, 60_000) };
      const events = [
        ...('found' in control
          ? control.found.decrypts
          : await lookupEvents(lab.clients(), 'Decrypt', started, bound)),
        ...(await listGenerateDataKeys(lab.clients(), started, bound)),
      ];
      const refused = refusalsOf(events, new Set(roles.keys()));
      await attachEvidence(annotate, 'cloudtrail', `${refused.length} refusals of pipeline roles`, {
        looked: events.length,
        control: 'found' in control ? control.found.denials.map((d) => d.id) : control.missing.message,
        refused,
      });
      expect(
        refused.map(
          (e) =>
            `${roles.get(e.roleArn!)} was refused ${e.name} on ${e.resources.join(', ') || 'a key'} (${e.errorCode}, event ${e.id})`,
        ),
        'the pipeline’s roles must be able to use their keys',
      ).toEqual([]);
      if ('missing' in control) throw control.missing;
    },
  );
});
