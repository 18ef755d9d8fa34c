import type { AwsClients } from '../clients.ts';
import { connectFrom, pingFrom, reachOf } from '../ping.ts';
import type { ReachabilityTarget } from '../targets/index.ts';
import { reachabilityRow } from '../targets/rows.ts';
import { getInstance } from '../vpc.ts';
import type { RunTraffic, TrafficEnd } from './flow-records.ts';

/**
 * This run's own traffic for the flow logs to show: each reachability row
 * pinged (or connected to) once, through the network area's own helpers,
 * with the interfaces and the time window the records must match.
 */
export interface Host {
  name: string;
  instanceId: string;
  clients: AwsClients;
}

/** The end of a ping as flow logs see it: the instance's primary interface and address. */
export async function trafficEndOf(host: Host): Promise<TrafficEnd> {
  const instance = await getInstance(host.clients, host.instanceId);
  const primary =
    instance.NetworkInterfaces?.find((n) => n.Attachment?.DeviceIndex === 0) ??
    instance.NetworkInterfaces?.[0];
  return {
    name: host.name,
    ip: instance.PrivateIpAddress!,
    eni: primary?.NetworkInterfaceId ?? '',
    vpcId: instance.VpcId ?? '',
    subnetId: instance.SubnetId ?? '',
  };
}

/**
 * Sends `row`'s traffic once and says what the network did with it. A probe
 * that proves nothing throws CannotTellError (helpers/ping.ts).
 *
 * @example
 *   const t = await makeTraffic(row, lab.host, { count: 3, timeoutSeconds: 2, runId });
 */
export async function makeTraffic(
  row: ReachabilityTarget,
  host: (name: string) => Host,
  options: { count: number; timeoutSeconds: number; runId: string; signal?: AbortSignal },
): Promise<RunTraffic> {
  const [from, to] = await Promise.all([trafficEndOf(host(row.from)), trafficEndOf(host(row.to))]);
  const source = { name: from.name, instanceId: host(row.from).instanceId };
  const clients = host(row.from).clients;
  const startSec = Math.floor(Date.now() / 1000);
  const heard =
    row.protocol === 'icmp'
      ? reachOf(await pingFrom(clients, source, { name: to.name, ip: to.ip }, options))
      : reachOf(
          await connectFrom(clients, source, { name: to.name, ip: to.ip, port: row.protocol.tcp }, options),
        );
  const endSec = Math.ceil(Date.now() / 1000);
  return {
    row: reachabilityRow(row),
    from,
    to,
    protocol: row.protocol === 'icmp' ? 1 : 6,
    ...(row.protocol !== 'icmp' && { port: row.protocol.tcp }),
    // A refusal is the host's own answer: the network carried the packet there (helpers/ping.ts, Reach).
    carried: heard !== 'silent',
    startSec,
    endSec,
  };
}
