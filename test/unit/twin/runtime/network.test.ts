import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { builderFor } from '../../../../lab/builder.ts';
import type { CallerPosition } from '../../../../twin/core/principal.ts';
import { trafficOf } from '../../../../twin/network/traffic-log.ts';
import { runtimeOf } from '../../../../twin/runtime/index.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { Twin } from '../../../../twin/twin.ts';
import { specOf } from './fixtures.ts';
import { buildVpc, positionIn, type TestVpc } from './vpc.ts';

/**
 * Networking inside a function never leaves 127.0.0.1: names resolve as
 * the function's VPC (or the internet) would answer them, connections to
 * reachable hosts meet the twin's stand-in, and connections with no path
 * never open — the caller's own timer ends them, as in a VPC.
 */
const twin = new Twin({ clock: new ManualClock(), origin: 'http://127.0.0.1:9' });
let vpc: TestVpc;
afterAll(() => twin.dispose());
beforeAll(async () => {
  vpc = await buildVpc(twin);
});

/** One handler that tries what the event asks and reports what happened, never throwing. */
const PROBE = {
  'index.mjs': `
import dns from 'node:dns';
import net from 'node:net';
import https from 'node:https';
import http from 'node:http';
import dgram from 'node:dgram';

const outcome = (p) => p.then((value) => ({ ok: true, value }), (e) => ({ ok: false, code: e.code ?? e.name, message: e.message }));

const ops = {
  lookup: (e) => outcome(dns.promises.lookup(e.host, { all: true })),
  lookupCallback: (e) => outcome(new Promise((res, rej) => dns.lookup(e.host, (err, address) => (err ? rej(err) : res(address))))),
  resolve4: (e) => outcome(dns.promises.resolve4(e.host)),
  connect: (e) => outcome(new Promise((res, rej) => {
    const s = net.connect({ host: e.host, port: e.port, timeout: e.wait });
    s.once('connect', () => { s.destroy(); res('connected'); });
    s.once('timeout', () => { s.destroy(); rej(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })); });
    s.once('error', rej);
  })),
  httpGet: (e) => outcome(new Promise((res, rej) => {
    http.get(e.url, (r) => { let body = ''; r.on('data', (c) => (body += c)); r.on('end', () => res({ status: r.statusCode, body })); }).on('error', rej);
  })),
  httpsGet: (e) => outcome(new Promise((res, rej) => {
    const req = https.get(e.url, { timeout: e.wait }, (r) => res(r.statusCode));
    req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', rej);
  })),
  fetch: (e) => outcome(fetch(e.url).then(async (r) => ({ status: r.status, body: await r.text() }))),
  sneakyLookup: (e) => outcome(new Promise((res, rej) => {
    const lookup = (host, opts, cb) => cb(null, e.address, 4);
    const s = net.connect({ host: 'localhost', port: e.port, lookup, timeout: 500 });
    s.once('connect', () => { const where = s.remoteAddress; s.destroy(); res(where); });
    s.once('timeout', () => { s.destroy(); rej(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })); });
    s.once('error', rej);
  })),
  httpsForever: (e) => new Promise((res) => https.get(e.url, (r) => res(r.statusCode)).on('error', (err) => res(err.code))),
  udp: (e) => outcome(new Promise((res, rej) => {
    const s = dgram.createSocket('udp4');
    s.send('hello', e.port, e.host, (err, bytes) => { s.close(); err ? rej(err) : res(bytes); });
  })),
};

export const handler = async (event) => ops[event.op](event);
`,
};

let n = 0;
async function probe(
  position: CallerPosition | undefined,
  event: Record<string, unknown>,
  timeoutSeconds = 5,
) {
  const spec = specOf(twin, PROBE, {
    timeoutSeconds,
    ...(position && { position }),
    functionName: `probe-${++n}`,
  });
  const result = await runtimeOf(twin).run(spec, { requestId: `net-${n}`, payload: JSON.stringify(event) });
  return {
    result,
    body: JSON.parse(result.payload.toString()),
    sockets: runtimeOf(twin)
      .environmentsOf(spec.functionArn)
      .flatMap((e) => e.sockets),
  };
}

const loopbackOnly = (sockets: { host: string }[]) =>
  sockets.every((s) => ['127.0.0.1', 'localhost'].includes(s.host));

