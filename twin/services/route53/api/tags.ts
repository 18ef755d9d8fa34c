import type { ChangeTagsForResourceRequest, ListTagsForResourceRequest } from '@aws-sdk/client-route-53';
import type { Handler } from '../../../core/service.ts';
import { invalidInput } from '../errors.ts';
import type { Route53Model } from '../model/index.ts';

/** Tags of hosted zones; health checks are not served (api.ts LIMITATIONS). */
function taggedZone(model: Route53Model, type: string | undefined, id: string | undefined) {
  if (type !== 'hostedzone')
    throw invalidInput(`Invalid request: the twin serves tags of hosted zones only, not ${type}`);
  return model.zone(id);
}

export const tagHandlers: Record<string, Handler<Route53Model>> = {
  /**
   * "You can add a maximum of 10 tags to a health check or a hosted zone"
   * in one request (API Reference, ChangeTagsForResource, AddTags).
   */
  ChangeTagsForResource(model, input: ChangeTagsForResourceRequest) {
    const zone = taggedZone(model, input.ResourceType, input.ResourceId);
    const adding = input.AddTags ?? [];
    const removing = input.RemoveTagKeys ?? [];
    if (adding.length > 10) throw invalidInput('Invalid request: AddTags can hold at most 10 tags');
    const tags = new Map(zone.tags);
    for (const key of removing) tags.delete(key);
    for (const tag of adding) tags.set(tag.Key ?? '', tag.Value ?? '');
    zone.tags = tags;
    return {};
  },

  ListTagsForResource(model, input: ListTagsForResourceRequest) {
    const zone = taggedZone(model, input.ResourceType, input.ResourceId);
    return {
      ResourceTagSet: {
        ResourceType: 'hostedzone',
        ResourceId: zone.id,
        Tags: [...zone.tags].map(([Key, Value]) => ({ Key, Value })),
      },
    };
  },
};
