import type { Twin } from '../twin.ts';
import type { CallerPosition, Principal } from './principal.ts';
import type { AuthorizationRequest, ServiceDefinition } from './service.ts';

/**
 * Everything a handler may know about the request it serves. `M` is the
 * model of the request's service; the context hands out that service's
 * models elsewhere too, so a service's own files never import its
 * definition (which imports them: an import cycle).
 */
export interface RequestContext<M = unknown> {
  readonly twin: Twin;
  readonly service: ServiceDefinition<unknown>;
  readonly operation: string;
  readonly region: string;
  /** The caller's account (the principal's). */
  readonly accountId: string;
  readonly principal: Principal;
  readonly accessKeyId: string;
  readonly requestId: string;
  /**
   * `aws:SecureTransport`. The twin's plain-HTTP port stands for AWS's HTTPS
   * endpoints, so this is true for every request (a declared limitation:
   * TLS-only policies are checked by evaluating them, not by a plain call).
   */
  readonly secureTransport: boolean;
  readonly sourceIp: string;
  readonly userAgent: string;
  /** Set when the caller runs inside the lab (a Lambda function, an instance). */
  readonly position: CallerPosition | undefined;
  /** Wall-clock time of the request on the twin's clock. */
  readonly time: number;
  /** The endpoint clients reached the twin on, for minting QueueUrls and the like. */
  readonly origin: string;
  /** Raw request headers (lower-case), for the few operations bound to them. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Checks the caller may do `request`; throws the service's access-denied
   * error when not, and records the decision for CloudTrail.
   */
  authorize(request: AuthorizationRequest): void;
  /**
   * This service's model in an account and Region, made on first use: a
   * KMS key or a trail named by ARN lives in its owner's model, not the
   * caller's.
   */
  modelIn(accountId: string, region: string): M;
  /** Every model of this service made so far, with where it lives (a trail's siblings in other Regions). */
  modelsEverywhere(): [{ accountId: string; region: string }, M][];
}
