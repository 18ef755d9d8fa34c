import type { Twin } from '../../twin.ts';
import { lambda } from './api.ts';
import { functionNotFound } from './errors.ts';
import { mappingState } from './model/event-source-mappings.ts';
import type { LambdaModel } from './model/index.ts';
import { type InvokeResult, invoke } from './model/invoke.ts';
import { parseFunctionRef } from './model/names.ts';

export type { InvokeResult } from './model/invoke.ts';

/**
 * What the rest of the twin needs of Lambda: invoking a function as the
 * service itself does (an SQS event source mapping delivering a batch),
 * and the mappings to poll for. No caller's permission is checked: Lambda
 * invokes the function for the mapping.
 */

function existingModel(twin: Twin, accountId: string, region: string): LambdaModel | undefined {
  return twin.hasAccount(accountId) ? twin.model(lambda, accountId, region) : undefined;
}

/**
 * Invokes a function by ARN. Throws Lambda's own errors (the function is
 * gone, not Active yet, too many invocations at once).
 *
 * @example const r = await invokeFunction(twin, { functionArn, payload: Buffer.from(JSON.stringify({ Records })), invocationType: 'RequestResponse' });
 */
export async function invokeFunction(
  twin: Twin,
  request: { functionArn: string; payload: Buffer; invocationType: 'RequestResponse' | 'Event' },
): Promise<InvokeResult> {
  const ref = parseFunctionRef(request.functionArn, '', '');
  const model = existingModel(twin, ref.accountId, ref.region);
  const fn = model?.functions.get(ref.name);
  if (!model || !fn) throw functionNotFound(ref.arn);
  return invoke(twin, model, fn, {
    requestId: twin.ids.uuid(),
    payload: request.payload,
    invocationType: request.invocationType,
  });
}

export interface EventSourceMappingView {
  uuid: string;
  functionArn: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  /** Whether Lambda polls for it now: the mapping is Enabled (not Creating, Updating or Disabled). */
  enabled: boolean;
  state: 'Creating' | 'Enabled' | 'Disabled' | 'Updating';
  /** The function's execution role, which polls the queue; undefined once the function is gone. */
  roleArn: string | undefined;
}

/** Every event source mapping in the twin, across accounts and regions, as it is now. */
export function listEventSourceMappings(twin: Twin): EventSourceMappingView[] {
  const now = twin.clock.now();
  return twin.modelsOf(lambda).flatMap(([, model]) =>
    [...model.eventSourceMappings.values()].map((m) => {
      const state = mappingState(m, now);
      const fn = [...model.functions.values()].find((f) => f.arn === m.functionArn);
      return {
        uuid: m.uuid,
        functionArn: m.functionArn,
        eventSourceArn: m.eventSourceArn,
        batchSize: m.batchSize,
        maximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
        enabled: state === 'Enabled',
        state,
        roleArn: fn?.role,
      };
    }),
  );
}
