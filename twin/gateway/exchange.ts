import type { RequestContext } from '../core/context.ts';
import type { Credential } from '../core/principal.ts';
import type { ProtocolName, ServiceDefinition } from '../core/service.ts';
import type { Protocol } from '../protocols/protocol.ts';
import type { WireRequest } from '../protocols/wire.ts';
import type { Twin } from '../twin.ts';
import type { SignedRequest } from './sigv4.ts';

/** One request on its way through the handler chain; each step fills in what it learns. */
export interface Exchange {
  readonly twin: Twin;
  readonly req: WireRequest;
  readonly requestId: string;
  readonly sourceIp: string;
  readonly origin: string;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  signed?: SignedRequest;
  service?: ServiceDefinition<unknown>;
  protocol?: Protocol;
  /** Which of the service's protocols the request speaks (SQS speaks two). */
  protocolName?: ProtocolName;
  credential?: Credential;
  operation?: string;
  input?: Record<string, unknown>;
  ctx?: RequestContext;
  output?: unknown;
  /** Milliseconds a `latency` fault adds to this call. */
  faultLatencyMs?: number;
}
