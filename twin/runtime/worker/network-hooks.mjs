/**
 * Keeps a function's networking on 127.0.0.1. Installed before the
 * handler's module loads:
 * - DNS (`dns.lookup`, `dns.resolve*`, their promise forms and Resolver
 *   classes) is answered by the twin, as the function's VPC resolver (or
 *   the internet's, outside a VPC) would answer it;
 * - a TCP connection (`net`, `tls`, `http(s)`, `http2`, `fetch` all come
 *   through `net.Socket.prototype.connect`) to a loopback address — the twin
 *   itself — goes through untouched; to any other address the twin says
 *   whether the function's network position has a path there: with one,
 *   the socket is connected to the twin's stand-in for that host on
 *   127.0.0.1; without one it never connects, as a SYN into a VPC with no
 *   route never gets an answer, until the caller's own timeout;
 * - a TCP connection to the twin's own origin (where AWS_ENDPOINT_URL
 *   points the SDK) stays connecting until its first bytes name the
 *   service (SigV4's credential scope): with a path from the function's
 *   position it opens, without one it never does — as on AWS, where a
 *   missing route is a connect that never completes and a slow service is
 *   an open connection with a late answer (a client that waits for the
 *   connection before it writes, unlike HTTP, never gets one: the twin
 *   speaks only HTTP to functions);
 * - UDP datagrams to non-loopback addresses are dropped.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { workerData } from 'node:worker_threads';
import { ask, post } from './bridge.mjs';

/** host:port of the twin itself, as the worker was started with it (the function cannot change it). */
const TWIN = (() => {
  try {
    const url = new URL(String(workerData?.twinOrigin ?? ''));
    return { port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
  } catch {
    return undefined;
  }
})();

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

/** @param {string | undefined | null} host */
export function isLoopback(host) {
  if (!host) return true;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    LOOPBACK_NAMES.has(h) ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    /^::ffff:127\./.test(h) ||
    ['::1', '0.0.0.0', '::'].includes(h)
  );
}

const ERRNO = { ENOTFOUND: -3008, EAI_AGAIN: -3001, ENODATA: -3007 };

/**
 * An error shaped as Node's resolver shapes its own (`getaddrinfo ENOTFOUND host`).
 * @param {string} code @param {string} syscall @param {string} hostname
 */
function dnsError(code, syscall, hostname) {
  const err = /** @type {NodeJS.ErrnoException & { hostname: string }} */ (
    new Error(`${syscall} ${code} ${hostname}`)
  );
  err.code = code;
  err.errno = syscall === 'getaddrinfo' ? (ERRNO[/** @type {keyof ERRNO} */ (code)] ?? -3008) : undefined;
  err.syscall = syscall;
  err.hostname = hostname;
  return err;
}

/**
 * Addresses for a name, IPv4 only (the twin's networks are IPv4).
 * @param {string} hostname @param {number} family
 * @returns {Promise<{ addresses: string[] } | { code: string }>}
 */
async function answer(hostname, family) {
  if (net.isIP(hostname)) return { addresses: [hostname] };
  if (isLoopback(hostname)) return { addresses: [family === 6 ? '::1' : '127.0.0.1'] };
  if (family === 6) return { code: 'ENOTFOUND' };
  const reply = await ask({ type: 'dns', hostname });
  return reply.code ? { code: reply.code } : { addresses: reply.addresses };
}

/** @param {unknown} options */
function lookupOptions(options) {
  const o = typeof options === 'number' ? { family: options } : /** @type {any} */ (options ?? {});
  const family = o.family === 'IPv6' ? 6 : o.family === 'IPv4' ? 4 : Number(o.family ?? 0);
  return { family, all: Boolean(o.all) };
}

/** @param {string} hostname @param {unknown} options */
async function lookupPromise(hostname, options) {
  const { family, all } = lookupOptions(options);
  const found = await answer(hostname, family);
  if ('code' in found) throw dnsError(found.code, 'getaddrinfo', hostname);
  const list = found.addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  return all ? list : list[0];
}

/** @param {string} hostname @param {any} options @param {Function} [callback] */
function lookup(hostname, options, callback) {
  const cb = typeof options === 'function' ? options : /** @type {Function} */ (callback);
  const opts = typeof options === 'function' ? {} : options;
  lookupPromise(hostname, opts).then(
    (found) => (Array.isArray(found) ? cb(null, found) : cb(null, found?.address, found?.family)),
    (err) => cb(err),
  );
}

