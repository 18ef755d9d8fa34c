/**
 * Flow-log records from the twin's traffic log, as VPC Flow Logs builds
 * them (VPC User Guide, "Flow log records"): one record per network
 * interface, 5-tuple and action within an aggregation window, for each
 * interface the flow log watches (a VPC's or subnet's every interface, or
 * the one interface). `start`/`end` are the Unix seconds of the first and
 * last packet in the window; a field that does not apply is written `-`.
 */
import type { FlowLogState } from '../services/ec2/model/flow-logs.ts';
import type { Ec2Model } from '../services/ec2/model/index.ts';
import type { NetworkInterfaceState } from '../services/ec2/model/state.ts';
import { PROTOCOL_NUMBER } from './flow.ts';
import type { TrafficRecord } from './traffic-log.ts';
import type { EniTouch } from './walk-state.ts';

export interface FlowRecord {
  eni: NetworkInterfaceState;
  touch: EniTouch;
  packets: number;
  bytes: number;
  /** Twin-clock ms of the first and last packet in the window. */
  first: number;
  last: number;
}

/** Whether the flow log watches this interface (VPC User Guide, "Flow logs basics"). */
export function watches(flowLog: FlowLogState, eni: NetworkInterfaceState): boolean {
  if (flowLog.resourceType === 'VPC') return eni.vpcId === flowLog.resourceId;
  if (flowLog.resourceType === 'Subnet') return eni.subnetId === flowLog.resourceId;
  return eni.id === flowLog.resourceId;
}

function captured(flowLog: FlowLogState, touch: EniTouch): boolean {
  return flowLog.trafficType === 'ALL' || flowLog.trafficType === touch.action;
}

/** When each of a record's packets passed: spread evenly from its start to its end. */
function packetTimes(record: TrafficRecord): number[] {
  if (record.packets <= 1) return [record.start];
  const step = (record.end - record.start) / (record.packets - 1);
  return Array.from({ length: record.packets }, (_, i) => Math.round(record.start + i * step));
}

function keyOf(touch: EniTouch, window: number): string {
  const f = touch.flow;
  return [
    window,
    touch.networkInterfaceId,
    touch.direction,
    touch.srcIp,
    touch.dstIp,
    f.protocol,
    f.srcPort,
    f.dstPort,
    touch.action,
  ].join('|');
}

/** Packets of one traffic record that a delivery takes. */
export interface TakenPackets {
  record: TrafficRecord;
  times: number[];
}

/**
 * The packets not yet taken that passed before `closed`, from the flow
 * log's creation on. Traffic can enter the log late (Run Command settles
 * an invocation when it is read, with the packets at their true times), so
 * each record is taken once by position, not by a time range that may
 * already have been delivered; its packets still carry their own times.
 */
export function takePackets(
  flowLog: FlowLogState,
  traffic: readonly TrafficRecord[],
  closed: number,
): TakenPackets[] {
  const progress = flowLog.delivery;
  const taken: TakenPackets[] = [];
  for (let i = progress.cursor; i < traffic.length; i += 1) {
    const record = traffic[i]!;
    const after = Math.max(flowLog.creationTime, progress.partial[i] ?? Number.NEGATIVE_INFINITY);
    const times = packetTimes(record).filter((t) => t >= after && t < closed);
    if (times.length) taken.push({ record, times });
    if (record.end < closed) progress.partial[i] = Number.POSITIVE_INFINITY;
    else progress.partial[i] = closed;
  }
  while (progress.partial[progress.cursor] === Number.POSITIVE_INFINITY) {
    delete progress.partial[progress.cursor];
    progress.cursor += 1;
  }
  return taken;
}

/** The taken packets as records: aggregated per interface, 5-tuple and action within each window of `windowMs`. */
export function flowRecords(
  model: Ec2Model,
  flowLog: FlowLogState,
  taken: readonly TakenPackets[],
  windowMs: number,
): FlowRecord[] {
  const byKey = new Map<string, FlowRecord>();
  for (const { record, times } of taken) {
    const touches = record.touched.flatMap((touch) => {
      const eni = model.networkInterfaces.get(touch.networkInterfaceId);
      return eni && watches(flowLog, eni) && captured(flowLog, touch) ? [{ touch, eni }] : [];
    });
    for (const t of times) {
      const window = Math.floor(t / windowMs);
      for (const { touch, eni } of touches) {
        const key = keyOf(touch, window);
        const seen = byKey.get(key);
        if (seen) {
          seen.packets += 1;
          seen.bytes += record.bytesPerPacket;
          seen.first = Math.min(seen.first, t);
          seen.last = Math.max(seen.last, t);
        } else byKey.set(key, { eni, touch, packets: 1, bytes: record.bytesPerPacket, first: t, last: t });
      }
    }
  }
  return [...byKey.values()].sort((a, b) => a.first - b.first);
}

/**
 * TCP flags OR-ed over the window (FIN 1, SYN 2, RST 4, SYN-ACK 18): a
 * probe's connection is a SYN answered by a SYN-ACK; the twin does not
 * model the rest of the handshake. ICMP records carry 0.
 */
function tcpFlags(touch: EniTouch): number {
  if (touch.flow.protocol !== 'tcp') return 0;
  return touch.flow.srcPort < touch.flow.dstPort ? 18 : 2;
}

function fieldValue(model: Ec2Model, flowLog: FlowLogState, r: FlowRecord, field: string): string | number {
  const { touch, eni } = r;
  switch (field) {
    case 'version':
      return flowLog.format.version;
    case 'account-id':
      return touch.accountId;
    case 'interface-id':
      return eni.id;
    case 'srcaddr':
    case 'pkt-srcaddr':
      return touch.srcIp;
    case 'dstaddr':
    case 'pkt-dstaddr':
      return touch.dstIp;
    case 'srcport':
      return touch.flow.srcPort;
    case 'dstport':
      return touch.flow.dstPort;
    case 'protocol':
      return PROTOCOL_NUMBER[touch.flow.protocol];
    case 'packets':
      return r.packets;
    case 'bytes':
      return r.bytes;
    case 'start':
      return Math.floor(r.first / 1000);
    case 'end':
      return Math.floor(r.last / 1000);
    case 'action':
      return touch.action;
    case 'log-status':
      return 'OK';
    case 'vpc-id':
      return eni.vpcId;
    case 'subnet-id':
      return eni.subnetId;
    case 'instance-id':
      return eni.attachment?.instanceId ?? '-';
    case 'tcp-flags':
      return tcpFlags(touch);
    case 'type':
      return 'IPv4';
    case 'region':
      return model.region;
    case 'az-id':
      return model.subnets.get(eni.subnetId)?.availabilityZoneId ?? '-';
    case 'flow-direction':
      return touch.direction;
    default:
      return '-';
  }
}

/** One record as a line of the flow log's format. */
export function formatRecord(model: Ec2Model, flowLog: FlowLogState, record: FlowRecord): string {
  return flowLog.format.fields.map((f) => String(fieldValue(model, flowLog, record, f))).join(' ');
}

/** The header line of an S3 log file: the format's field names. */
export function headerLine(flowLog: FlowLogState): string {
  return flowLog.format.fields.join(' ');
}
