import type { CallerPosition } from '../core/principal.ts';
import type { Twin } from '../twin.ts';

/** How a caller inside the lab reaches an AWS service endpoint, if at all. */
export type ServicePath =
  | { reachable: true; via: 'gateway-endpoint' | 'interface-endpoint'; endpointId: string; endpointPolicy?: string }
  | { reachable: true; via: 'nat' | 'internet-gateway' | 'outside-vpc' }
  | { reachable: false; because: string };

/** Placeholder until the reachability engine lands: every service is reachable. */
export function servicePath(_twin: Twin, _from: CallerPosition, _service: string, _region: string): ServicePath {
  return { reachable: true, via: 'outside-vpc' };
}