const RESOLVE_METHODS = {
  resolve: 'A',
  resolve4: 'A',
  resolve6: 'AAAA',
  resolveAny: 'ANY',
  resolveCaa: 'CAA',
  resolveCname: 'CNAME',
  resolveMx: 'MX',
  resolveNaptr: 'NAPTR',
  resolveNs: 'NS',
  resolvePtr: 'PTR',
  resolveSoa: 'SOA',
  resolveSrv: 'SRV',
  resolveTxt: 'TXT',
};

/**
 * A records come from the twin; other record types have no data.
 * @param {string} type @param {string} hostname @param {any} options
 */
async function resolvePromise(type, hostname, options) {
  const rrtype = typeof options === 'string' ? options : type;
  const syscall = `query${rrtype === 'ANY' ? 'Any' : rrtype[0] + rrtype.slice(1).toLowerCase()}`;
  if (rrtype !== 'A') throw dnsError('ENODATA', syscall, hostname);
  const found = await answer(hostname, 4);
  if ('code' in found)
    throw dnsError(found.code === 'EAI_AGAIN' ? 'ESERVFAIL' : 'ENOTFOUND', syscall, hostname);
  return options?.ttl ? found.addresses.map((address) => ({ address, ttl: 60 })) : found.addresses;
}

/** @param {any} target @param {boolean} promises */
function patchResolvers(target, promises) {
  for (const [method, type] of Object.entries(RESOLVE_METHODS)) {
    if (typeof target[method] !== 'function') continue;
    target[method] = promises
      ? (/** @type {string} */ host, /** @type {any} */ options) => resolvePromise(type, host, options)
      : (/** @type {string} */ host, /** @type {any} */ options, /** @type {Function} */ cb) => {
          const done = typeof options === 'function' ? options : cb;
          resolvePromise(type, host, typeof options === 'function' ? undefined : options).then(
            (r) => done(null, r),
            (e) => done(e),
          );
        };
  }
  const reverse = (/** @type {string} */ ip) => Promise.reject(dnsError('ENOTFOUND', 'getHostByAddr', ip));
  target.reverse = promises
    ? reverse
    : (/** @type {string} */ ip, /** @type {Function} */ cb) => reverse(ip).catch((e) => cb(e));
}

function patchDns() {
  dns.lookup = /** @type {any} */ (lookup);
  dns.promises.lookup = /** @type {any} */ (lookupPromise);
  dns.lookupService = /** @type {any} */ (
    (/** @type {string} */ address, /** @type {number} */ _port, /** @type {Function} */ cb) =>
      process.nextTick(cb, dnsError('ENOTFOUND', 'getnameinfo', address))
  );
  dns.promises.lookupService = /** @type {any} */ (
    async (/** @type {string} */ address) => {
      throw dnsError('ENOTFOUND', 'getnameinfo', address);
    }
  );
  patchResolvers(dns, false);
  patchResolvers(dns.Resolver.prototype, false);
  patchResolvers(dns.promises, true);
  patchResolvers(dns.promises.Resolver.prototype, true);
}

/** @param {unknown[]} args */
function normalizeConnectArgs(args) {
  const normalized = Array.isArray(args[0]) ? args[0] : /** @type {any} */ (net)._normalizeArgs(args);
  return { options: normalized[0] ?? {}, cb: normalized[1] ?? null };
}

/**
 * A lookup that can only answer with a loopback address: used for
 * connections the hooks let through, so that no custom `lookup` option can
 * turn `localhost` into an address elsewhere.
 * @param {string} hostname @param {any} options @param {Function} cb
 */
function loopbackLookup(hostname, options, cb) {
  const done = typeof options === 'function' ? options : cb;
  const all = typeof options === 'object' && options?.all;
  const address = net.isIP(hostname) && isLoopback(hostname) ? hostname : '127.0.0.1';
  const family = net.isIPv6(address) ? 6 : 4;
  process.nextTick(() => (all ? done(null, [{ address, family }]) : done(null, address, family)));
}

/** Reports where a socket really went once it is connected; anything but loopback is ended at once. */
function audit(/** @type {net.Socket} */ socket, /** @type {string | undefined} */ standsFor) {
  // First in line, before the caller's own listeners can end the socket.
  socket.prependOnceListener('connect', () => {
    const host = socket.remoteAddress ?? 'unknown';
    post({ type: 'socket', host, port: socket.remotePort, ...(standsFor && { standsFor }) });
    if (!isLoopback(host)) socket.destroy(new Error(`the twin stopped a connection to ${host}`));
  });
}