describe('outside any VPC (Lambda’s own network)', () => {
  test('internet names resolve, internal ones do not', async () => {
    const found = await probe(undefined, { op: 'lookup', host: 'example.com' });
    expect(found.body.ok).toBe(true);
    expect(found.body.value[0].address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(found.body.value[0].address.startsWith('127.')).toBe(false);
    expect((await probe(undefined, { op: 'resolve4', host: 'example.com' })).body.value).toEqual([
      found.body.value[0].address,
    ]);
    expect((await probe(undefined, { op: 'lookupCallback', host: 'nothing.invalid' })).body).toMatchObject({
      ok: false,
      code: 'ENOTFOUND',
      message: 'getaddrinfo ENOTFOUND nothing.invalid',
    });
  });

  test('an internet host is reached — through the twin’s stand-in on 127.0.0.1', async () => {
    const tcp = await probe(undefined, { op: 'connect', host: 'example.com', port: 443, wait: 2000 });
    expect(tcp.body).toEqual({ ok: true, value: 'connected' });
    expect(tcp.sockets).toEqual([{ host: '127.0.0.1', port: expect.any(Number), standsFor: 'example.com' }]);
    const web = await probe(undefined, { op: 'httpGet', url: 'http://example.com/index.html' });
    expect(web.body.value.status).toBe(200);
    expect(web.body.value.body).toContain('The lab twin answers for it without contacting it');
    const tls = await probe(undefined, { op: 'httpsGet', url: 'https://example.com/', wait: 2000 });
    expect(tls.body.ok).toBe(false);
    expect(tls.body.code).not.toBe('ETIMEDOUT');
    expect(loopbackOnly(tls.sockets)).toBe(true);
  });

  test('fetch meets the stand-in too, and no lookup option can send `localhost` elsewhere', async () => {
    const fetched = await probe(undefined, { op: 'fetch', url: 'http://example.com/' });
    expect(fetched.body.value.status).toBe(200);
    expect(fetched.sockets.map((s) => s.host)).toEqual(['127.0.0.1']);
    const sneaky = await probe(undefined, { op: 'sneakyLookup', address: '192.0.2.10', port: 9 });
    expect(sneaky.sockets.every((s) => s.host === '127.0.0.1')).toBe(true);
    expect(sneaky.body.ok ? sneaky.body.value : sneaky.body.code).not.toBe('192.0.2.10');
  });

  test('a UDP datagram to the internet is dropped without an error', async () => {
    const udp = await probe(undefined, { op: 'udp', host: '192.0.2.53', port: 53 });
    expect(udp.body).toEqual({ ok: true, value: 0 });
  });
});

describe('inside a VPC', () => {
  test('with no NAT, https.get to the internet hangs until the handler’s own timer, and no socket leaves 127.0.0.1', async () => {
    const position = positionIn(twin, vpc, vpc.isolatedSubnet);
    const before = trafficOf(twin).length;
    const started = Date.now();
    const out = await probe(position, { op: 'httpsGet', url: 'https://example.com/', wait: 400 });
    expect(out.body).toMatchObject({ ok: false, code: 'ETIMEDOUT', message: 'request timed out' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(out.sockets).toEqual([]);
    // The attempt is seen by the network as an unanswered packet from the function's ENI.
    const seen = trafficOf(twin).slice(before);
    expect(
      seen.some(
        (r) => !r.answered && r.touched.some((t) => t.networkInterfaceId === position.networkInterfaceId),
      ),
    ).toBe(true);
  });

  test('with no NAT and no timer of its own, the function runs out of its Timeout', async () => {
    const out = await probe(
      positionIn(twin, vpc, vpc.isolatedSubnet),
      { op: 'httpsForever', url: 'https://example.com/' },
      1,
    );
    expect(out.result.timedOut).toBe(true);
    expect(out.body.errorMessage).toMatch(/Task timed out after 1\.\d\d seconds$/);
    expect(loopbackOnly(out.sockets)).toBe(true);
  });

  test('through a NAT gateway the internet answers', async () => {
    const out = await probe(positionIn(twin, vpc, vpc.natSubnet), {
      op: 'connect',
      host: 'example.com',
      port: 443,
      wait: 2000,
    });
    expect(out.body).toEqual({ ok: true, value: 'connected' });
  });

  test('the VPC resolver answers EC2 private names; unknown internal names do not resolve', async () => {
    const position = positionIn(twin, vpc, vpc.isolatedSubnet);
    expect((await probe(position, { op: 'lookup', host: 'ip-10-90-1-77.ec2.internal' })).body.value).toEqual([
      { address: '10.90.1.77', family: 4 },
    ]);
    expect((await probe(position, { op: 'lookup', host: 'db.corp.internal' })).body.code).toBe('ENOTFOUND');
  });

  test('with DNS resolution turned off in the VPC, lookups fail with EAI_AGAIN', async () => {
    const own = await buildVpcWithoutDns();
    expect((await probe(own, { op: 'lookup', host: 'example.com' })).body.code).toBe('EAI_AGAIN');
  });
});

async function buildVpcWithoutDns(): Promise<CallerPosition> {
  const other = await buildVpc(twin);
  await builderFor(twin, '123456789012', 'us-east-1').ec2('ModifyVpcAttribute', {
    VpcId: other.vpcId,
    EnableDnsSupport: { Value: false },
  });
  return positionIn(twin, other, other.isolatedSubnet);
}
