import { describe, inject } from 'vitest';
import {
  errorWords,
  getLogGroupOf,
  invokeWriter,
  type ReportLine,
  WRITER_INVOKE_MS,
  type WriterInvocation,
  waitForReportLine,
} from '../../helpers/application/writer.ts';
import type { Resolution } from '../../helpers/application/writer-match.ts';
import { type WritesSeen, waitForWrites } from '../../helpers/application/writer-writes.ts';
import { BlockedError, CannotTellError } from '../../helpers/errors.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import { Lab } from '../../helpers/targets/lab.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';

/**
 * The application, live: the seed's "Test Lambda" step. The writer is
 * invoked once, at load, with the event targets give; S10 reads its answer
 * and this invocation's REPORT line, S11 and S12 what this invocation
 * wrote — found by its window and by naming each other, never "the
 * newest" (helpers/application/writer-match.ts). Nothing is removed: the
 * item and the object are the lab's data, written by the lab's function.
 */
const lab = new Lab(inject('targets'));
const writer = lab.targets.application?.writer;
const boundMs = (writer?.timeoutSeconds ?? 60) * 1000;

/** Slow evidence, produced early: the one invocation, its REPORT line and its writes, each looked for once. */
const invocation: Promise<WriterInvocation> | undefined =
  writer && invokeWriter(lab.clients(), writer.function, writer.event);
const report: Promise<ReportLine> | undefined =
  writer &&
  invocation!.then(async (call) =>
    waitForReportLine(lab.clients(), call, {
      logGroup: await getLogGroupOf(lab.clients(), call.functionName),
      timeoutMs: boundMs,
    }),
  );
const writes: Promise<WritesSeen> | undefined =
  writer &&
  invocation!.then(
    (call) => {
      const by = `S10 ${call.functionName}`;
      if (call.functionError)
        throw new BlockedError(by, `${call.functionName} failed, so nothing it wrote is this run's to find`);
      return waitForWrites(lab.clients(), writer, call, { timeoutMs: boundMs });
    },
    (error: unknown) => {
      throw new BlockedError(
        `S10 ${writer.function}`,
        `${writer.function} could not be invoked (${(error as Error)?.message ?? error})`,
      );
    },
  );
for (const p of [invocation, report, writes]) p?.catch(() => undefined);

const rows = writer ? [writer] : [];
const windowText = (w: WritesSeen) =>
  `${new Date(w.window.from).toISOString()} – ${new Date(w.window.to).toISOString()}`;

/** A side that could not be told from another invocation's is an error: the suite cannot tell, never a pass. */
function mustBeTold<T>(side: Resolution<T>, what: string): void {
  if (side.state === 'ambiguous')
    throw new CannotTellError(`cannot tell which ${what} is this invocation's: ${side.why}`);
}

describe.concurrent('S · The event writer writes its item and object, and logs its run', {
  tags: ['live'],
  // The invoke, then the writes and the log line within the targets' bound.
  timeout: boundMs + WRITER_INVOKE_MS,
}, () => {
  eachRow(rows, 'no application.writer in targets', (w) => w.function)(
    { id: 'S10', seed: seed('mesh', '4. Lambda Validation — Invoke via CLI → confirm CloudWatch logs') },
    'invoking $function succeeds and its log stream shows this invocation’s REPORT line without error',
    async (w, { expect, annotate }) => {
      const call = await invocation!;
      await attachEvidence(
        annotate,
        'invoke',
        `${w.function}: ${call.functionError ?? 'ok'} (${call.requestId})`,
        {
          requestId: call.requestId,
          statusCode: call.statusCode,
          functionError: call.functionError,
          payload: call.payload,
          logTail: call.logTail,
        },
      );
      // The function's own words lead the message (vitest would cut a long received value short).
      const failure = call.functionError && `${call.functionError}: ${errorWords(call.payload)}`;
      expect(
        failure === undefined,
        `invoking ${w.function} with ${JSON.stringify(w.event)} failed: ${failure}`,
      ).toBe(true);
      const line = await report!;
      await attachEvidence(annotate, 'log', line.message, line);
      expect(
        line.trouble,
        `the REPORT line of request ${call.requestId} in ${line.logStream}`,
      ).toBeUndefined();
    },
  );

  eachRow(rows, 'no application.writer in targets', (w) => w.function)(
    { id: 'S11', seed: seed('mesh', 'Test Lambda — Check DynamoDB → the table → new item inserted') },
    'this invocation’s item appears in $table',
    async (w, { expect, annotate }) => {
      const seen = await writes!;
      await attachEvidence(annotate, 'writes', `item ${seen.item.state}`, {
        window: windowText(seen),
        item: seen.item,
        itemsInWindow: seen.itemsInWindow,
        scanned: seen.scanned,
      });
      mustBeTold(seen.item, `item of ${w.table}`);
      expect(
        seen.item.state,
        `an item of ${w.table} whose ${w.timeAttribute} lies in this invocation's window (${windowText(seen)}); ${seen.scanned} items scanned`,
      ).toBe('found');
    },
  );

  eachRow(rows, 'no application.writer in targets', (w) => w.function)(
    { id: 'S12', seed: seed('mesh', 'Test Lambda — Check S3 bucket → see the new file') },
    'this invocation’s object appears under s3://$bucket/$prefix',
    async (w, { expect, annotate }) => {
      const seen = await writes!;
      await attachEvidence(annotate, 'writes', `object ${seen.object.state}`, {
        window: windowText(seen),
        object: seen.object,
        objectsInWindow: seen.objectsInWindow.map((o) => ({ key: o.key, lastModified: o.lastModified })),
        listed: seen.listed,
      });
      mustBeTold(seen.object, `object under s3://${w.bucket}/${w.prefix}`);
      expect(
        seen.object.state,
        `an object under s3://${w.bucket}/${w.prefix} written in this invocation's window (${windowText(seen)}); ${seen.listed} objects listed`,
      ).toBe('found');
    },
  );
});