/** The text of the first bytes written to a socket (`_writeGeneric`'s data, one chunk or a writev list). */
function textOf(/** @type {boolean} */ writev, /** @type {any} */ data) {
  const chunks = writev ? data.map((/** @type {any} */ c) => c.chunk ?? c) : [data];
  return chunks
    .map((/** @type {any} */ c) => (typeof c === 'string' ? c : Buffer.from(c).toString('latin1')))
    .join('')
    .slice(0, 16_384);
}

/**
 * Holds a connection to the twin until its first write names the service,
 * then opens it — or never does, when the function has no path there.
 * Writes made while connecting wait in `_writeGeneric`, as in net.Socket.
 * @param {net.Socket & { connecting: boolean, _writeGeneric: Function }} socket
 * @param {Function} realConnect @param {any} options @param {Function | null} cb
 */
function gateTwinConnection(socket, realConnect, options, cb) {
  if (cb) socket.once('connect', cb);
  socket.connecting = true;
  const realWrite = socket._writeGeneric;
  let asked = false;
  socket._writeGeneric = function (
    /** @type {boolean} */ writev,
    /** @type {any} */ data,
    /** @type {string} */ encoding,
    /** @type {Function} */ done,
  ) {
    if (asked) return realWrite.call(this, writev, data, encoding, done);
    asked = true;
    ask({ type: 'service', head: textOf(writev, data) }).then((verdict) => {
      if (socket.destroyed || verdict.kind === 'hang') return;
      socket._writeGeneric = realWrite;
      socket.once('connect', () => realWrite.call(socket, writev, data, encoding, done));
      audit(socket, undefined);
      realConnect.call(socket, { ...options, lookup: loopbackLookup });
    });
  };
  return socket;
}

function patchNet() {
  const realConnect = net.Socket.prototype.connect;
  /** @this {net.Socket & { connecting: boolean }} */
  function connect(/** @type {unknown[]} */ ...args) {
    const { options, cb } = normalizeConnectArgs(args);
    // Node treats a truthy `path` as an IPC socket (a file on this machine); http passes `path: null`.
    if (options.path) return realConnect.apply(this, /** @type {any} */ (args));
    if (isLoopback(options.host) && TWIN && Number(options.port) === TWIN.port)
      return gateTwinConnection(this, realConnect, options, cb);
    if (isLoopback(options.host)) {
      audit(this, undefined);
      return realConnect.call(this, { ...options, lookup: loopbackLookup }, ...(cb ? [cb] : []));
    }
    if (cb) this.once('connect', cb);
    // Writes before the connection opens are buffered, as during a real connect.
    this.connecting = true;
    ask({ type: 'connect', host: String(options.host), port: Number(options.port) }).then((verdict) => {
      if (this.destroyed || verdict.kind === 'hang') return;
      this.connecting = false;
      if (verdict.code) return this.destroy(dnsError(verdict.code, 'getaddrinfo', String(options.host)));
      audit(this, String(options.host));
      realConnect.call(this, { host: '127.0.0.1', port: verdict.port });
    });
    return this;
  }
  net.Socket.prototype.connect = /** @type {any} */ (connect);
}

const BLACKHOLE = Symbol('twin.udp.blackhole');

/** @param {any} socket @param {unknown[]} args */
function datagramDestination(socket, args) {
  if (socket[BLACKHOLE]) return socket[BLACKHOLE];
  const address = args.slice(1).find((a) => typeof a === 'string');
  return typeof address === 'string' ? address : undefined;
}

function patchDgram() {
  const realSend = dgram.Socket.prototype.send;
  const realConnect = dgram.Socket.prototype.connect;
  dgram.Socket.prototype.send = /** @type {any} */ (
    function (/** @type {unknown[]} */ ...args) {
      const destination = datagramDestination(this, args);
      if (destination !== undefined && !isLoopback(destination)) {
        const cb = args.at(-1);
        if (typeof cb === 'function') process.nextTick(cb, null, 0);
        return;
      }
      return realSend.apply(this, /** @type {any} */ (args));
    }
  );
  dgram.Socket.prototype.connect = /** @type {any} */ (
    function (/** @type {number} */ port, /** @type {any} */ address, /** @type {any} */ cb) {
      const host = typeof address === 'string' ? address : undefined;
      if (host === undefined || isLoopback(host)) return realConnect.call(this, port, address, cb);
      /** @type {any} */ (this)[BLACKHOLE] = host;
      const done = typeof address === 'function' ? address : cb;
      process.nextTick(() => {
        this.emit('connect');
        done?.();
      });
    }
  );
}

/** Installs every hook; call once, before any user code loads. */
export function installNetworkHooks() {
  patchDns();
  patchNet();
  patchDgram();
  syncBuiltinESMExports();
}
