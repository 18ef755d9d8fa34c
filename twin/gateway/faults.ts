import { createHash } from 'node:crypto';
import { AwsError } from '../core/errors.ts';

/**
 * Faults injected on demand so the suite's reliability can be tested
 * (PUT /_twin/faults). A fault is decided per SDK invocation
 * (`amz-sdk-invocation-id`, the same on every retry of one call) and, by
 * default, hits only the first attempt: that is how AWS's transient errors
 * look to a client with retries, and it keeps a faulty run deterministic.
 */
export type FaultKind = 'throttle' | '5xx' | 'latency' | 'agent-offline';

export interface FaultSpec {
  /** Share of invocations hit, 0..1. */
  rate: number;
  kinds: FaultKind[];
  /** Limit to these signing names (`ec2`, `ssm`); all when absent. */
  services?: string[];
  operations?: string[];
  /** `first-attempt` (default) or `every-attempt`, which exhausts the client's retries. */
  persistence?: 'first-attempt' | 'every-attempt';
  /** Extra milliseconds for `latency` faults. */
  latencyMs?: number;
  /** Instance ids whose SSM agent stops answering, for `agent-offline`. */
  instanceIds?: string[];
  seed?: string;
}

export class FaultPlan {
  spec: FaultSpec | undefined;
  injected = 0;

  set(spec: FaultSpec | undefined): void {
    this.spec = spec;
    this.injected = 0;
  }

  /** The fault for this call, if any. */
  pick(call: {
    service: string;
    operation: string;
    invocationId: string | undefined;
    attempt: number;
  }): FaultKind | undefined {
    const spec = this.spec;
    if (!spec || spec.rate <= 0) return undefined;
    if (spec.services && !spec.services.includes(call.service)) return undefined;
    if (spec.operations && !spec.operations.includes(call.operation)) return undefined;
    if ((spec.persistence ?? 'first-attempt') === 'first-attempt' && call.attempt > 1) return undefined;
    const kinds = spec.kinds.filter((k) => k !== 'agent-offline');
    if (!kinds.length) return undefined;
    const key = call.invocationId ?? `${call.operation}:${Math.random()}`;
    const h = createHash('sha256')
      .update(`${spec.seed ?? ''}:${key}`)
      .digest();
    if (h.readUInt32BE(0) / 0xffffffff >= spec.rate) return undefined;
    this.injected += 1;
    return kinds[h.readUInt8(4) % kinds.length];
  }

  isAgentOffline(instanceId: string): boolean {
    return Boolean(this.spec?.kinds.includes('agent-offline') && this.spec.instanceIds?.includes(instanceId));
  }
}

/** The throttling error a service of this protocol family sends. */
export function throttlingError(service: string): AwsError {
  const code =
    service === 'ec2'
      ? 'RequestLimitExceeded'
      : service === 's3'
        ? 'SlowDown'
        : service === 'lambda'
          ? 'TooManyRequestsException'
          : service === 'sns' || service === 'sts' || service === 'iam'
            ? 'Throttling'
            : 'ThrottlingException';
  const status = service === 'ec2' || service === 's3' ? 503 : service === 'lambda' ? 429 : 400;
  return new AwsError(code, 'Rate exceeded (injected by the twin)', {
    status,
    headers: { 'x-amz-retry-after': '50' },
  });
}

export function serverError(): AwsError {
  return new AwsError(
    'InternalFailure',
    'We encountered an internal error. Please try again. (injected by the twin)',
    {
      status: 500,
    },
  );
}
