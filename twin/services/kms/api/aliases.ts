import type {
  AliasListEntry,
  CreateAliasRequest,
  DeleteAliasRequest,
  ListAliasesRequest,
  ListAliasesResponse,
  UpdateAliasRequest,
} from '@aws-sdk/client-kms';
import type { RequestContext } from '../../../core/context.ts';
import type { Handler } from '../../../core/service.ts';
import { validation } from '../errors.ts';
import { aliasArn, checkAliasName, createAlias, getAlias, unboundManagedAliases } from '../model/aliases.ts';
import type { KmsModel } from '../model/index.ts';
import { requireNotPendingDeletion } from '../model/keys.ts';
import type { AliasRecord } from '../model/state.ts';
import { authorizeKey, type KmsContext, keyFor, page } from './shared.ts';

/**
 * Alias operations need permission on the alias (an IAM policy: "The alias
 * … is not a resource with a key policy") and on the key it points to (its
 * key policy) — API_CreateAlias, "Required permissions".
 */
function authorizeAlias(ctx: RequestContext, model: KmsModel, name: string): void {
  ctx.authorize({ action: `kms:${ctx.operation}`, resource: aliasArn(model, name) });
}

/** The target of CreateAlias / UpdateAlias: a key of the caller's account, named by id or ARN. */
function targetKey(ctx: KmsContext, ref: string | undefined) {
  if (ref?.startsWith('alias/') || /:alias\//.test(ref ?? ''))
    throw validation('Aliases must refer to keys. Not aliases');
  const { key } = keyFor(ctx, ref);
  authorizeKey(ctx, { action: `kms:${ctx.operation}`, key });
  requireNotPendingDeletion(key);
  return key;
}

function entry(alias: AliasRecord): AliasListEntry {
  return {
    AliasName: alias.name,
    AliasArn: alias.arn,
    TargetKeyId: alias.targetKeyId,
    CreationDate: new Date(alias.createdAt),
    LastUpdatedDate: new Date(alias.updatedAt),
  };
}

/**
 * ListAliases: "The response might also include aliases that have no
 * TargetKeyId field. These are predefined aliases that AWS has created but
 * has not yet associated with a KMS key" (API_ListAliases).
 */
function listed(model: KmsModel, ctx: KmsContext, keyId: string | undefined): AliasListEntry[] {
  if (keyId !== undefined) {
    const { key } = keyFor(ctx, keyId);
    return [...model.aliases.values()].filter((a) => a.targetKeyId === key.keyId).map(entry);
  }
  const bound = [...model.aliases.values()].map(entry);
  const predefined = unboundManagedAliases(model).map((name) => ({
    AliasName: name,
    AliasArn: aliasArn(model, name),
  }));
  return [...bound, ...predefined].sort((a, b) => (a.AliasName! < b.AliasName! ? -1 : 1));
}

export const aliasHandlers: Record<string, Handler<KmsModel>> = {
  CreateAlias(model, input: CreateAliasRequest, ctx): object {
    checkAliasName(input.AliasName ?? '');
    authorizeAlias(ctx, model, input.AliasName!);
    createAlias(model, input.AliasName!, targetKey(ctx, input.TargetKeyId));
    return {};
  },

  UpdateAlias(model, input: UpdateAliasRequest, ctx): object {
    checkAliasName(input.AliasName ?? '');
    const alias = getAlias(model, input.AliasName!);
    authorizeAlias(ctx, model, alias.name);
    const old = model.keys().find((k) => k.keyId === alias.targetKeyId);
    if (old) authorizeKey(ctx, { action: 'kms:UpdateAlias', key: old });
    alias.targetKeyId = targetKey(ctx, input.TargetKeyId).keyId;
    alias.updatedAt = model.now;
    return {};
  },

  DeleteAlias(model, input: DeleteAliasRequest, ctx): object {
    checkAliasName(input.AliasName ?? '');
    const alias = getAlias(model, input.AliasName!);
    authorizeAlias(ctx, model, alias.name);
    const key = model.keys().find((k) => k.keyId === alias.targetKeyId);
    if (key) authorizeKey(ctx, { action: 'kms:DeleteAlias', key });
    model.aliases.delete(alias.name);
    return {};
  },

  ListAliases(model, input: ListAliasesRequest, ctx): ListAliasesResponse {
    const { items, next } = page(listed(model, ctx, input.KeyId), input.Limit, input.Marker, 100, 50);
    return { Aliases: items, Truncated: next !== undefined, ...(next && { NextMarker: next }) };
  },
};
