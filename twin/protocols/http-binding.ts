import type { NormalizedSchema } from '@smithy/core/schema';
import { fromBase64 } from '@smithy/core/serde';
import { UnknownOperationError } from '../core/errors.ts';
import type { ServiceDefinition } from '../core/service.ts';
import { allOperations, type OperationInfo } from './schemas.ts';

/**
 * The server side of Smithy HTTP bindings (restJson1, restXml): routes a
 * request to the operation whose `@http` trait matches it, reads labels,
 * query, headers and payload into the input shape, and writes an output
 * shape back as status, headers and body. The SDK only has the client side
 * of this, so it is written here, driven by the SDK's own schemas.
 */

type Segment = { literal: string } | { label: string; greedy: boolean };

interface Route {
  op: OperationInfo;
  method: string;
  segments: Segment[];
  /** Query keys the route requires, with the value when the pattern fixes one (`list-type=2`). */
  query: Map<string, string | undefined>;
  /** `x-id=GetObject`: added by the SDK, not by botocore, so a tie-breaker only. */
  xId: string | undefined;
  score: number;
}

export interface BodyCodec {
  contentType: string;
  read(schema: NormalizedSchema, body: Buffer): Promise<Record<string, unknown>>;
  write(schema: NormalizedSchema, value: Record<string, unknown>): string;
}

/** REST routes of an SDK module's schemas: fixed at build time, not world state, so a module-level cache and not the Twin's. */
const routeCache = new WeakMap<object, Route[]>();

function routesOf(def: ServiceDefinition<unknown>): Route[] {
  const cached = routeCache.get(def.sdk);
  if (cached) return cached;
  const routes: Route[] = [];
  for (const op of allOperations(def)) {
    if (!op.http) continue;
    const [method, uri] = op.http;
    const [pathPart = '', queryPart = ''] = uri.split('?');
    const segments: Segment[] = pathPart
      .split('/')
      .filter(Boolean)
      .map((s) => {
        const m = /^\{(\w+)(\+?)\}$/.exec(s);
        return m ? { label: m[1]!, greedy: m[2] === '+' } : { literal: s };
      });
    const query = new Map<string, string | undefined>();
    let xId: string | undefined;
    for (const pair of queryPart.split('&').filter(Boolean)) {
      const [k = '', v] = pair.split('=');
      if (k === 'x-id') xId = v;
      else query.set(k, v);
    }
    const literals = segments.filter((s) => 'literal' in s).length;
    routes.push({
      op,
      method,
      segments,
      query,
      xId,
      score: literals * 10 + query.size * 3 + segments.length,
    });
  }
  routeCache.set(def.sdk, routes);
  return routes;
}

function matchPath(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if ('literal' in seg) {
      if (parts[i] !== seg.literal) return undefined;
    } else if (seg.greedy) {
      if (i >= parts.length) return undefined;
      labels[seg.label] = parts.slice(i).join('/');
      return labels;
    } else {
      if (parts[i] === undefined || parts[i] === '') return undefined;
      labels[seg.label] = parts[i]!;
    }
  }
  return parts.length === segments.length ? labels : undefined;
}

/**
 * Finds the operation a request calls. `parts` are the decoded path segments
 * (for S3, after the bucket). `accept` lets a service narrow the candidates
 * (S3: operations with or without a Bucket member).
 */
export function routeRequest(
  def: ServiceDefinition<unknown>,
  method: string,
  parts: string[],
  query: Map<string, string[]>,
  accept: (op: OperationInfo) => boolean = () => true,
): { op: OperationInfo; labels: Record<string, string> } {
  const xId = query.get('x-id')?.[0];
  let best: { route: Route; labels: Record<string, string>; rank: number } | undefined;
  for (const route of routesOf(def)) {
    if (route.method !== method || !accept(route.op)) continue;
    const labels = matchPath(route.segments, parts);
    if (!labels) continue;
    let ok = true;
    for (const [k, v] of route.query) {
      const got = query.get(k);
      if (!got || (v !== undefined && !got.includes(v))) ok = false;
    }
    if (!ok) continue;
    const rank =
      route.score * 10 + (xId && route.xId === xId ? 5 : 0) + requiredQueryPresent(route.op, query);
    if (!best || rank > best.rank) best = { route, labels, rank };
  }
  if (!best)
    throw new UnknownOperationError(`No ${def.signingName} operation matches ${method} /${parts.join('/')}`);
  return { op: best.route.op, labels: best.labels };
}

/** Prefers the operation whose required query members are all there (S3 UploadPart over PutObject). */
function requiredQueryPresent(op: OperationInfo, query: Map<string, string[]>): number {
  let bonus = 0;
  for (const [, member] of op.input.structIterator()) {
    const t = member.getMergedTraits() as { httpQuery?: string; required?: unknown };
    if (t.httpQuery && query.has(t.httpQuery)) bonus += 1;
  }
  return bonus;
}

