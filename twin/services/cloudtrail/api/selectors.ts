import type {
  GetEventSelectorsRequest,
  GetEventSelectorsResponse,
  GetInsightSelectorsRequest,
  GetInsightSelectorsResponse,
  PutEventSelectorsRequest,
  PutEventSelectorsResponse,
  PutInsightSelectorsRequest,
  PutInsightSelectorsResponse,
} from '@aws-sdk/client-cloudtrail';
import type { Handler } from '../../../core/service.ts';
import { insightNotEnabled, invalidInsightSelectors } from '../errors.ts';
import type { CloudTrailModel } from '../model/index.ts';
import { DEFAULT_SELECTORS, putSelectors } from '../model/selectors.ts';
import { findTrail, ownTrail } from '../model/trails.ts';
import { scopeOf } from './shared.ts';

const INSIGHT_TYPES = new Set(['ApiCallRateInsight', 'ApiErrorRateInsight']);

export const selectorHandlers: Record<string, Handler<CloudTrailModel>> = {
  PutEventSelectors(model, input: PutEventSelectorsRequest, ctx): PutEventSelectorsResponse {
    const trail = ownTrail(scopeOf(ctx, model), input.TrailName);
    putSelectors(trail, input.EventSelectors, input.AdvancedEventSelectors);
    return {
      TrailARN: trail.arn,
      ...(trail.eventSelectors && { EventSelectors: trail.eventSelectors }),
      ...(trail.advancedEventSelectors && { AdvancedEventSelectors: trail.advancedEventSelectors }),
    };
  },

  GetEventSelectors(model, input: GetEventSelectorsRequest, ctx): GetEventSelectorsResponse {
    const trail = findTrail(scopeOf(ctx, model), input.TrailName);
    return trail.advancedEventSelectors
      ? { TrailARN: trail.arn, AdvancedEventSelectors: trail.advancedEventSelectors }
      : { TrailARN: trail.arn, EventSelectors: trail.eventSelectors ?? DEFAULT_SELECTORS };
  },

  /** Insights are stored, not computed (LIMITATIONS); an empty list turns them off (API_PutInsightSelectors). */
  PutInsightSelectors(model, input: PutInsightSelectorsRequest, ctx): PutInsightSelectorsResponse {
    const trail = ownTrail(scopeOf(ctx, model), input.TrailName);
    const selectors = input.InsightSelectors ?? [];
    for (const s of selectors)
      if (!INSIGHT_TYPES.has(s.InsightType ?? ''))
        throw invalidInsightSelectors(`Value ${s.InsightType} for InsightType is invalid.`);
    trail.insightSelectors = selectors;
    return { TrailARN: trail.arn, InsightSelectors: selectors };
  },

  GetInsightSelectors(model, input: GetInsightSelectorsRequest, ctx): GetInsightSelectorsResponse {
    const trail = findTrail(scopeOf(ctx, model), input.TrailName);
    if (!trail.insightSelectors.length) throw insightNotEnabled(trail.arn);
    return { TrailARN: trail.arn, InsightSelectors: trail.insightSelectors };
  },
};
