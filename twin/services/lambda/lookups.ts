import type { Twin } from '../../twin.ts';

/**
 * How the twin itself invokes a function (an SQS event source mapping
 * delivering a batch). Placeholder until the Lambda service lands.
 */
export interface InvokeResult {
  statusCode: number;
  functionError?: 'Unhandled' | 'Handled';
  payload: Buffer;
  logTail: string;
}

export async function invokeFunction(
  _twin: Twin,
  _request: { functionArn: string; payload: Buffer; invocationType: 'RequestResponse' | 'Event' },
): Promise<InvokeResult> {
  throw new Error('the Lambda service is not in the twin yet');
}
