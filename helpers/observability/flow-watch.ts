import type { FlowLog } from '@aws-sdk/client-ec2';
import { CannotTellError } from '../errors.ts';
import type { FlowLogTarget } from '../targets/index.ts';
import type { Lab } from '../targets/lab.ts';
import { reachabilityRow } from '../targets/rows.ts';
import { type RecordWait, waitForRunRecords } from './flow-delivery.ts';
import {
  type Expectation,
  expectationsFor,
  fieldsOf,
  type RunTraffic,
  type TrafficEnd,
  unmatchable,
} from './flow-records.ts';
import { bucketRecords, findFlowLog, logGroupRecords, type RecordSource } from './flow-sources.ts';
import { makeTraffic } from './run-traffic.ts';

/**
 * This run's traffic and every flow log's wait for it: the pings of each
 * reachability row are sent at once when made, and each flow log's wait
 * starts as soon as they have been, all side by side. Tests ask `of(f)`.
 */
export interface FlowLogLive {
  resourceId: string;
  expectations: Expectation[];
  /** Rows touching what the flow log watches whose traffic could not be made, with why. */
  unmade: string[];
  wait: Promise<RecordWait>;
  describe(): Promise<FlowLog | undefined>;
}

export class FlowLogWatch {
  private readonly lives = new Map<FlowLogTarget, Promise<FlowLogLive>>();

  private constructor(
    private readonly lab: Lab,
    private readonly traffic: { row: string; hosts: string[]; made: Promise<RunTraffic> }[],
    private readonly options: { sinceMs: number },
  ) {}

  /** Sends this run's traffic now; waits start as each flow log is asked for, or at once with `watchAll`. */
  static start(lab: Lab, options: { sinceMs: number }): FlowLogWatch {
    const net = lab.targets.network;
    const host = (name: string) => {
      const h = lab.host(name);
      return { name, instanceId: h.instanceId, clients: lab.clients(h.account) };
    };
    const traffic = (net?.reachability ?? []).map((row) => {
      const made = makeTraffic(row, host, {
        count: net!.ping.count,
        timeoutSeconds: net!.ping.timeoutSeconds,
        runId: lab.targets.runId,
      });
      made.catch(() => undefined);
      return { row: reachabilityRow(row), hosts: [row.from, row.to], made };
    });
    const watch = new FlowLogWatch(lab, traffic, options);
    for (const f of lab.targets.observability?.flowLogs ?? []) watch.of(f).catch(() => undefined);
    return watch;
  }

  of(f: FlowLogTarget): Promise<FlowLogLive> {
    let live = this.lives.get(f);
    if (!live) {
      live = this.follow(f);
      this.lives.set(f, live);
    }
    return live;
  }

  private async follow(f: FlowLogTarget): Promise<FlowLogLive> {
    const { lab } = this;
    const account = this.accountOf(f);
    const clients = lab.clients(account);
    const resourceId = f.vpc
      ? lab.targets.ids.vpc[f.vpc]!
      : f.subnet
        ? lab.targets.ids.subnet[f.subnet]!
        : f.networkInterface!;
    const watches = (end: TrafficEnd) => [end.vpcId, end.subnetId, end.eni].includes(resourceId);
    const touches = (hostName: string) => {
      const h = lab.host(hostName);
      return f.vpc ? lab.vpcOfSubnet(h.subnet).name === f.vpc : f.subnet ? h.subnet === f.subnet : true;
    };
    const settled = await Promise.allSettled(this.traffic.map((t) => t.made));
    const made = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const unmade = settled.flatMap((s, i) =>
      s.status === 'rejected' && this.traffic[i]!.hosts.some(touches)
        ? [`${this.traffic[i]!.row}: ${(s.reason as Error).message}`]
        : [],
    );
    const expectations = expectationsFor(made, watches);
    const describe = () => findFlowLog(clients, resourceId, f.destination);
    const source = this.sourceOf(f, expectations, lab.accountId(account));
    const wait = waitForRunRecords(source, expectations, describe, {
      what: `the flow log on ${resourceId}`,
      timeoutMs: lab.targets.observability!.recordTimeoutSeconds * 1000,
    });
    wait.catch(() => undefined);
    return { resourceId, expectations, unmade, wait, describe };
  }

  private accountOf(f: FlowLogTarget): string {
    if (f.vpc) return this.lab.network.vpcs.find((v) => v.name === f.vpc)?.account ?? 'lab';
    if (f.subnet) return this.lab.vpcOfSubnet(f.subnet).account;
    return 'lab';
  }

  /**
   * Where the records are read, made once per flow log found. Records are
   * read with the format the flow log really writes (its LogFormat), so a
   * format other than intended fails O12 alone, not every record check too.
   */
  private sourceOf(f: FlowLogTarget, expectations: Expectation[], accountId: string) {
    const d = f.destination;
    const sources = new Map<string, RecordSource>();
    // A record may be stamped with the start of its aggregation interval, which can begin up to one
    // interval before this run's first packet ("Aggregation interval", VPC User Guide): look back that far.
    const sinceMs = this.options.sinceMs - f.maxAggregationInterval * 1000;
    return (flowLog: FlowLog): RecordSource => {
      const fields = fieldsOf(flowLog.LogFormat ?? f.format);
      const problem = unmatchable(fields, !('logGroup' in d));
      if (problem)
        throw new CannotTellError(`cannot match records of ${flowLog.FlowLogId} to traffic: ${problem}`);
      let source = sources.get(flowLog.FlowLogId!);
      if (!source) {
        source =
          'logGroup' in d
            ? logGroupRecords(this.lab.clients(this.accountOf(f)), {
                logGroup: d.logGroup,
                fields,
                addresses: [...new Set(expectations.flatMap((e) => [e.traffic.from.ip, e.traffic.to.ip]))],
                sinceMs,
              })
            : bucketRecords(this.lab.clients(d.account), {
                bucket: d.bucket,
                prefix: d.prefix,
                account: accountId,
                region: this.lab.targets.region,
                flowLogId: flowLog.FlowLogId!,
                fields,
                sinceMs,
              });
        sources.set(flowLog.FlowLogId!, source);
      }
      return source;
    };
  }
}
