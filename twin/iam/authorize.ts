import type { Principal } from '../core/principal.ts';
import type { AuthorizationRequest } from '../core/service.ts';
import type { Twin } from '../twin.ts';

/** What the evaluator concluded, and why, in AWS's own words where AWS has them. */
export interface Decision {
  allowed: boolean;
  /** "because no identity-based policy allows the s3:GetObject action" */
  because: string;
}

export interface CallFacts {
  region: string;
  time: number;
  sourceIp: string;
  secureTransport: boolean;
  /** Set when the call went through a VPC endpoint. */
  sourceVpce?: string;
  sourceVpc?: string;
  /** The endpoint's policy, which must also allow the call. */
  endpointPolicy?: string;
}

/**
 * Decides whether `principal` may make `request`. Placeholder until the
 * policy evaluator lands: allows everything.
 */
export function decide(_twin: Twin, _principal: Principal, _request: AuthorizationRequest, _facts: CallFacts): Decision {
  return { allowed: true, because: 'policy evaluation is not modelled yet' };
}
