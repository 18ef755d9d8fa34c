import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { CannotTellError } from '../../../helpers/errors.ts';
import {
  createRunProbes,
  deleteProbe,
  deployedProbe,
  deployProbe,
  earlyProbe,
  invokeProbe,
  readProbeReport,
} from '../../../helpers/probe.ts';
import type { ResolvedTargets } from '../../../helpers/targets/index.ts';
import { bundleProbe } from '../../../probes/bundle.ts';
import type { Attempt, AttemptResult } from '../../../probes/s3-reach/attempts.ts';
import { awsError } from './support.ts';

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

describe('readProbeReport: what the error shows of a long answer', () => {
  test('the first 300 characters of what came back', () => {
    const long = `Task timed out ${'x'.repeat(400)}`;
    expect(() => readProbeReport(long, attempts, 'fn')).toThrow(
      new CannotTellError(`probe fn answered with no report: ${long.slice(0, 300)}`),
    );
    const foreign = JSON.stringify({ statusCode: 200, body: 'y'.repeat(400) });
    expect(() => readProbeReport(foreign, attempts, 'fn')).toThrow(
      new CannotTellError(
        `probe fn answered with something other than a probe report: ${foreign.slice(0, 300)}`,
      ),
    );
  });

  test('every problem is named, in the order asked', () => {
    expect(() => readProbeReport(report([]), attempts, 'fn')).toThrow(
      new CannotTellError(
        "probe fn's report does not answer the attempts asked for (s3 list: missing; internet: missing)",
      ),
    );
  });

  test('a report of another probe is not this one’s', () => {
    const other = JSON.stringify({
      probe: 'someone-else',
      results: [result('s3 list', 's3'), result('internet', 'internet')],
    });
    expect(() => readProbeReport(other, attempts, 'fn')).toThrow(/other than a probe report/);
  });

  test('a null entry among the results does not break the reading', () => {
    const r = readProbeReport(
      report([null, result('s3 list', 's3'), result('internet', 'internet', 'denied')]),
      attempts,
      'fn',
    );
    expect(r.results).toHaveLength(3);
  });

  test.for(['ok', 'denied', 'timeout', 'dns-failure', 'error'])('the outcome %s is known', (outcome) => {
    const r = readProbeReport(
      report([result('s3 list', 's3', outcome), result('internet', 'internet')]),
      attempts,
      'fn',
    );
    expect(r.results[0]!.outcome).toBe(outcome);
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

  test('invokes the probe by name with its log tail; no log is an empty tail', async () => {
    lambda.on(InvokeCommand).resolves({
      Payload: Buffer.from(report([result('s3 list', 's3'), result('internet', 'internet')])) as never,
    });
    const run = await invokeProbe(probe, attempts, { connectMs: 3_000, answerMs: 2_000 });
    expect(run.logTail).toBe('');
    expect(run.functionName).toBe('meshcheck-r1-prod');
    expect(run.report.results).toHaveLength(2);
    expect(lambda.commandCalls(InvokeCommand)[0]!.args[0].input).toMatchObject({
      FunctionName: 'meshcheck-r1-prod',
      LogType: 'Tail',
    });
  });

  test('a crashed probe’s error shows its payload’s start and its log’s end', async () => {
    const payload = `{"errorMessage":"${'p'.repeat(600)}"}`;
    const log = `START ${'l'.repeat(2_000)} Task timed out after 120.00 seconds`;
    lambda.on(InvokeCommand).resolves({
      FunctionError: 'Unhandled',
      Payload: Buffer.from(payload) as never,
      LogResult: Buffer.from(log).toString('base64'),
    });
    const message = await invokeProbe(probe, attempts, { connectMs: 3_000, answerMs: 2_000 }).catch(
      (e: Error) => e.message,
    );
    expect(message).toBe(
      `probe meshcheck-r1-prod failed (Unhandled): ${payload.slice(0, 500)}\n${log.slice(-1000)}`,
    );
  });

  test('an answer with no payload at all is cannot-tell', async () => {
    lambda.on(InvokeCommand).resolves({});
    await expect(invokeProbe(probe, attempts, { connectMs: 3_000, answerMs: 2_000 })).rejects.toThrow(
      new CannotTellError('probe meshcheck-r1-prod answered with no report: '),
    );
  });

  test('an invoke the runner may not make is cannot-tell naming the probe', async () => {
    lambda.on(InvokeCommand).rejects(awsError('AccessDeniedException', 403));
    await expect(invokeProbe(probe, attempts, { connectMs: 3_000, answerMs: 2_000 })).rejects.toThrow(
      /^could not invoke probe meshcheck-r1-prod: AccessDeniedException/,
    );
  });

  test('a report short of an attempt is cannot-tell', async () => {
    lambda.on(InvokeCommand).resolves({ Payload: Buffer.from(report([result('s3 list', 's3')])) as never });
    await expect(invokeProbe(probe, attempts, { connectMs: 3_000, answerMs: 2_000 })).rejects.toBeInstanceOf(
      CannotTellError,
    );
  });
});

describe('deployProbe: created for the run, tagged, and Active before it is used', () => {
  const lambda = mockClient(LambdaClient);
  const clients = { lambda: new LambdaClient({ region: 'us-east-1' }) } as unknown as AwsClients;
  const placement = {
    placement: 'prod',
    roleArn: 'arn:aws:iam::111122223333:role/probe',
    subnetIds: ['subnet-1', 'subnet-2'],
    securityGroupIds: ['sg-1'],
    runId: 'mc-20260301-aaaaaa',
  };
  beforeAll(async () => {
    await bundleProbe('s3-reach'); // built once, so the tests below read it from the cache
  }, 60_000);
  beforeEach(() => {
    lambda.reset();
    lambda.on(CreateFunctionCommand).resolves({});
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  });
  afterEach(() => vi.useRealTimers());

  /** Lets real I/O finish and then fake time pass until the deploy settles. */
  async function settled<T>(work: Promise<T>): Promise<T> {
    let done = false;
    work.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done) {
      await new Promise((r) => setImmediate(r));
      // Fake time starts once the function is asked for: the package is built (real I/O) before.
      if (lambda.commandCalls(CreateFunctionCommand).length) await vi.advanceTimersByTimeAsync(5_000);
    }
    return work;
  }

  test('creates the function in the placement, tagged with the run, and waits out Pending', async () => {
    lambda
      .on(GetFunctionConfigurationCommand, { FunctionName: 'meshcheck-mc-20260301-aaaaaa-prod' })
      .resolvesOnce({ State: 'Pending', StateReasonCode: 'Creating' })
      .resolvesOnce({ State: 'Pending', StateReasonCode: 'Creating' })
      .resolves({ State: 'Active' });

    const probe = await settled(deployProbe(clients, placement));

    expect(probe).toEqual({ functionName: 'meshcheck-mc-20260301-aaaaaa-prod', clients });
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(3);
    const { ZipFile, ...input } = lambda.commandCalls(CreateFunctionCommand)[0]!.args[0].input.Code!;
    expect(input).toEqual({});
    expect(Buffer.from(ZipFile!).subarray(0, 2).toString()).toBe('PK');
    expect(lambda.commandCalls(CreateFunctionCommand)[0]!.args[0].input).toMatchObject({
      FunctionName: 'meshcheck-mc-20260301-aaaaaa-prod',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::111122223333:role/probe',
      Timeout: 120,
      MemorySize: 256,
      VpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'], SecurityGroupIds: ['sg-1'] },
      Description: 'meshcheck reach probe, run mc-20260301-aaaaaa',
      Tags: { 'meshcheck:run': 'mc-20260301-aaaaaa', 'meshcheck:purpose': 'reach-probe' },
    });
  });

  test('a name past Lambda’s 64 characters is cut to 64', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ State: 'Active' });
    const long = { ...placement, placement: 'x'.repeat(80) };
    const probe = await settled(deployProbe(clients, long));
    expect(probe.functionName).toBe(`meshcheck-mc-20260301-aaaaaa-${'x'.repeat(80)}`.slice(0, 64));
    expect(probe.functionName).toHaveLength(64);
  });

  test('a probe that fails to become Active is cannot-tell, with Lambda’s reason', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolves({ State: 'Failed', StateReason: 'The subnet has no free addresses' });
    const error = await settled(deployProbe(clients, placement)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toBe(
      'probe meshcheck-mc-20260301-aaaaaa-prod is Failed: The subnet has no free addresses',
    );
    const bare = await settled(
      (async () => {
        lambda.on(GetFunctionConfigurationCommand).resolves({ State: 'Inactive' });
        return deployProbe(clients, placement);
      })(),
    ).catch((e: Error) => e.message);
    expect(bare).toBe('probe meshcheck-mc-20260301-aaaaaa-prod is Inactive: ');
  });

  test('a probe the runner may not create is cannot-tell naming it', async () => {
    lambda.on(CreateFunctionCommand).rejects(awsError('AccessDeniedException', 403));
    const error = await settled(deployProbe(clients, placement)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toMatch(/^could not create probe meshcheck-mc-20260301-aaaaaa-prod: /);
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(0);
  });

  test('a probe Pending past five minutes is cannot-tell, saying what it last saw and how to look', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ State: 'Pending', StateReasonCode: 'Creating' });
    const started = Date.now();
    const error = await settled(deployProbe(clients, placement)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as CannotTellError).kind).toBe('timeout');
    expect((error as Error).message).toContain(
      'for probe meshcheck-mc-20260301-aaaaaa-prod to become Active',
    );
    expect((error as Error).message).toContain('last saw: Pending (Creating)');
    expect((error as Error).message).toContain(
      'look yourself: aws lambda get-function-configuration --function-name meshcheck-mc-20260301-aaaaaa-prod',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(300_000);
    expect(Date.now() - started).toBeLessThan(320_000);
    // Polled often at first, never more than every five seconds.
    expect(lambda.commandCalls(GetFunctionConfigurationCommand).length).toBeGreaterThan(60);
  });

  test('a first poll answers within a fraction of a second', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolvesOnce({ State: 'Pending' })
      .resolves({ State: 'Active' });
    const work = deployProbe(clients, placement);
    while (lambda.commandCalls(GetFunctionConfigurationCommand).length === 0)
      await new Promise((r) => setImmediate(r));
    await vi.advanceTimersByTimeAsync(250);
    await expect(work).resolves.toMatchObject({ functionName: 'meshcheck-mc-20260301-aaaaaa-prod' });
  });

  test('a reason code missing shows as empty, and a read that fails is cannot-tell', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ State: 'Pending' });
    const error = await settled(deployProbe(clients, placement)).catch((e: Error) => e.message);
    expect(error).toContain('last saw: Pending ()');
    lambda.on(GetFunctionConfigurationCommand).rejects(awsError('AccessDeniedException', 403));
    const denied = await settled(deployProbe(clients, placement)).catch((e: Error) => e.message);
    expect(denied).toMatch(/^could not read probe meshcheck-mc-20260301-aaaaaa-prod: AccessDeniedException/);
  });

  test('an aborted run stops waiting', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ State: 'Pending' });
    const controller = new AbortController();
    const work = deployProbe(clients, { ...placement, signal: controller.signal }).catch((e: unknown) => e);
    while (lambda.commandCalls(GetFunctionConfigurationCommand).length === 0)
      await new Promise((r) => setImmediate(r));
    const started = Date.now();
    controller.abort();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await work).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThanOrEqual(5_000);
  });
});

