import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * A `latency` fault (PUT /_twin/faults) slows the calls it picks by its
 * `latencyMs`, and only those: the suite's timeouts and overlap are tested
 * against slow AWS this way. Lower bounds only; nothing here times the twin.
 */
let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

async function timedCall(): Promise<number> {
  const sts = new STSClient(twin.clientConfig());
  const started = performance.now();
  await sts.send(new GetCallerIdentityCommand({}));
  return performance.now() - started;
}

test('a call the latency fault picks answers no sooner than latencyMs later', async () => {
  twin.server.twin.faults.set({ rate: 1, kinds: ['latency'], latencyMs: 400 });
  expect(await timedCall()).toBeGreaterThanOrEqual(400);
  expect(twin.server.twin.faults.injected).toBe(1);
});

test('a call the fault does not pick is not slowed by it', async () => {
  twin.server.twin.faults.set({ rate: 1, kinds: ['latency'], latencyMs: 60_000, operations: ['AssumeRole'] });
  // GetCallerIdentity is not picked; were it slowed, the test would time out, not pass.
  await timedCall();
  expect(twin.server.twin.faults.injected).toBe(0);
});
