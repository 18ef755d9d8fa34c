import type {
  CreateTagsRequest,
  DeleteTagsRequest,
  DescribeTagsRequest,
  DescribeTagsResult,
  ResourceType,
  TagDescription,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import type { Accessors } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import { allTaggables, createTags, deleteTags } from '../model/tags.ts';
import { describe, withDryRun, worldOf } from './shared.ts';

type TagItem = TagDescription & { tags: Record<string, string> };

/** DescribeTags filters (API_DescribeTags); `tag:Key` matches the tag itself. */
const tagFilters: Accessors<TagItem> = {
  key: (t) => t.Key,
  'resource-id': (t) => t.ResourceId,
  'resource-type': (t) => t.ResourceType,
  value: (t) => t.Value,
};

function resourcesOf(input: { Resources?: string[] | undefined }): string[] {
  if (!input.Resources?.length)
    throw new AwsError('MissingParameter', 'The request must contain the parameter resourceIdSet');
  return input.Resources;
}

export const tagHandlers = withDryRun({
  CreateTags(model: Ec2Model, input: CreateTagsRequest, ctx: RequestContext): object {
    const tags = (input.Tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
    createTags(model, worldOf(ctx), resourcesOf(input), tags, ctx.time);
    return {};
  },

  DeleteTags(model: Ec2Model, input: DeleteTagsRequest, ctx: RequestContext): object {
    const tags = input.Tags?.map((t) => ({
      ...(t.Key !== undefined && { Key: t.Key }),
      ...(t.Value !== undefined && { Value: t.Value }),
    }));
    deleteTags(model, worldOf(ctx), resourcesOf(input), tags, ctx.time);
    return {};
  },

  DescribeTags(model: Ec2Model, input: DescribeTagsRequest, ctx: RequestContext): DescribeTagsResult {
    const items: TagItem[] = allTaggables(model, worldOf(ctx), ctx.time).flatMap((r) =>
      Object.entries(r.tags).map(([Key, Value]) => ({
        Key,
        Value,
        ResourceId: r.id,
        ResourceType: r.type as ResourceType,
        tags: { [Key]: Value },
      })),
    );
    const { page, nextToken } = describe(items, input, {
      idOf: (t) => t.ResourceId!,
      missing: () => new AwsError('InvalidID', ''),
      accessors: tagFilters,
    });
    return { Tags: page.map(({ tags: _tags, ...rest }) => rest), NextToken: nextToken };
  },
});