describe('deployedProbe: a probe the lab keeps, used only where its placement says', () => {
  const lambda = mockClient(LambdaClient);
  const clients = { lambda: new LambdaClient({ region: 'us-east-1' }) } as unknown as AwsClients;
  const where = { subnetIds: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'] };
  const arn = 'arn:aws:lambda:us-east-1:111122223333:function:lab-probe';
  const config = (vpc: object | undefined, state = 'Active') => ({
    FunctionName: 'lab-probe',
    State: state,
    ...(vpc && { VpcConfig: vpc }),
  });
  beforeEach(() => lambda.reset());

  test('an Active probe in its subnets and groups, in any order, is used by name', async () => {
    lambda
      .on(GetFunctionConfigurationCommand, { FunctionName: arn })
      .resolves(config({ SubnetIds: ['subnet-2', 'subnet-1'], SecurityGroupIds: ['sg-1'] }) as never);
    await expect(deployedProbe(clients, arn, where)).resolves.toEqual({ functionName: 'lab-probe', clients });
    expect(lambda.commandCalls(CreateFunctionCommand)).toHaveLength(0);
  });

  test('a probe that is not Active is cannot-tell', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({
      ...config({ SubnetIds: where.subnetIds, SecurityGroupIds: ['sg-1'] }, 'Inactive'),
      StateReason: 'idle',
    } as never);
    await expect(deployedProbe(clients, arn, where)).rejects.toThrow(
      new CannotTellError('deployed probe lab-probe is Inactive: idle'),
    );
    lambda.on(GetFunctionConfigurationCommand).resolves(config(undefined, 'Pending') as never);
    await expect(deployedProbe(clients, arn, where)).rejects.toThrow(
      new CannotTellError('deployed probe lab-probe is Pending: '),
    );
  });

  test.for([
    [
      'one subnet fewer',
      { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
      'subnets subnet-1 with groups sg-1',
    ],
    [
      'one subnet more',
      { SubnetIds: ['subnet-1', 'subnet-2', 'subnet-3'], SecurityGroupIds: ['sg-1'] },
      'subnets subnet-1, subnet-2, subnet-3 with groups sg-1',
    ],
    [
      'another subnet',
      { SubnetIds: ['subnet-1', 'subnet-9'], SecurityGroupIds: ['sg-1'] },
      'subnets subnet-1, subnet-9 with groups sg-1',
    ],
    [
      'another group',
      { SubnetIds: ['subnet-1', 'subnet-2'], SecurityGroupIds: ['sg-9'] },
      'subnets subnet-1, subnet-2 with groups sg-9',
    ],
    ['no VPC at all', undefined, 'subnets none with groups none'],
    ['an empty VPC config', { SubnetIds: [], SecurityGroupIds: [] }, 'subnets none with groups none'],
    ['a VPC config without lists', {}, 'subnets none with groups none'],
  ] as const)('a probe somewhere else (%s) is cannot-tell, saying where it is', async ([, vpc, found]) => {
    lambda.on(GetFunctionConfigurationCommand).resolves(config(vpc) as never);
    await expect(deployedProbe(clients, arn, where)).rejects.toThrow(
      new CannotTellError(
        `deployed probe lab-probe runs in ${found}, not its placement's subnet-1, subnet-2 with sg-1`,
      ),
    );
  });

  test('every group is named, where it is and where it should be', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolves(config({ SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-8', 'sg-9'] }) as never);
    await expect(
      deployedProbe(clients, arn, { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1', 'sg-2'] }),
    ).rejects.toThrow(
      new CannotTellError(
        "deployed probe lab-probe runs in subnets subnet-1 with groups sg-8, sg-9, not its placement's subnet-1 with sg-1, sg-2",
      ),
    );
  });

  test('a probe the runner may not read is cannot-tell', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(awsError('AccessDeniedException', 403));
    await expect(deployedProbe(clients, arn, where)).rejects.toThrow(/^could not read probe arn:aws:lambda/);
  });
});

describe('deleteProbe', () => {
  const lambda = mockClient(LambdaClient);
  const probe = {
    functionName: 'meshcheck-r1-prod',
    clients: { lambda: new LambdaClient({ region: 'us-east-1' }) } as unknown as AwsClients,
  };
  beforeEach(() => lambda.reset());

  test('deletes the function by name; one already gone is fine', async () => {
    lambda.on(DeleteFunctionCommand).resolves({});
    await deleteProbe(probe);
    expect(lambda.commandCalls(DeleteFunctionCommand)[0]!.args[0].input).toEqual({
      FunctionName: 'meshcheck-r1-prod',
    });
    lambda
      .on(DeleteFunctionCommand)
      .rejects(new ResourceNotFoundException({ message: 'Function not found', $metadata: {} }));
    await expect(deleteProbe(probe)).resolves.toBeUndefined();
  });

  test('a delete refused is cannot-tell naming the probe', async () => {
    lambda.on(DeleteFunctionCommand).rejects(awsError('AccessDeniedException', 403));
    const error = await deleteProbe(probe).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toMatch(
      /^could not delete probe meshcheck-r1-prod: AccessDeniedException/,
    );
  });
});

describe('createRunProbes: the run creates its probes early, and their checks read what came of it', () => {
  const lambda = mockClient(LambdaClient);
  const clients = { lambda: new LambdaClient({ region: 'us-east-1' }) } as unknown as AwsClients;
  const placement = (name: string, deployed?: string) => ({
    name,
    vpc: 'v',
    subnets: ['a'],
    securityGroups: ['g'],
    ...(deployed && { deployed }),
    expect: { s3: 'ok', internet: 'timeout' },
  });
  const targets = {
    runId: 'mc-20260301-bbbbbb',
    ids: {
      subnet: { a: 'subnet-a' },
      securityGroup: { g: 'sg-g' },
      probeRoleArn: 'arn:aws:iam::111122223333:role/probe',
    },
    endpoints: {
      probe: { placements: [placement('prod'), placement('kept', 'lab-probe'), placement('dev')] },
    },
  } as unknown as ResolvedTargets;
  beforeAll(async () => {
    await bundleProbe('s3-reach');
  }, 60_000);
  beforeEach(() => lambda.reset());
  afterEach(() => vi.useRealTimers());

  test('one function per placement the lab does not keep, tagged with the run, without waiting for Active', async () => {
    lambda.on(CreateFunctionCommand).resolves({});
    const before = Date.now();
    const made = await createRunProbes(clients, targets);
    expect(Object.keys(made)).toEqual(['prod', 'dev']);
    expect(made.prod).toEqual({
      functionName: 'meshcheck-mc-20260301-bbbbbb-prod',
      createdAt: expect.any(Number),
    });
    expect((made.prod as { createdAt: number }).createdAt).toBeGreaterThanOrEqual(before);
    // The creates run side by side: their order is the SDK's, not the placements'.
    const inputs = lambda.commandCalls(CreateFunctionCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.FunctionName).sort()).toEqual([
      'meshcheck-mc-20260301-bbbbbb-dev',
      'meshcheck-mc-20260301-bbbbbb-prod',
    ]);
    expect(inputs.find((i) => i.FunctionName?.endsWith('-prod'))).toMatchObject({
      Role: 'arn:aws:iam::111122223333:role/probe',
      VpcConfig: { SubnetIds: ['subnet-a'], SecurityGroupIds: ['sg-g'] },
      Tags: { 'meshcheck:run': 'mc-20260301-bbbbbb', 'meshcheck:purpose': 'reach-probe' },
    });
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(0);
  });

  test('a create refused is carried to its placement’s checks, in the words and class deployProbe throws', async () => {
    lambda
      .on(CreateFunctionCommand, { FunctionName: 'meshcheck-mc-20260301-bbbbbb-dev' })
      .rejects(awsError('AccessDeniedException', 403))
      .on(CreateFunctionCommand, { FunctionName: 'meshcheck-mc-20260301-bbbbbb-prod' })
      .resolves({});
    const made = await createRunProbes(clients, targets);
    expect('functionName' in made.prod!).toBe(true);
    // Through vitest's provide: plain data only.
    const carried = JSON.parse(JSON.stringify(made.dev));
    const error = await earlyProbe(clients, carried).catch((e: unknown) => e);
    const direct = await deployProbe(clients, {
      placement: 'dev',
      roleArn: 'r',
      subnetIds: [],
      securityGroupIds: [],
      runId: 'mc-20260301-bbbbbb',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toMatch(/^could not create probe meshcheck-mc-20260301-bbbbbb-dev: /);
    expect((error as Error).message).toBe((direct as Error).message);
    expect((error as CannotTellError).kind).toBe((direct as CannotTellError).kind);
  });

  test('a probe created early is used once Active, waited on from its creation', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    lambda
      .on(GetFunctionConfigurationCommand, { FunctionName: 'meshcheck-mc-20260301-bbbbbb-prod' })
      .resolvesOnce({ State: 'Pending', StateReasonCode: 'Creating' })
      .resolves({ State: 'Active' });
    const probe = earlyProbe(clients, {
      functionName: 'meshcheck-mc-20260301-bbbbbb-prod',
      createdAt: Date.now() - 40_000,
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await probe).toEqual({ functionName: 'meshcheck-mc-20260301-bbbbbb-prod', clients });
    expect(lambda.commandCalls(CreateFunctionCommand)).toHaveLength(0);
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(2);
  });

  test('a probe created early that fails to become Active is cannot-tell, with Lambda’s reason', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolves({ State: 'Failed', StateReason: 'no free addresses' });
    const error = await earlyProbe(clients, {
      functionName: 'meshcheck-x-prod',
      createdAt: Date.now(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toBe('probe meshcheck-x-prod is Failed: no free addresses');
  });
});
