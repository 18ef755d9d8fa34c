import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import { accessDenied, validation } from '../errors.ts';
import { type KeyAccess, keyRequest, rewordDenial } from '../model/access.ts';
import type { KmsModel } from '../model/index.ts';
import { type ModelOf, type ResolvedKey, resolveKey } from '../model/resolve.ts';
import type { KeyRecord } from '../model/state.ts';

/** A KMS request's context: it hands out KMS models, so these files need not import KMS's definition. */
export type KmsContext = RequestContext<KmsModel>;

/** Any account's KMS model in any region, for keys named by ARN. */
export function modelsOf(ctx: KmsContext): ModelOf {
  return (accountId, region) => ctx.modelIn(accountId, region);
}

/**
 * The key each request acted on, for CloudTrail's `resources` (set before
 * authorization, so denials name it too). Keyed by the request, not the
 * twin: it lives as long as the request does and is no world state.
 */
const touched = new WeakMap<RequestContext, KeyRecord>();

export function noteKey(ctx: RequestContext, key: KeyRecord): void {
  touched.set(ctx, key);
}

export function touchedKey(ctx: RequestContext): KeyRecord | undefined {
  return touched.get(ctx);
}

/** Resolves a KeyId parameter for the caller and remembers the key for the audit record. */
export function keyFor(ctx: KmsContext, ref: string | undefined): ResolvedKey {
  if (!ref)
    throw validation(
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    );
  const resolved = resolveKey(modelsOf(ctx), ref, ctx);
  noteKey(ctx, resolved.key);
  return resolved;
}

/** Authorizes the caller on a key by its key policy, worded as KMS words denials. */
export function authorizeKey(ctx: RequestContext, access: Omit<KeyAccess, 'callerAccount'>): void {
  const request = keyRequest({ ...access, callerAccount: ctx.accountId });
  try {
    ctx.authorize(request);
  } catch (error) {
    if (error instanceof AwsError && error.code === 'AccessDeniedException') {
      throw accessDenied(rewordDenial(error.message, ctx.principal.arn, request.action, request.resource));
    }
    throw error;
  }
}

/** Resolves the key an operation names and authorizes `kms:<operation>` on it. */
export function useKey(
  ctx: KmsContext,
  ref: string | undefined,
  extra: Partial<Omit<KeyAccess, 'callerAccount' | 'key'>> = {},
): ResolvedKey {
  const resolved = keyFor(ctx, ref);
  authorizeKey(ctx, {
    ...extra,
    action: extra.action ?? `kms:${ctx.operation}`,
    key: resolved.key,
    requestAlias: resolved.requestAlias,
  });
  return resolved;
}

/** Opaque Limit/Marker paging, as KMS's List* operations page. */
export function page<T>(
  items: T[],
  limit: number | undefined,
  marker: string | undefined,
  max: number,
  dflt: number,
): { items: T[]; next?: string } {
  const size = limit ?? dflt;
  if (size < 1 || size > max) {
    throw validation(
      `1 validation error detected: Value '${size}' at 'limit' failed to satisfy constraint: Member must have value ${size < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`,
    );
  }
  const start =
    marker === undefined ? 0 : Number.parseInt(Buffer.from(marker, 'base64').toString('utf8'), 10);
  if (Number.isNaN(start) || start < 0) throw new AwsError('InvalidMarkerException', 'Invalid marker');
  const end = start + size;
  return {
    items: items.slice(start, end),
    ...(end < items.length && { next: Buffer.from(String(end)).toString('base64') }),
  };
}