function fromText(schema: NormalizedSchema, text: string): unknown {
  if (schema.isBooleanSchema()) return text === 'true';
  if (schema.isNumericSchema()) return Number(text);
  if (schema.isTimestampSchema())
    return /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
  if (schema.isBlobSchema()) return fromBase64(text);
  if (schema.isListSchema()) return text.split(',').map((s) => fromText(schema.getValueSchema(), s.trim()));
  return text;
}

function toText(schema: NormalizedSchema, value: unknown): string {
  if (value instanceof Date) return value.toUTCString();
  if (Array.isArray(value)) return value.map((v) => toText(schema.getValueSchema(), v)).join(', ');
  return String(value);
}

export interface BoundRequest {
  labels: Record<string, string>;
  query: Map<string, string[]>;
  headers: Record<string, string>;
  body: Buffer;
}

/** Reads the input shape of `op` from its HTTP bindings. */
export async function readBoundInput(
  op: OperationInfo,
  req: BoundRequest,
  codec: BodyCodec,
): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {};
  let hasBodyMembers = false;
  for (const [name, member] of op.input.structIterator()) {
    const t = member.getMergedTraits() as Record<string, unknown>;
    if (t.httpLabel) {
      if (req.labels[name] !== undefined) input[name] = req.labels[name];
    } else if (typeof t.httpQuery === 'string') {
      const values = req.query.get(t.httpQuery);
      if (values)
        input[name] = member.isListSchema()
          ? values.map((v) => fromText(member.getValueSchema(), v))
          : fromText(member, values[0]!);
    } else if (t.httpQueryParams) {
      input[name] = Object.fromEntries([...req.query].map(([k, v]) => [k, v[0]]));
    } else if (typeof t.httpHeader === 'string') {
      const value = req.headers[t.httpHeader.toLowerCase()];
      if (value !== undefined) input[name] = fromText(member, value);
    } else if (typeof t.httpPrefixHeaders === 'string') {
      const prefix = t.httpPrefixHeaders.toLowerCase();
      const map: Record<string, string> = {};
      for (const [h, v] of Object.entries(req.headers))
        if (h.startsWith(prefix)) map[h.slice(prefix.length)] = v;
      if (Object.keys(map).length) input[name] = map;
    } else if (t.httpPayload) {
      if (member.isBlobSchema() || member.isStreaming()) input[name] = req.body;
      else if (member.isStringSchema()) input[name] = req.body.toString('utf8');
      else if (req.body.length) input[name] = await codec.read(member, req.body);
    } else {
      hasBodyMembers = true;
    }
  }
  if (hasBodyMembers && req.body.length) {
    const fromBody = await codec.read(op.input, req.body);
    for (const [name, member] of op.input.structIterator()) {
      const t = member.getMergedTraits() as Record<string, unknown>;
      const bound =
        t.httpLabel ||
        t.httpQuery ||
        t.httpQueryParams ||
        t.httpHeader ||
        t.httpPrefixHeaders ||
        t.httpPayload;
      if (!bound && fromBody[name] !== undefined) input[name] = fromBody[name];
    }
  }
  return input;
}

/** Writes the output shape of `op` as status, headers and body. */
export function writeBoundOutput(
  op: OperationInfo,
  output: Record<string, unknown>,
  codec: BodyCodec,
): { status: number; headers: Record<string, string>; body: Buffer | string } {
  let status = op.http?.[2] ?? 200;
  const headers: Record<string, string> = {};
  const bodyMembers: Record<string, unknown> = {};
  let body: Buffer | string | undefined;
  let hasBodyMembers = false;
  for (const [name, member] of op.output.structIterator()) {
    const t = member.getMergedTraits() as Record<string, unknown>;
    const value = output[name];
    if (t.httpResponseCode) {
      if (typeof value === 'number') status = value;
    } else if (typeof t.httpHeader === 'string') {
      if (value !== undefined && value !== null) headers[t.httpHeader.toLowerCase()] = toText(member, value);
    } else if (typeof t.httpPrefixHeaders === 'string') {
      for (const [k, v] of Object.entries((value as Record<string, string>) ?? {}))
        headers[`${t.httpPrefixHeaders.toLowerCase()}${k}`] = v;
    } else if (t.httpPayload) {
      if (value === undefined || value === null) continue;
      if (member.isBlobSchema() || member.isStreaming()) body = Buffer.from(value as Uint8Array);
      else if (member.isStringSchema()) body = String(value);
      else {
        body = codec.write(member, value as Record<string, unknown>);
        headers['content-type'] = codec.contentType;
      }
    } else {
      hasBodyMembers = true;
      if (value !== undefined) bodyMembers[name] = value;
    }
  }
  if (body === undefined && hasBodyMembers) {
    body = codec.write(op.output, bodyMembers);
    headers['content-type'] = codec.contentType;
  }
  return { status, headers, body: body ?? '' };
}
