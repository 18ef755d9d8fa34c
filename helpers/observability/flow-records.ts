import { CannotTellError } from '../errors.ts';

/**
 * Flow log records, read with the flow log's own format and matched to this
 * run's traffic. Pure: the reading from CloudWatch Logs or S3 is in
 * flow-sources.ts. What AWS records, from the VPC User Guide ("Flow log
 * records", "Flow log record examples"):
 * - a record per network interface, flow and aggregation interval; a fields
 *   with no value is `-` (NODATA and SKIPDATA records carry no addresses);
 * - `start` is when the first packet of the flow was received within the
 *   interval, which "might be up to 60 seconds after the packet was
 *   transmitted or received on the network interface";
 * - traffic a security group or network ACL refuses is recorded REJECT at
 *   the interface that refused it; a packet the Transit Gateway drops for
 *   lack of a route leaves the source (ACCEPT) and never reaches the
 *   destination's interface, so it has no record there.
 */
export interface FlowRecord {
  interfaceId?: string;
  srcaddr: string;
  dstaddr: string;
  protocol: number;
  dstport?: number;
  action: string;
  /** Unix seconds. */
  start: number;
  end: number;
  line: string;
}

/** The fields of a LogFormat: `${version} ${srcaddr}` → ['version', 'srcaddr']. */
export function fieldsOf(format: string): string[] {
  return [...format.matchAll(/\$\{([a-z0-9-]+)\}/g)].map((m) => m[1]!);
}

const NEEDED = ['srcaddr', 'dstaddr', 'protocol', 'action', 'start', 'end'];

/**
 * Whether records of this format can be matched to traffic at all, and why not.
 *
 * @example unmatchable(fieldsOf('${version} ${srcaddr}')) // 'lacks dstaddr, protocol, action, start, end'
 */
export function unmatchable(fields: string[], needInterface: boolean): string | undefined {
  const missing = [...NEEDED, ...(needInterface ? ['interface-id'] : [])].filter((f) => !fields.includes(f));
  return missing.length ? `the flow log's format lacks ${missing.join(', ')}` : undefined;
}

/**
 * One record line read with `fields`, or undefined for a header, a record
 * without addresses (NODATA, SKIPDATA) or a line of another shape.
 * `interfaceId` is the interface the line's source names when the format
 * does not (a CloudWatch Logs stream is one interface's).
 *
 * @example
 *   parseFlowRecord(fieldsOf(DEFAULT_FLOW_LOG_FORMAT),
 *     '2 123456789012 eni-0a 172.16.1.10 172.16.2.10 0 0 1 3 252 1700000000 1700000060 ACCEPT OK')
 */
export function parseFlowRecord(
  fields: string[],
  line: string,
  interfaceId?: string,
): FlowRecord | undefined {
  const values = line.trim().split(/\s+/);
  if (values.length !== fields.length) return undefined;
  const v = Object.fromEntries(fields.map((f, i) => [f, values[i]!]));
  const start = Number(v.start);
  const end = Number(v.end);
  const protocol = Number(v.protocol);
  if (![start, end, protocol].every(Number.isInteger) || v.srcaddr === '-' || v.dstaddr === '-')
    return undefined;
  const eni = v['interface-id'] && v['interface-id'] !== '-' ? v['interface-id'] : interfaceId;
  const port = Number(v.dstport);
  return {
    ...(eni && { interfaceId: eni }),
    srcaddr: v.srcaddr!,
    dstaddr: v.dstaddr!,
    protocol,
    ...(Number.isInteger(port) && { dstport: port }),
    action: v.action!,
    start,
    end,
    line: line.trim(),
  };
}

/** One end of this run's traffic: the host, its address and the interface it used. */
export interface TrafficEnd {
  name: string;
  ip: string;
  eni: string;
  vpcId: string;
  subnetId: string;
}

/** One ping or connection of this run, as made: who, how, when, and whether the network carried it. */
export interface RunTraffic {
  row: string;
  from: TrafficEnd;
  to: TrafficEnd;
  /** IANA protocol number: 1 ICMP, 6 TCP. */
  protocol: number;
  port?: number;
  /** The network carried it to the host (a reply, or the host's own refusal of the port). */
  carried: boolean;
  /** Unix seconds of the first and last packet. */
  startSec: number;
  endSec: number;
}

/** What one interface a flow log watches must show of one traffic. */
export interface Expectation {
  traffic: RunTraffic;
  eni: string;
  side: 'source' | 'destination';
  /** `accept`: an ACCEPT record; `seen`: a record, ACCEPT or REJECT; `no-accept`: no ACCEPT record. */
  want: 'accept' | 'seen' | 'no-accept';
}

