import type {
  ListResourceTagsRequest,
  ListResourceTagsResponse,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-kms';
import type { Handler } from '../../../core/service.ts';
import { tagError } from '../errors.ts';
import type { KmsModel } from '../model/index.ts';
import { requireNotPendingDeletion } from '../model/keys.ts';
import type { KmsTag } from '../model/state.ts';
import { page, useKey } from './shared.ts';

/**
 * Tag rules of KMS ("Tagging keys": keys 1–128 characters, values up to
 * 256, and "you cannot … use the aws: prefix", a prefix reserved for AWS).
 */
export function checkTags(tags: KmsTag[]): KmsTag[] {
  for (const t of tags) {
    if (!t.TagKey || t.TagKey.length > 128 || (t.TagValue ?? '').length > 256) {
      throw tagError(`Tag key or value does not satisfy constraints: ${t.TagKey}`);
    }
    if (t.TagKey.toLowerCase().startsWith('aws:'))
      throw tagError('Tags beginning with aws: are reserved for AWS use');
  }
  return tags.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue ?? '' }));
}

export const tagHandlers: Record<string, Handler<KmsModel>> = {
  TagResource(_model, input: TagResourceRequest, ctx): object {
    const { key } = useKey(ctx, input.KeyId);
    requireNotPendingDeletion(key);
    for (const tag of checkTags((input.Tags ?? []) as KmsTag[])) {
      const existing = key.tags.find((t) => t.TagKey === tag.TagKey);
      if (existing) existing.TagValue = tag.TagValue;
      else key.tags.push(tag);
    }
    return {};
  },

  UntagResource(_model, input: UntagResourceRequest, ctx): object {
    const { key } = useKey(ctx, input.KeyId);
    requireNotPendingDeletion(key);
    const drop = new Set(input.TagKeys ?? []);
    key.tags = key.tags.filter((t) => !drop.has(t.TagKey));
    return {};
  },

  ListResourceTags(_model, input: ListResourceTagsRequest, ctx): ListResourceTagsResponse {
    const { key } = useKey(ctx, input.KeyId);
    const { items, next } = page(key.tags, input.Limit, input.Marker, 50, 50);
    return { Tags: items, Truncated: next !== undefined, ...(next && { NextMarker: next }) };
  },
};
