import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { errorWords, invokeWriter, waitForReportLine } from '../../../../helpers/application/writer.ts';
import { CannotTellError, LabDeviationError } from '../../../../helpers/errors.ts';
import { awsError, mockedClients } from '../support.ts';

const lambda = mockClient(LambdaClient);
const logs = mockClient(CloudWatchLogsClient);
beforeEach(() => {
  lambda.on(GetFunctionConfigurationCommand).resolves({ State: 'Active' });
});
afterEach(() => {
  lambda.reset();
  logs.reset();
});

const refused =
  'An error occurred (AccessDeniedException) when calling the PutItem operation: User: arn:aws:sts::111122223333:assumed-role/WriterRole/Writer is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:111122223333:table/Events';

describe('invokeWriter: the invocation and its own words', () => {
  test('a handler that threw answers 200 with FunctionError: evidence, carried with the request id', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: Buffer.from(JSON.stringify({ errorType: 'ClientError', errorMessage: refused })) as never,
      $metadata: { requestId: 'req-1' },
    });
    const call = await invokeWriter(mockedClients(), 'Writer', {});
    expect(call).toMatchObject({ requestId: 'req-1', functionError: 'Unhandled' });
    expect(errorWords(call.payload)).toBe(`ClientError: ${refused}`);
  });

  test('a function that is not there is the lab’s deviation; a refused invoke is the suite’s', async () => {
    lambda
      .on(InvokeCommand)
      .rejectsOnce(awsError('ResourceNotFoundException', 404))
      .rejectsOnce(awsError('AccessDeniedException', 403));
    await expect(invokeWriter(mockedClients(), 'Writer', {})).rejects.toBeInstanceOf(LabDeviationError);
    await expect(invokeWriter(mockedClients(), 'Writer', {})).rejects.toBeInstanceOf(CannotTellError);
  });

  test('a writer still Pending after a deploy is invoked once Active, not reported as refused', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolvesOnce({ State: 'Pending', StateReasonCode: 'Creating' })
      .resolves({ State: 'Active' });
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, $metadata: { requestId: 'req-2' } });
    const call = await invokeWriter(mockedClients(), 'Writer', {});
    expect(call.requestId).toBe('req-2');
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(2);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
  });

  test('a writer whose deploy Failed is the lab’s deviation, and is not invoked', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolves({ State: 'Failed', StateReasonCode: 'SubnetOutOfIPAddresses', StateReason: 'no addresses' });
    await expect(invokeWriter(mockedClients(), 'Writer', {})).rejects.toBeInstanceOf(LabDeviationError);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  test('an answer without a request id cannot be told apart from another invocation', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, $metadata: {} });
    await expect(invokeWriter(mockedClients(), 'Writer', {})).rejects.toBeInstanceOf(CannotTellError);
  });
});

describe('waitForReportLine: this request’s REPORT line, not another’s', () => {
  const line = (id: string, extra = '') =>
    `REPORT RequestId: ${id}\tDuration: 12.00 ms\tBilled Duration: 12 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t${extra}\n`;
  const call = { requestId: 'req-ours', sentAt: Date.now(), functionName: 'Writer' };

  test('another request’s REPORT line in the group is passed over', async () => {
    logs.on(FilterLogEventsCommand).resolves({
      events: [
        { logStreamName: 's1', message: line('req-other') },
        { logStreamName: 's2', message: line('req-ours') },
      ],
    });
    const found = await waitForReportLine(mockedClients(), call, {
      logGroup: '/aws/lambda/Writer',
      timeoutMs: 1_000,
    });
    expect(found).toMatchObject({ logStream: 's2', trouble: undefined });
  });

  test('a REPORT line with the runtime’s Status names the trouble', async () => {
    logs.on(FilterLogEventsCommand).resolves({
      events: [{ logStreamName: 's1', message: line('req-ours', 'Status: timeout') }],
    });
    const found = await waitForReportLine(mockedClients(), call, {
      logGroup: '/aws/lambda/Writer',
      timeoutMs: 1_000,
    });
    expect(found.trouble).toBe('Status: timeout');
  });

  test('only another request’s line until the bound: the lab deviates, saying what it waited for', async () => {
    logs
      .on(FilterLogEventsCommand)
      .resolves({ events: [{ logStreamName: 's1', message: line('req-other') }] });
    const error = await waitForReportLine(mockedClients(), call, {
      logGroup: '/aws/lambda/Writer',
      timeoutMs: 800,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabDeviationError);
    expect((error as Error).message).toContain('REPORT line of Writer');
  });

  test('a log group not made yet is "not yet"; one the runner may not read is cannot-tell', async () => {
    logs.on(FilterLogEventsCommand).rejects(awsError('AccessDeniedException', 400));
    await expect(
      waitForReportLine(mockedClients(), call, { logGroup: '/aws/lambda/Writer', timeoutMs: 800 }),
    ).rejects.toBeInstanceOf(CannotTellError);
  });
});