/**
 * What a flow log watching `watches` must show of `traffic`, as AWS records
 * it: carried traffic ACCEPT at both interfaces; traffic the network did
 * not carry some record at the source (ACCEPT going out, or REJECT where
 * its own group or ACL refused it) and no ACCEPT at the destination (REJECT
 * where its group or ACL refused it, nothing where routing dropped it).
 * Flow log records carry no ICMP type, so the echo replies of a carried
 * ping the other way look exactly like a refused ping's requests: that
 * absence cannot be told apart and is not asked for.
 */
export function expectationsFor(traffic: RunTraffic[], watches: (end: TrafficEnd) => boolean): Expectation[] {
  const echoed = (t: RunTraffic) =>
    t.protocol === 1 &&
    traffic.some((u) => u.carried && u.protocol === 1 && u.from.ip === t.to.ip && u.to.ip === t.from.ip);
  return traffic.flatMap((t): Expectation[] => [
    ...(watches(t.from)
      ? [
          {
            traffic: t,
            eni: t.from.eni,
            side: 'source' as const,
            want: t.carried ? ('accept' as const) : ('seen' as const),
          },
        ]
      : []),
    ...(watches(t.to) && (t.carried || !echoed(t))
      ? [
          {
            traffic: t,
            eni: t.to.eni,
            side: 'destination' as const,
            want: t.carried ? ('accept' as const) : ('no-accept' as const),
          },
        ]
      : []),
  ]);
}

/** The record's start may lag the packet by up to 60 s (VPC User Guide, "Available fields": start). */
const START_LAG_SEC = 60;

/** Records of `t` at interface `eni`: by addresses, protocol, port and the traffic's own time window. */
export function recordsOf(records: FlowRecord[], t: RunTraffic, eni: string): FlowRecord[] {
  return records.filter(
    (r) =>
      r.interfaceId === eni &&
      r.srcaddr === t.from.ip &&
      r.dstaddr === t.to.ip &&
      r.protocol === t.protocol &&
      (t.port === undefined || r.dstport === undefined || r.dstport === t.port) &&
      r.start <= t.endSec + START_LAG_SEC &&
      r.end >= t.startSec - 1,
  );
}

export interface Judgement {
  /** Records awaited and not (yet) seen. */
  missing: Expectation[];
  /** Records that must not be there and are. */
  unwanted: { expectation: Expectation; records: FlowRecord[] }[];
  /** Expectations met, with the records that met them. */
  met: { expectation: Expectation; records: FlowRecord[] }[];
  /**
   * Absences ("no ACCEPT") not yet backed by their positive control: an
   * awaited record of this run at the same interface. Each interface's
   * records are published on their own (a stream per interface in
   * CloudWatch Logs), so another interface's records say nothing of whether
   * this one's have come.
   */
  uncontrolled: Expectation[];
}

export function judge(expectations: Expectation[], records: FlowRecord[]): Judgement {
  const out: Judgement = { missing: [], unwanted: [], met: [], uncontrolled: [] };
  const absences: Expectation[] = [];
  for (const e of expectations) {
    const seen = recordsOf(records, e.traffic, e.eni);
    const accepted = seen.filter((r) => r.action === 'ACCEPT');
    if (e.want === 'no-accept') {
      if (accepted.length) out.unwanted.push({ expectation: e, records: accepted });
      else absences.push(e);
      continue;
    }
    const proof = e.want === 'accept' ? accepted : seen;
    if (proof.length) out.met.push({ expectation: e, records: proof });
    else out.missing.push(e);
  }
  const current = new Set(out.met.map((m) => m.expectation.eni));
  for (const e of absences) {
    if (current.has(e.eni)) out.met.push({ expectation: e, records: recordsOf(records, e.traffic, e.eni) });
    else out.uncontrolled.push(e);
  }
  return out;
}

/** One line a person reads: `prod-app → shared-app (ICMP) at eni-0a (source): ACCEPT awaited`. */
export function describeExpectation(e: Expectation): string {
  const t = e.traffic;
  const proto = t.protocol === 1 ? 'ICMP' : `TCP ${t.port}`;
  const want = { accept: 'an ACCEPT record', seen: 'a record', 'no-accept': 'no ACCEPT record' }[e.want];
  return `${t.from.name} (${t.from.ip}) → ${t.to.name} (${t.to.ip}) ${proto} at ${e.eni} (${e.side}): ${want}`;
}

/**
 * The verdict's words for absences without their control: no record of this
 * run arrived for their interface, so "no ACCEPT" proves nothing yet.
 */
export function noRecordControl(flowLog: string, absences: Expectation[]): CannotTellError {
  return new CannotTellError(
    `cannot conclude that ${flowLog} holds no ACCEPT for ${absences.map(describeExpectation).join('; ')}: no record of this run's own traffic has arrived for that interface (the positive control)`,
    'timeout',
  );
}
