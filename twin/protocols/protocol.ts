import type { AwsError } from '../core/errors.ts';
import type { ServiceDefinition } from '../core/service.ts';
import type { WireRequest, WireResponse } from './wire.ts';

export interface ParsedCall {
  operation: string;
  input: Record<string, unknown>;
}

export interface ResponseMeta {
  requestId: string;
  /** HEAD requests carry no body, errors included (S3). */
  method: string;
}

/** One AWS wire protocol: reads requests and writes responses and errors. Only this layer writes bytes. */
export interface Protocol {
  /** Whether a request is in this protocol's form (SQS speaks two). */
  recognizes(req: WireRequest): boolean;
  /** Throws AwsError when the request names no known operation or is malformed. */
  parse(req: WireRequest, def: ServiceDefinition<unknown>): Promise<ParsedCall>;
  serialize(
    def: ServiceDefinition<unknown>,
    operation: string,
    output: unknown,
    meta: ResponseMeta,
  ): WireResponse;
  serializeError(def: ServiceDefinition<unknown>, error: AwsError, meta: ResponseMeta): WireResponse;
}
