import type { Twin } from '../twin.ts';

/**
 * A piece of the simulated world that is not one service's model in one
 * account and Region: the packets probes sent (flow logs read them), the
 * pipeline's counters and polls, the Lambda runtime's warm environments,
 * S3's global bucket namespace. The module that needs it declares it once;
 * the `Twin` holds it (`twin.part(...)`), shows it (`twin.describe()`,
 * `GET /_twin/state`) and releases it when disposed, so a reset drops all
 * of it in one place. Declared here rather than as fields of `Twin` so the
 * twin imports no service: the dependency runs from the services to it.
 *
 * @example
 *   const trafficLog = worldPart({ name: 'network.traffic', make: () => [] as TrafficRecord[], show: (l) => ({ records: l.length }) });
 *   twin.part(trafficLog).push(record);
 */
export interface WorldPart<T> {
  /** Where it shows in the twin's state (`area.what`). */
  readonly name: string;
  /** Made on first use, for this twin. */
  make(twin: Twin): T;
  /** A JSON summary for the state dump; omitted, the part shows only that it exists. */
  show?(value: T): unknown;
  /** Releases what it holds outside the state (worker threads, sockets) when the twin is disposed. */
  dispose?(value: T): void;
}

export function worldPart<T>(part: WorldPart<T>): WorldPart<T> {
  return part;
}
