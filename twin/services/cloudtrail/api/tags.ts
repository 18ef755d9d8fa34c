import type {
  AddTagsRequest,
  ListTagsRequest,
  ListTagsResponse,
  RemoveTagsRequest,
  Tag,
} from '@aws-sdk/client-cloudtrail';
import type { Handler } from '../../../core/service.ts';
import { cloudtrailArnInvalid, resourceNotFound } from '../errors.ts';
import type { CloudTrailModel } from '../model/index.ts';
import { parseTrailArn } from '../model/names.ts';
import type { TrailRecord } from '../model/state.ts';
import { visibleTrails } from '../model/trails.ts';
import { type CloudTrailContext, scopeOf } from './shared.ts';

/** Tagged trails are named by ARN ("ResourceId … the ARN of the trail", API_AddTags). */
function tagged(model: CloudTrailModel, ctx: CloudTrailContext, arn: string | undefined): TrailRecord {
  if (!arn || !parseTrailArn(arn)) throw cloudtrailArnInvalid(arn ?? '');
  const trail = visibleTrails(scopeOf(ctx, model)).find((t) => t.arn === arn);
  if (!trail) throw resourceNotFound(arn);
  return trail;
}

export const tagHandlers: Record<string, Handler<CloudTrailModel>> = {
  AddTags(model, input: AddTagsRequest, ctx): object {
    const trail = tagged(model, ctx, input.ResourceId);
    for (const tag of (input.TagsList ?? []) as Tag[]) {
      const existing = trail.tags.find((t) => t.Key === tag.Key);
      if (existing) existing.Value = tag.Value;
      else trail.tags.push({ Key: tag.Key, Value: tag.Value });
    }
    return {};
  },

  RemoveTags(model, input: RemoveTagsRequest, ctx): object {
    const trail = tagged(model, ctx, input.ResourceId);
    const drop = new Set((input.TagsList ?? []).map((t) => t.Key));
    trail.tags = trail.tags.filter((t) => !drop.has(t.Key));
    return {};
  },

  ListTags(model, input: ListTagsRequest, ctx): ListTagsResponse {
    return {
      ResourceTagList: (input.ResourceIdList ?? []).map((arn) => ({
        ResourceId: arn,
        TagsList: tagged(model, ctx, arn).tags,
      })),
    };
  },
};
