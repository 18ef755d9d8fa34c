import { describe, expect, test } from 'vitest';
import { handleControl } from '../../../twin/control/routes.ts';
import { recordTraffic, trafficOf } from '../../../twin/network/traffic-log.ts';
import { pipelineStats, setPipelineSeams } from '../../../twin/pipeline/index.ts';
import { runtimeOf } from '../../../twin/runtime/index.ts';
import type { TwinServer } from '../../../twin/server.ts';
import { bucketIndex } from '../../../twin/services/s3/model/index.ts';
import { ManualClock } from '../../../twin/state/clock.ts';
import { Twin, worldPart } from '../../../twin/twin.ts';

/**
 * World state beside the models (the traffic log flow logs read, the
 * pipeline's counters, the Lambda runtime, S3's bucket namespace) is held by
 * the Twin: one twin's state never shows in another's, the twin's state dump
 * shows it, and disposing the twin (what a reset does to the old world)
 * releases all of it at once.
 */
const twinOn = () => new Twin({ clock: new ManualClock(Date.UTC(2026, 0, 1)) });

const traffic = { start: 0, end: 1, packets: 3, bytesPerPacket: 84, touched: [], answered: true };

describe('Twin · world state it owns', () => {
  test('a part is made once per twin, and another twin starts without it', () => {
    let made = 0;
    const counter = worldPart({
      name: 'test.counter',
      make: () => {
        made += 1;
        return { n: made };
      },
    });
    const first = twinOn();
    expect(first.part(counter)).toBe(first.part(counter));
    expect(twinOn().partIfMade(counter)).toBeUndefined();
    expect(made).toBe(1);
  });

  test('the state dump shows traffic, buckets, pipeline counters and replaced seams', () => {
    const twin = twinOn();
    recordTraffic(twin, traffic);
    bucketIndex(twin).set('receipts', {} as never);
    pipelineStats(twin).topics['arn:aws:sns:us-east-1:123456789012:t'] = {
      published: 1,
      delivered: 1,
      failed: 0,
    };
    setPipelineSeams(twin, { invokeFunction: async () => ({}) as never });
    const { parts } = twin.describe();
    expect(parts['network.traffic']).toEqual({ records: 1, answered: 1 });
    expect(parts['s3.bucket-names']).toEqual(['receipts']);
    expect(parts['pipeline.stats']).toMatchObject({
      topics: { 'arn:aws:sns:us-east-1:123456789012:t': { published: 1 } },
    });
    expect(parts['pipeline.seams']).toEqual({ replaced: ['invokeFunction'] });
  });

  test('disposing the twin releases every part that holds something outside the state', async () => {
    const released: string[] = [];
    const held = worldPart({ name: 'test.held', make: () => 'socket', dispose: (v) => released.push(v) });
    const twin = twinOn();
    twin.part(held);
    const runtime = runtimeOf(twin);
    twin.dispose();
    expect(released).toEqual(['socket']);
    expect(runtimeOf(twin)).toBe(runtime);
    await expect(runtime.run({} as never, {} as never)).rejects.toThrow('the twin was disposed');
  });

  test('GET /_twin/state answers the dump as JSON and changes nothing', async () => {
    const twin = twinOn();
    recordTraffic(twin, traffic);
    const server = { twin } as TwinServer;
    const res = await handleControl(server, {
      method: 'GET',
      path: '/_twin/state',
      rawQuery: '',
      headers: {},
      body: Buffer.alloc(0),
    });
    expect(res.status).toBe(200);
    const body = JSON.parse(String(res.body));
    expect(body).toMatchObject({
      accounts: twin.accounts,
      profile: 'fast',
      parts: { 'network.traffic': { records: 1 } },
    });
    expect(trafficOf(twin)).toHaveLength(1);
  });
});
