import { type Twin, worldPart } from '../twin.ts';
import type { EniTouch } from './walk-state.ts';

/**
 * The packets probes sent through the lab (ping, nc from Run Command), as
 * the interfaces saw them: what VPC Flow Logs will aggregate into records.
 * Part of the world, so the twin holds it and a reset drops it.
 */
export interface TrafficRecord {
  /** Twin-clock ms of the first and last packet. */
  start: number;
  end: number;
  /** Packets sent in each direction, and bytes per packet at the IP layer (84 for a default ping). */
  packets: number;
  bytesPerPacket: number;
  /** Every interface touch of one packet exchange (request and answer); repeated `packets` times. */
  touched: EniTouch[];
  /** Whether the exchange got its answer. */
  answered: boolean;
}

const trafficLog = worldPart({
  name: 'network.traffic',
  make: (): TrafficRecord[] => [],
  show: (log) => ({ records: log.length, answered: log.filter((r) => r.answered).length }),
});

/**
 * Adds a record of traffic to the twin's log.
 *
 * @example recordTraffic(twin, { start, end, packets: 3, bytesPerPacket: 84, touched: probe.touched, answered: probe.answered })
 */
export function recordTraffic(twin: Twin, record: TrafficRecord): void {
  twin.part(trafficLog).push(record);
}

/** Every record so far, oldest first. Records may start in the twin's future (a command still running). */
export function trafficOf(twin: Twin): readonly TrafficRecord[] {
  return twin.partIfMade(trafficLog) ?? [];
}
