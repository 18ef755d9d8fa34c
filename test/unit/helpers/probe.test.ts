import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { CannotTellError } from '../../../helpers/errors.ts';
import { invokeProbe, readProbeReport } from '../../../helpers/probe.ts';
import type { Attempt, AttemptResult } from '../../../probes/s3-reach/attempts.ts';

const attempts: Attempt[] = [
  { name: 's3 list', kind: 's3', operation: 'ListObjectsV2', bucket: 'b' },
  { name: 'internet', kind: 'internet', host: 'example.com' },
];
const result = (name: string, kind: Attempt['kind'], outcome = 'ok'): AttemptResult =>
  ({ name, kind, outcome, latencyMs: 5 }) as AttemptResult;
const report = (results: unknown[]) =>
  JSON.stringify({ probe: 'meshcheck-s3-reach', region: 'us-east-1', results });

describe('readProbeReport: a report without the attempts asked for is an error', () => {
  test('a full report is read as it is', () => {
    const r = readProbeReport(
      report([result('s3 list', 's3'), result('internet', 'internet', 'timeout')]),
      attempts,
      'fn',
    );
    expect(r.results.map((x) => x.outcome)).toEqual(['ok', 'timeout']);
  });

  test.for([
    ['an attempt missing', report([result('s3 list', 's3')]), /internet: missing/],
    [
      'an attempt twice',
      report([result('s3 list', 's3'), result('s3 list', 's3'), result('internet', 'internet')]),
      /s3 list: answered twice/,
    ],
    [
      'an unknown outcome',
      report([result('s3 list', 's3', 'maybe'), result('internet', 'internet')]),
      /s3 list: s3\/maybe/,
    ],
    ['another kind', report([result('s3 list', 'dns'), result('internet', 'internet')]), /s3 list: dns\/ok/],
    ['no results at all', JSON.stringify({ probe: 'meshcheck-s3-reach' }), /other than a probe report/],
    ['another function’s answer', JSON.stringify({ statusCode: 200 }), /other than a probe report/],
    ['not JSON', 'Task timed out', /no report/],
    ['null', 'null', /other than a probe report/],
  ] as const)('%s', ([, payload, message]) => {
    expect(() => readProbeReport(payload, attempts, 'fn')).toThrow(CannotTellError);
    expect(() => readProbeReport(payload, attempts, 'fn')).toThrow(message);
  });
});

describe('invokeProbe', () => {
  const lambda = mockClient(LambdaClient);
  const probe = {
    functionName: 'meshcheck-r1-prod',
    clients: { lambda: new LambdaClient({ region: 'us-east-1' }) } as unknown as AwsClients,
  };
  beforeEach(() => lambda.reset());

  test('sends the attempts with both bounds and reads the log tail', async () => {
    lambda.on(InvokeCommand).resolves({
      Payload: Buffer.from(report([result('s3 list', 's3'), result('internet', 'internet')])) as never,
      LogResult: Buffer.from('START\nEND').toString('base64'),
    });
    const run = await invokeProbe(probe, attempts, { connectMs: 3_000, answerMs: 2_000 });
    expect(run.logTail).toBe('START\nEND');
    const sent = JSON.parse(
      Buffer.from(lambda.commandCalls(InvokeCommand)[0]!.args[0].input.Payload as Uint8Array).toString(),
    );
    expect(sent).toEqual({ attempts, timeoutMs: 3_000, answerTimeoutMs: 2_000 });
  });

  test('a crashed probe is cannot-tell', async () => {
    lambda
      .on(InvokeCommand)
      .resolves({ FunctionError: 'Unhandled', Payload: Buffer.from('{"errorMessage":"boom"}') as never });
    await expect(invokeProbe(probe, attempts, { connectMs: 3_000, answerMs: 2_000 })).rejects.toThrow(
      /failed \(Unhandled\)/,
    );
  });

  test('a report short of an attempt is cannot-tell', async () => {
    lambda.on(InvokeCommand).resolves({ Payload: Buffer.from(report([result('s3 list', 's3')])) as never });
    await expect(invokeProbe(probe, attempts, { connectMs: 3_000, answerMs: 2_000 })).rejects.toBeInstanceOf(
      CannotTellError,
    );
  });
});
