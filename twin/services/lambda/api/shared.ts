import type { RequestContext } from '../../../core/context.ts';
import type { ServiceDefinition } from '../../../core/service.ts';
import { functionNotFound } from '../errors.ts';
import type { FunctionState, LambdaModel } from '../model/index.ts';
import { parseFunctionRef } from '../model/names.ts';

/**
 * The model that holds a function the caller names, which may be in
 * another account (a full or partial ARN), and the function itself.
 */
export function modelOf(ctx: RequestContext, accountId: string, region: string): LambdaModel | undefined {
  if (!ctx.twin.hasAccount(accountId)) return undefined;
  return ctx.twin.model(ctx.service as ServiceDefinition<LambdaModel>, accountId, region);
}

export function findFunction(
  ctx: RequestContext,
  ref: string | undefined,
): { model: LambdaModel; fn: FunctionState } | undefined {
  const parsed = parseFunctionRef(ref, ctx.accountId, ctx.region);
  const model = modelOf(ctx, parsed.accountId, parsed.region);
  const fn = model?.functions.get(parsed.name);
  return model && fn ? { model, fn } : undefined;
}

/** The function `ref` names; a Qualifier other than $LATEST names none (the twin keeps no versions). */
export function resolveFunction(
  ctx: RequestContext,
  ref: string | undefined,
  qualifier?: string,
): { model: LambdaModel; fn: FunctionState } {
  const { arn } = parseFunctionRef(ref, ctx.accountId, ctx.region);
  if (qualifier !== undefined && qualifier !== '$LATEST') throw functionNotFound(`${arn}:${qualifier}`);
  const found = findFunction(ctx, ref);
  if (!found) throw functionNotFound(arn);
  return found;
}

/** Lambda's timestamps: `2024-01-01T00:00:00.000+0000`. */
export function lambdaTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
