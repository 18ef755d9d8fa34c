import type { AwsError } from '../core/errors.ts';
import type { Exchange } from './exchange.ts';

/** CloudTrail records request parameters in lowerCamelCase, without payloads. */
export function auditParameters(input: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!input) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v instanceof Uint8Array || v === undefined) continue;
    out[k[0]!.toLowerCase() + k.slice(1)] = v;
  }
  return Object.keys(out).length ? out : null;
}

const READ_ONLY = /^(Describe|Get|List|Lookup|Head|Search|Scan|Query|BatchGet)/;

/** Appends the served call to the twin's call log, from which CloudTrail builds its events. */
export function recordCall(ex: Exchange, error: AwsError | undefined): void {
  const ctx = ex.ctx!;
  const service = ex.service!;
  const extra = service.audit?.(ex.operation!, ex.input ?? {}, ex.output, ctx) ?? {};
  ex.twin.recordCall({
    eventId: ex.twin.ids.uuid(),
    time: ctx.time,
    eventSource: `${service.iamPrefix}.amazonaws.com`,
    eventName: ex.operation!,
    region: ctx.region,
    recipientAccountId: extra.recipientAccountId ?? ctx.accountId,
    principal: ctx.principal,
    accessKeyId: ctx.accessKeyId,
    sourceIp: ctx.sourceIp,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
    requestParameters:
      extra.requestParameters !== undefined ? extra.requestParameters : auditParameters(ex.input),
    responseElements: error ? null : (extra.responseElements ?? null),
    ...(error && { errorCode: error.code, errorMessage: error.message }),
    readOnly: READ_ONLY.test(ex.operation!),
    management: !service.dataEvents?.has(ex.operation!),
    resources: extra.resources ?? [],
  });
}
