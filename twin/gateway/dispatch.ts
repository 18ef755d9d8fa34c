import type { RequestContext } from '../core/context.ts';
import { UnknownOperationError } from '../core/errors.ts';

/** The authorization a service declares for an operation, checked before its handler runs. */
export function authorizeByDefinition(ctx: RequestContext, input: Record<string, unknown>): void {
  const request = ctx.service.authorization?.(ctx.operation, input, ctx) ?? {
    action: `${ctx.service.iamPrefix}:${ctx.operation}`,
    resource: '*',
  };
  if (request === 'in-handler') return;
  ctx.authorize(request);
}

/** Runs the handler keyed by the exact AWS operation name on the caller's account and region. */
export async function dispatchTo(ctx: RequestContext, input: Record<string, unknown>): Promise<unknown> {
  const handler = ctx.service.handlers[ctx.operation];
  if (!handler) {
    // The gateway refuses these before authorization in the protocol's own words (chain.ts);
    // in-process calls (labs seeded through invoke) meet this.
    throw new UnknownOperationError(`The twin does not serve ${ctx.service.signingName}:${ctx.operation}`);
  }
  const model = ctx.twin.model(ctx.service, ctx.accountId, ctx.region);
  return handler(model, input, ctx);
}
