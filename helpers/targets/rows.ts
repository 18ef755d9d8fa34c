import type { FlowLogTarget, ReachabilityTarget } from './index.ts';

/**
 * How a check's row is named in its task meta, for rows made of more than
 * one name of targets. The suite tags its tests with these and drifts name
 * what they break with them, so both say the same row the same way. Rows of
 * one name (a VPC, a subnet, a host, a placement) are that name.
 */

/** A reachability row: `prod-app→dev-app:icmp`, `prod-app→dev-app:tcp/443`. */
export function reachabilityRow(r: Pick<ReachabilityTarget, 'from' | 'to' | 'protocol'>): string {
  const protocol = r.protocol === 'icmp' ? 'icmp' : `tcp/${r.protocol.tcp}`;
  return `${r.from}→${r.to}:${protocol}`;
}

/** An endpoint of a service in a VPC: `App-VPC:s3`. */
export function serviceRow(vpc: string, service: string): string {
  return `${vpc}:${service}`;
}

/** A key's grant of one action: `alias/receipts:kms:Decrypt`. */
export function grantRow(alias: string, action: string): string {
  return `${alias}:${action}`;
}

/**
 * A flow log: what it watches and where it delivers, `App-VPC→/aws/vpc/flowlogs`,
 * `App-VPC→s3://central-logs/prefix`.
 */
export function flowLogRow(
  f: Pick<FlowLogTarget, 'vpc' | 'subnet' | 'networkInterface' | 'destination'>,
): string {
  const watched = f.vpc ?? f.subnet ?? f.networkInterface;
  const d = f.destination;
  const to = 'logGroup' in d ? d.logGroup : `s3://${d.bucket}${d.prefix ? `/${d.prefix}` : ''}`;
  return `${watched}→${to}`;
}

/** A consumer of a PrivateLink service: `orders-service from App-VPC` (P4, P5). */
export function privateLinkRow(service: string, vpc: string): string {
  return `${service} from ${vpc}`;
}
