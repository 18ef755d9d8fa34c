import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleControl } from './control/routes.ts';
import { AwsError, InternalFailure } from './core/errors.ts';
import { chain } from './gateway/chain.ts';
import type { Exchange } from './gateway/exchange.ts';
import { recordCall } from './gateway/record.ts';
import { protocols } from './protocols/index.ts';
import type { WireRequest, WireResponse } from './protocols/wire.ts';
import type { Twin } from './twin.ts';

/**
 * One node:http server on 127.0.0.1 serving every service. The twin it
 * serves can be swapped (`/_twin/reset` restores the seeded lab) without
 * restarting the port.
 */
export interface TwinServer {
  readonly endpoint: string;
  readonly port: number;
  twin: Twin;
  /** HTTP requests received so far, control routes included: proof that a run made no AWS call. */
  readonly requestCount: number;
  /** Replaces the world with a freshly built one (the lab as seeded). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Builds the world for the endpoint it will be served on; called again by reset(). */
  build: (endpoint: string) => Twin | Promise<Twin>;
}

export async function serve(options: ServeOptions): Promise<TwinServer> {
  const sockets = new Set<Socket>();
  let requestCount = 0;
  let twin: Twin;
  let endpoint = '';
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    requestCount += 1;
    onRequest(server, req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  };
  const http: Server = createServer({ keepAliveTimeout: 5_000 }, handle);
  http.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  endpoint = `http://127.0.0.1:${port}`;
  const build = async () => {
    const t = await options.build(endpoint);
    t.origin = endpoint;
    return t;
  };
  twin = await build();
  const server: TwinServer = {
    endpoint,
    port,
    get twin() {
      return twin;
    },
    set twin(t) {
      twin = t;
    },
    get requestCount() {
      return requestCount;
    },
    async reset() {
      const old = twin;
      twin = await build();
      old.dispose();
    },
    close() {
      twin.dispose();
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => http.close(() => resolve()));
    },
  };
  return server;
}

async function readWire(req: IncomingMessage): Promise<WireRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return {
    method: req.method ?? 'GET',
    path: q === -1 ? url : url.slice(0, q),
    rawQuery: q === -1 ? '' : url.slice(q + 1),
    headers,
    body: Buffer.concat(chunks),
  };
}

async function onRequest(server: TwinServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const wire = await readWire(req);
  if (wire.path.startsWith('/_twin/')) return send(res, await handleControl(server, wire));
  const twin = server.twin;
  const abort = new AbortController();
  res.on('close', () => abort.abort(new Error('client went away')));
  const ex: Exchange = {
    twin,
    req: wire,
    requestId: twin.ids.uuid(),
    sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    origin: server.endpoint,
    signal: abort.signal,
  };
  const meta = { requestId: ex.requestId, method: wire.method };
  let response: WireResponse;
  try {
    for (const step of chain) await step(ex);
    response = ex.protocol!.serialize(ex.service!, ex.operation!, ex.output, meta);
  } catch (err) {
    if (abort.signal.aborted) return;
    const error = err instanceof AwsError ? err : new InternalFailure(err, ex.requestId);
    if (!(err instanceof AwsError)) console.error('[twin] internal failure', err);
    if (ex.ctx) recordCall(ex, error);
    return send(res, renderError(ex, error, meta));
  }
  recordCall(ex, undefined);
  send(res, response);
}

/**
 * The error in the request's protocol. Should rendering itself fail (a twin
 * bug), the client still gets a JSON error with its code in the header every
 * SDK reads, never a plain-text body (twin-protocols.md §6).
 */
function renderError(
  ex: Exchange,
  error: AwsError,
  meta: { requestId: string; method: string },
): WireResponse {
  const fallback = { namespace: 'com.amazonaws.twin', signingName: 'unknown', sdk: {} } as never;
  try {
    return (ex.protocol ?? protocols.awsJson1_1).serializeError(ex.service ?? fallback, error, meta);
  } catch (renderFailure) {
    console.error('[twin] could not render an error', renderFailure);
    const failure = new InternalFailure(renderFailure, ex.requestId);
    return {
      status: 500,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': ex.requestId,
        'x-amzn-errortype': failure.code,
      },
      body: JSON.stringify({ __type: failure.code, message: failure.message }),
    };
  }
}

function send(res: ServerResponse, response: WireResponse): void {
  if (res.destroyed) return;
  const body = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
  // A HEAD answer keeps the Content-Length its protocol announced (the object's size) and sends nothing.
  const head = res.req.method === 'HEAD';
  const length = head ? (response.headers['content-length'] ?? '0') : String(body.length);
  res.writeHead(response.status, { ...response.headers, 'content-length': length });
  res.end(head ? undefined : body);
}
