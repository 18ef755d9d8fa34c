import { BroadcastChannel } from 'node:worker_threads';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, test, vi } from 'vitest';
import { invokeWriter, WRITER_INVOKE_MS } from '../../../helpers/application/writer.ts';
import type { AwsClients } from '../../../helpers/clients.ts';
import { waitForRunDenial } from '../../../helpers/key-denials.ts';
import { PENDING_CHANNEL, type PendingMessage } from '../../../helpers/pending.ts';
import {
  HEARTBEAT_MS,
  Heartbeats,
  listenForHeartbeats,
  wantsHeartbeats,
} from '../../../reports/heartbeat.ts';
import { useFreshFakeClock } from '../helpers/fake-clock.ts';

/**
 * A CI log shows a line at least every 30 s for each wait that lasts
 * longer: what it waits for, how long so far, and its bound. All timing
 * here is on a fake clock.
 */

const start = (id: string, description: string, boundMs: number, at = Date.now()) =>
  ({ kind: 'wait-start', id, description, boundMs, at }) as const;

describe('Heartbeats', () => {
  let lines: { at: number; line: string }[];
  let beats: Heartbeats;
  beforeEach(() => {
    useFreshFakeClock();
    lines = [];
    beats = new Heartbeats({ write: (line) => lines.push({ at: Date.now(), line }) });
  });
  afterEach(() => {
    beats.close();
    vi.useRealTimers();
  });

  test('a long wait prints what it waits for, elapsed and bound, every 30 s until it ends', ({ expect }) => {
    const t0 = Date.now();
    beats.hear(start('w1', 'the receipt for apple', 300_000));
    vi.advanceTimersByTime(95_000);
    beats.hear({ kind: 'wait-end', id: 'w1' });
    vi.advanceTimersByTime(120_000);
    expect(lines).toEqual([
      { at: t0 + 30_000, line: 'meshcheck: still waiting for the receipt for apple: 30 s of 300 s' },
      { at: t0 + 60_000, line: 'meshcheck: still waiting for the receipt for apple: 60 s of 300 s' },
      { at: t0 + 90_000, line: 'meshcheck: still waiting for the receipt for apple: 90 s of 300 s' },
    ]);
    expect(beats.beating).toBe(0);
  });

  test('a wait that ends within 30 s prints nothing', ({ expect }) => {
    beats.hear(start('w1', 'an SSM invocation', 60_000));
    vi.advanceTimersByTime(29_999);
    beats.hear({ kind: 'wait-end', id: 'w1' });
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual([]);
  });

  test('the beats count from when the wait started, not from when it was heard', ({ expect }) => {
    const t0 = Date.now();
    // Heard 20 s late (a busy main thread): the first beat is still 30 s after the wait began.
    vi.advanceTimersByTime(20_000);
    beats.hear(start('w1', 'flow-log records', 900_000, t0));
    vi.advanceTimersByTime(40_000);
    expect(lines.map((l) => l.at - t0)).toEqual([30_000, 60_000]);
    expect(lines[0]!.line).toBe('meshcheck: still waiting for flow-log records: 30 s of 900 s');
  });

  test('waits side by side beat each on its own', ({ expect }) => {
    const t0 = Date.now();
    beats.hear(start('a', 'CloudTrail', 900_000));
    vi.advanceTimersByTime(10_000);
    beats.hear(start('b', 'the flow logs', 900_000));
    vi.advanceTimersByTime(25_000);
    beats.hear({ kind: 'wait-end', id: 'a' });
    vi.advanceTimersByTime(36_000);
    expect(lines.map((l) => [l.at - t0, l.line.replace(/: \d+ s of.*/, '')])).toEqual([
      [30_000, 'meshcheck: still waiting for CloudTrail'],
      [40_000, 'meshcheck: still waiting for the flow logs'],
      [40_000 + HEARTBEAT_MS, 'meshcheck: still waiting for the flow logs'],
    ]);
  });

  test('the interval is a setting; AWS calls told on the channel are no waits', ({ expect }) => {
    const quick = new Heartbeats({
      intervalMs: 5_000,
      write: (line) => lines.push({ at: Date.now(), line }),
    });
    quick.hear({ kind: 'call', name: 'ec2.DescribeVpcs', at: Date.now() });
    quick.hear(start('w', 'x', 12_000));
    vi.advanceTimersByTime(12_000);
    quick.close();
    expect(lines.map((l) => l.line)).toEqual([
      'meshcheck: still waiting for x: 5 s of 12 s',
      'meshcheck: still waiting for x: 10 s of 12 s',
    ]);
  });

  test('by default a line goes to stderr, one line whatever the names in it carry', ({ expect }) => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const plain = new Heartbeats();
    try {
      plain.hear(start('w', 'queue \x1b[2Jevil\nmeshcheck: exit 0', 60_000));
      vi.advanceTimersByTime(30_000);
    } finally {
      plain.close();
      spy.mockRestore();
    }
    expect(written).toHaveLength(1);
    expect(written[0]).not.toContain('\x1b');
    expect(written[0]!.trimEnd().split('\n')).toHaveLength(1);
    expect(written[0]).toBe(
      'meshcheck: still waiting for queue \\x1b[2Jevil\\nmeshcheck: exit 0: 30 s of 60 s\n',
    );
  });
});

