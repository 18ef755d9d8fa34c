import type {
  CreateEventSourceMappingRequest,
  DeleteEventSourceMappingRequest,
  EventSourceMappingConfiguration,
  GetEventSourceMappingRequest,
  ListEventSourceMappingsRequest,
  ListEventSourceMappingsResponse,
  UpdateEventSourceMappingRequest,
} from '@aws-sdk/client-lambda';
import type { Handler } from '../../../core/service.ts';
import { validationError } from '../errors.ts';
import { createMapping, deleteMapping, getMapping, updateMapping } from '../model/event-source-mappings.ts';
import type { LambdaModel } from '../model/index.ts';
import { parseFunctionRef } from '../model/names.ts';
import { renderMapping } from './render.ts';
import { resolveFunction } from './shared.ts';

export const mappingHandlers: Record<string, Handler<LambdaModel>> = {
  CreateEventSourceMapping(
    model,
    input: CreateEventSourceMappingRequest,
    ctx,
  ): EventSourceMappingConfiguration {
    const { fn } = resolveFunction(ctx, input.FunctionName);
    const mapping = createMapping(ctx.twin, model, fn, {
      eventSourceArn: input.EventSourceArn ?? '',
      batchSize: input.BatchSize,
      maximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds,
      enabled: input.Enabled,
      functionResponseTypes: input.FunctionResponseTypes,
    });
    return renderMapping(mapping, ctx.twin.clock.now());
  },

  GetEventSourceMapping(model, input: GetEventSourceMappingRequest, ctx): EventSourceMappingConfiguration {
    return renderMapping(getMapping(model, input.UUID), ctx.twin.clock.now());
  },

  ListEventSourceMappings(
    model,
    input: ListEventSourceMappingsRequest,
    ctx,
  ): ListEventSourceMappingsResponse {
    const size = input.MaxItems ?? 100;
    if (size < 1 || size > 10_000)
      throw validationError('maxItems', size, 'Member must have value between 1 and 10000');
    const fnArn = input.FunctionName && parseFunctionRef(input.FunctionName, ctx.accountId, ctx.region).arn;
    const all = [...model.eventSourceMappings.values()].filter(
      (m) =>
        (!fnArn || m.functionArn === fnArn) &&
        (!input.EventSourceArn || m.eventSourceArn === input.EventSourceArn),
    );
    const start = input.Marker ? Number(Buffer.from(input.Marker, 'base64url').toString()) || 0 : 0;
    const page = all.slice(start, start + size);
    const now = ctx.twin.clock.now();
    return {
      EventSourceMappings: page.map((m) => renderMapping(m, now)),
      ...(start + size < all.length && {
        NextMarker: Buffer.from(String(start + size)).toString('base64url'),
      }),
    };
  },

  UpdateEventSourceMapping(
    model,
    input: UpdateEventSourceMappingRequest,
    ctx,
  ): EventSourceMappingConfiguration {
    const mapping = getMapping(model, input.UUID);
    const functionArn = input.FunctionName ? resolveFunction(ctx, input.FunctionName).fn.arn : undefined;
    updateMapping(ctx.twin, mapping, {
      batchSize: input.BatchSize,
      maximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds,
      enabled: input.Enabled,
      functionArn,
    });
    return renderMapping(mapping, ctx.twin.clock.now());
  },

  DeleteEventSourceMapping(
    model,
    input: DeleteEventSourceMappingRequest,
    ctx,
  ): EventSourceMappingConfiguration {
    const mapping = getMapping(model, input.UUID);
    deleteMapping(ctx.twin, model, mapping);
    return renderMapping(mapping, ctx.twin.clock.now(), 'Deleting');
  },
};
