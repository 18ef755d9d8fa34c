import type { Tag } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import { validationError } from '../errors.ts';

/**
 * Describe* pages: "The maximum number of results to return with this
 * call" is 400 (PageSize 1–400); the marker is the twin's own offset.
 */
export function page<T>(
  items: T[],
  marker: string | undefined,
  size: number | undefined,
): { items: T[]; next?: string } {
  const limit = size ?? 400;
  if (limit < 1 || limit > 400) throw validationError('Page size must be between 1 and 400');
  const start = marker ? Number(Buffer.from(marker, 'base64').toString('utf8')) || 0 : 0;
  const out = items.slice(start, start + limit);
  return start + limit < items.length
    ? { items: out, next: Buffer.from(String(start + limit)).toString('base64') }
    : { items: out };
}

/**
 * Tags given on create: keys unique (DuplicateTagKeys), at most 50
 * ("TooManyTags": "You've reached the limit on the number of tags for this resource").
 */
export function tagsOf(tags: Tag[] | undefined, into = new Map<string, string>()): Map<string, string> {
  const keys = new Set<string>();
  for (const t of tags ?? []) {
    const key = t.Key ?? '';
    if (!key) throw validationError('A tag key must be specified');
    if (keys.has(key)) throw new AwsError('DuplicateTagKeysException', `Tag key '${key}' is duplicated`);
    keys.add(key);
  }
  const out = new Map(into);
  for (const t of tags ?? []) out.set(t.Key ?? '', t.Value ?? '');
  if (out.size > 50)
    throw new AwsError(
      'TooManyTagsException',
      "You've reached the limit on the number of tags for this resource",
    );
  return out;
}

/**
 * Tagging on create needs `elasticloadbalancing:AddTags` too ("To tag a
 * resource on creation, you must have permission to use the action that
 * creates the resource and the AddTags action", ELB User Guide,
 * "Identity and access management", resource tagging on creation).
 */
export function authorizeTagging(ctx: RequestContext, arn: string): void {
  ctx.authorize({ action: 'elasticloadbalancing:AddTags', resource: arn, resourceAccount: ctx.accountId });
}
