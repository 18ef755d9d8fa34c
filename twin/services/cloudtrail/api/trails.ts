import type {
  CreateTrailRequest,
  CreateTrailResponse,
  DeleteTrailRequest,
  DescribeTrailsRequest,
  DescribeTrailsResponse,
  GetTrailRequest,
  GetTrailResponse,
  GetTrailStatusRequest,
  GetTrailStatusResponse,
  ListTrailsResponse,
  StartLoggingRequest,
  StopLoggingRequest,
  UpdateTrailRequest,
  UpdateTrailResponse,
} from '@aws-sdk/client-cloudtrail';
import type { Handler } from '../../../core/service.ts';
import { startLogging, stopLogging } from '../model/delivery.ts';
import { isoSeconds } from '../model/events.ts';
import type { CloudTrailModel } from '../model/index.ts';
import type { TrailStatus } from '../model/state.ts';
import {
  createTrail,
  deleteTrail,
  findTrail,
  ownTrail,
  updateTrail,
  visibleTrails,
} from '../model/trails.ts';
import { scopeOf, trailOut } from './shared.ts';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/** GetTrailStatus: times as dates, and the "…Attempt…" fields CloudTrail also sends as text. */
function statusOut(s: TrailStatus): GetTrailStatusResponse {
  return {
    IsLogging: s.logging,
    ...(s.latestDeliveryError && { LatestDeliveryError: s.latestDeliveryError }),
    LatestDeliveryTime: date(s.latestDeliveryTime),
    StartLoggingTime: date(s.startedAt),
    StopLoggingTime: date(s.stoppedAt),
    ...(s.latestCloudWatchLogsDeliveryError && {
      LatestCloudWatchLogsDeliveryError: s.latestCloudWatchLogsDeliveryError,
    }),
    LatestCloudWatchLogsDeliveryTime: date(s.latestCloudWatchLogsDeliveryTime),
    LatestDeliveryAttemptTime:
      s.latestDeliveryAttemptTime === undefined ? '' : isoSeconds(s.latestDeliveryAttemptTime),
    LatestDeliveryAttemptSucceeded:
      s.latestDeliveryAttemptTime === undefined
        ? ''
        : s.latestDeliveryError
          ? ''
          : isoSeconds(s.latestDeliveryAttemptTime),
    LatestNotificationAttemptTime: '',
    LatestNotificationAttemptSucceeded: '',
    TimeLoggingStarted: s.startedAt === undefined ? '' : isoSeconds(s.startedAt),
    TimeLoggingStopped: s.stoppedAt === undefined ? '' : isoSeconds(s.stoppedAt),
  };
}

export const trailHandlers: Record<string, Handler<CloudTrailModel>> = {
  CreateTrail(model, input: CreateTrailRequest, ctx): CreateTrailResponse {
    return trailOut(createTrail(scopeOf(ctx, model), input));
  },

  UpdateTrail(model, input: UpdateTrailRequest, ctx): UpdateTrailResponse {
    return trailOut(updateTrail(scopeOf(ctx, model), input));
  },

  DeleteTrail(model, input: DeleteTrailRequest, ctx): object {
    deleteTrail(scopeOf(ctx, model), input.Name);
    return {};
  },

  GetTrail(model, input: GetTrailRequest, ctx): GetTrailResponse {
    return { Trail: trailOut(findTrail(scopeOf(ctx, model), input.Name)) };
  },

  /** "includeShadowTrails … The default is true"; trailNameList takes names or ARNs (API_DescribeTrails). */
  DescribeTrails(model, input: DescribeTrailsRequest, ctx): DescribeTrailsResponse {
    const scope = scopeOf(ctx, model);
    const trails = input.includeShadowTrails === false ? [...model.trails.values()] : visibleTrails(scope);
    const wanted = input.trailNameList?.length ? new Set(input.trailNameList) : undefined;
    return {
      trailList: trails.filter((t) => !wanted || wanted.has(t.name) || wanted.has(t.arn)).map(trailOut),
    };
  },

  /** ListTrails lists the account's trails of every Region, with their home Region. */
  ListTrails(model, _input, ctx): ListTrailsResponse {
    const trails = scopeOf(ctx, model)
      .siblings()
      .flatMap((m) => [...m.trails.values()]);
    return { Trails: trails.map((t) => ({ TrailARN: t.arn, Name: t.name, HomeRegion: t.homeRegion })) };
  },

  StartLogging(model, input: StartLoggingRequest, ctx): object {
    startLogging(ctx.twin, ownTrail(scopeOf(ctx, model), input.Name));
    return {};
  },

  StopLogging(model, input: StopLoggingRequest, ctx): object {
    stopLogging(ctx.twin, ownTrail(scopeOf(ctx, model), input.Name));
    return {};
  },

  GetTrailStatus(model, input: GetTrailStatusRequest, ctx): GetTrailStatusResponse {
    return statusOut(findTrail(scopeOf(ctx, model), input.Name).status);
  },
};
