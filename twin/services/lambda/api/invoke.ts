import type { InvocationRequest, InvocationResponse } from '@aws-sdk/client-lambda';
import type { Handler } from '../../../core/service.ts';
import { validationError } from '../errors.ts';
import type { LambdaModel } from '../model/index.ts';
import { type InvocationType, invoke } from '../model/invoke.ts';
import { resolveFunction } from './shared.ts';

const TYPES: InvocationType[] = ['RequestResponse', 'Event', 'DryRun'];

/**
 * Invoke. The response's request id is the invocation's: the function
 * sees it as context.awsRequestId and logs it, so a caller can find the
 * invocation's log lines by the x-amzn-RequestId it got back.
 */
export const invokeHandlers: Record<string, Handler<LambdaModel>> = {
  async Invoke(_model, input: InvocationRequest, ctx): Promise<InvocationResponse> {
    const invocationType = (input.InvocationType ?? 'RequestResponse') as InvocationType;
    if (!TYPES.includes(invocationType)) {
      throw validationError(
        'invocationType',
        invocationType,
        `Member must satisfy enum value set: [${TYPES.join(', ')}]`,
      );
    }
    if (input.LogType !== undefined && input.LogType !== 'None' && input.LogType !== 'Tail') {
      throw validationError('logType', input.LogType, 'Member must satisfy enum value set: [None, Tail]');
    }
    const { model, fn } = resolveFunction(ctx, input.FunctionName, input.Qualifier);
    const result = await invoke(ctx.twin, model, fn, {
      requestId: ctx.requestId,
      payload: input.Payload,
      invocationType,
      // "Up to 3,583 bytes of base64-encoded data about the invoking client to pass to the function in the context object."
      ...(input.ClientContext && {
        clientContext: Buffer.from(input.ClientContext, 'base64').toString('utf8'),
      }),
    });
    const tail = input.LogType === 'Tail' && invocationType === 'RequestResponse';
    return {
      StatusCode: result.statusCode,
      ...(result.functionError && { FunctionError: result.functionError }),
      ...(tail && { LogResult: result.logTail }),
      ...(result.executedVersion && { ExecutedVersion: result.executedVersion }),
      ...(result.statusCode === 200 && { Payload: result.payload }),
    };
  },
};
