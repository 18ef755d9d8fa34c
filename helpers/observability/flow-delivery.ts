import type { FlowLog } from '@aws-sdk/client-ec2';
import { LabDeviationError } from '../errors.ts';
import { eventually } from '../eventually.ts';
import { type Expectation, type FlowRecord, type Judgement, judge } from './flow-records.ts';
import type { RecordSource } from './flow-sources.ts';
import { lookUnlessThrottled, Throttled, throttledThroughout } from './polling.ts';

/**
 * Waiting for this run's traffic in a flow log's records. The wait ends
 * when every awaited record has arrived, when the flow log says its
 * delivery fails (DeliverLogsStatus FAILED: records will not come), when
 * the flow log is gone, or at the bound. Whatever ended it, the caller gets
 * what was last seen, to judge and to show.
 */
export interface RecordWait {
  ended: 'arrived' | 'failing' | 'gone' | 'timeout';
  judgement: Judgement;
  records: FlowRecord[];
  /** The flow log as last described; undefined when gone. */
  flowLog: FlowLog | undefined;
  waitedMs: number;
}

interface Look {
  records: FlowRecord[];
  judgement: Judgement;
  flowLog: FlowLog | undefined;
}

function endOf(look: Look): RecordWait['ended'] | undefined {
  if (!look.flowLog) return 'gone';
  if (look.judgement.missing.length === 0) return 'arrived';
  if (look.flowLog.DeliverLogsStatus === 'FAILED') return 'failing';
  return undefined;
}

/**
 * @example
 *   const wait = await waitForRunRecords(source, expectations, () => findFlowLog(clients, vpcId, dest), { timeoutMs });
 *   wait.judgement.missing // what never arrived
 */
export async function waitForRunRecords(
  source: (flowLog: FlowLog) => RecordSource,
  expectations: Expectation[],
  describe: () => Promise<FlowLog | undefined>,
  options: { what: string; timeoutMs: number; signal?: AbortSignal },
): Promise<RecordWait> {
  const started = Date.now();
  let last: Look | undefined;
  let reproduce = 'aws ec2 describe-flow-logs';
  const look = () =>
    lookUnlessThrottled(
      async (): Promise<Look> => {
        const flowLog = await describe();
        if (flowLog) reproduce = source(flowLog).reproduce;
        const records = flowLog ? await source(flowLog).read() : (last?.records ?? []);
        last = { flowLog, records, judgement: judge(expectations, records) };
        return last;
      },
      () => last,
    );
  try {
    const seen = await eventually(`this run's traffic in the records of ${options.what}`, look, {
      timeoutMs: options.timeoutMs,
      until: (l) => endOf(l) !== undefined,
      // Records come in bursts, an aggregation interval and a delivery apart: look often, but never hammer.
      minIntervalMs: 500,
      maxIntervalMs: 10_000,
      retryOn: (e) => e instanceof Throttled,
      show: (l) => `${l.records.length} records, ${l.judgement.missing.length} awaited ones missing`,
      get reproduce() {
        return reproduce;
      },
      ...(options.signal && { signal: options.signal }),
    });
    return { ended: endOf(seen)!, ...seen, waitedMs: Date.now() - started };
  } catch (error) {
    if (!(error instanceof LabDeviationError)) throw error;
    if (!last) throw throttledThroughout(`this run's traffic in the records of ${options.what}`, error);
    return { ended: 'timeout', ...last, waitedMs: Date.now() - started };
  }
}

/** DescribeFlowLogs' own words for a failing delivery: `FAILED: Access error …`. */
export function deliveryError(f: FlowLog): string | undefined {
  if (f.DeliverLogsStatus !== 'FAILED') return undefined;
  return `DeliverLogsStatus FAILED: ${f.DeliverLogsErrorMessage ?? '(no DeliverLogsErrorMessage)'}`;
}
