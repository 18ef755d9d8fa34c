import type { LookupEventsRequest, LookupEventsResponse } from '@aws-sdk/client-cloudtrail';
import type { Handler } from '../../../core/service.ts';
import type { CloudTrailModel } from '../model/index.ts';
import { lookupEvents, throttle } from '../model/lookup.ts';

export const lookupHandlers: Record<string, Handler<CloudTrailModel>> = {
  LookupEvents(model, input: LookupEventsRequest): LookupEventsResponse {
    throttle(model);
    return lookupEvents(model, input);
  },
};