describe('wantsHeartbeats: only where nobody watches a live terminal', () => {
  test.for([
    { tty: false, ci: undefined, wants: true },
    { tty: true, ci: undefined, wants: false },
    { tty: true, ci: 'true', wants: true },
    { tty: true, ci: '1', wants: true },
    { tty: true, ci: 'false', wants: false },
    { tty: false, ci: 'false', wants: true },
  ])('TTY $tty, CI=$ci: $wants', ({ tty, ci, wants }, { expect }) => {
    expect(wantsHeartbeats({ isTTY: tty }, ci === undefined ? {} : { CI: ci })).toBe(wants);
  });
});

describe('a CloudTrail wait as the realistic profile makes it (the event visible after 5 min)', () => {
  const KEY = 'arn:aws:kms:us-east-1:111111111111:key/k';
  const MINE = 'arn:aws:sts::111111111111:assumed-role/Runner/meshcheck-mc-20260301-a1b2c3';
  const cloudtrail = new CloudTrailClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const mock = mockClient(cloudtrail);
  beforeEach(() => {
    mock.reset();
    useFreshFakeClock();
  });
  afterEach(() => vi.useRealTimers());

  /** The channel is a real one: its messages arrive on the real event loop, which the fake clock does not hold. */
  const realTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  test('prints a heartbeat naming the wait at least every 30 s, through the channel the checks tell it on', async ({
    expect,
  }) => {
    const t0 = Date.now();
    // twin/state/profile.ts, realistic: "LookupEvents sees an event this long after it happened".
    const visibleAt = t0 + 5 * 60_000;
    mock.on(LookupEventsCommand).callsFake(() => ({
      Events:
        Date.now() < visibleAt
          ? []
          : [
              {
                EventId: 'mine',
                CloudTrailEvent: JSON.stringify({
                  eventName: 'Decrypt',
                  errorCode: 'AccessDenied',
                  userIdentity: { arn: MINE },
                  resources: [{ ARN: KEY }],
                }),
              },
            ],
    }));
    const lines: { at: number; line: string }[] = [];
    const beats = listenForHeartbeats({ write: (line) => lines.push({ at: Date.now(), line }) });
    try {
      let done = false;
      const waiting = waitForRunDenial(
        { cloudtrail } as unknown as AwsClients,
        { keyArn: KEY, sessionArn: MINE, objectArns: [] },
        { start: new Date(t0), timeoutMs: 1_200_000 },
      ).finally(() => {
        done = true;
      });
      for (let i = 0; i < 200 && !beats.beating; i++) await realTurn();
      expect(beats.beating).toBe(1);
      while (!done && Date.now() - t0 < 1_300_000) {
        await vi.advanceTimersByTimeAsync(1_000);
        await realTurn();
      }
      const found = await waiting;
      expect(found.denials.map((d) => d.id)).toEqual(['mine']);
      for (let i = 0; i < 200 && beats.beating; i++) await realTurn();
      expect(beats.beating).toBe(0);
    } finally {
      beats.close();
    }
    const end = Date.now();
    expect(lines.length).toBeGreaterThanOrEqual(10);
    for (const { line } of lines)
      expect(line).toMatch(
        /^meshcheck: still waiting for this run's refused Decrypt on .* in CloudTrail: \d+ s of 1200 s$/,
      );
    const times = [t0, ...lines.map((l) => l.at), end];
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_MS);
    expect(lines.at(-1)!.line).toMatch(new RegExp(`: ${Math.round((lines.at(-1)!.at - t0) / 1000)} s of`));
  });
});

describe('waits that are no eventually() are told too', () => {
  test('the writer’s synchronous invoke (a cold start in a VPC takes its time) is a wait with its bound', async ({
    expect,
  }) => {
    const lambda = new LambdaClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const mock = mockClient(lambda);
    mock.on(GetFunctionConfigurationCommand).resolves({ State: 'Active' });
    mock.on(InvokeCommand).resolves({ StatusCode: 200, $metadata: { requestId: 'req-1' } });
    const heard: PendingMessage[] = [];
    const listener = new BroadcastChannel(PENDING_CHANNEL);
    listener.onmessage = (event) => heard.push((event as unknown as { data: PendingMessage }).data);
    try {
      await invokeWriter({ lambda } as unknown as AwsClients, 'EventWriter', {});
      const invoke = () =>
        heard.find(
          (m): m is Extract<PendingMessage, { kind: 'wait-start' }> =>
            m.kind === 'wait-start' && m.description === 'EventWriter to answer its invocation',
        );
      const ended = () => heard.some((m) => m.kind === 'wait-end' && m.id === invoke()?.id);
      // The channel's messages arrive on later turns of the event loop.
      for (let i = 0; i < 200 && !ended(); i++) await new Promise((resolve) => setImmediate(resolve));
      expect(invoke()).toMatchObject({ boundMs: WRITER_INVOKE_MS });
      expect(ended()).toBe(true);
    } finally {
      listener.close();
      mock.restore();
    }
  });
});
