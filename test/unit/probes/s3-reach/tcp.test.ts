import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Attempt } from '../../../../probes/s3-reach/attempts.ts';
import { handler } from '../../../../probes/s3-reach/index.ts';

/** The probe's `tcp` attempt (a named host on the service's port), against listeners on loopback only. */
let server: Server;
let open: number;

beforeAll(async () => {
  server = createServer((socket) => socket.end());
  open = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
});
afterAll(() => server.close());

describe('the probe connects over TCP to a host on any port', () => {
  test('an open port is ok; a closed one is an error naming ECONNREFUSED, never ok', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const report = await handler({
      attempts: [
        { name: 'open', kind: 'tcp', host: '127.0.0.1', port: open },
        { name: 'closed', kind: 'tcp', host: '127.0.0.1', port: closed },
      ],
      timeoutMs: 2_000,
    });
    expect(report.results.map((r) => [r.name, r.kind, r.outcome, r.errorCode])).toEqual([
      ['open', 'tcp', 'ok', undefined],
      ['closed', 'tcp', 'error', 'ECONNREFUSED'],
    ]);
    expect(report.results[0]!.detail).toBe(`connected to 127.0.0.1:${open}`);
  });

  test('an attempt of a kind the probe does not know is an error, never ok', async () => {
    const report = await handler({
      attempts: [{ name: 'future', kind: 'quic' } as unknown as Attempt],
      timeoutMs: 500,
    });
    expect(report.results.map((r) => [r.outcome, r.errorCode])).toEqual([['error', 'UnknownAttempt']]);
  });
});
