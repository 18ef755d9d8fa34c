import { JsonShapeDeserializer, JsonShapeSerializer } from '@smithy/core/protocols';
import { AwsError } from '../core/errors.ts';
import type { ServiceDefinition } from '../core/service.ts';
import { type BodyCodec, readBoundInput, routeRequest, writeBoundOutput } from './http-binding.ts';
import type { Protocol } from './protocol.ts';
import { errorTraits, operationInfo, type OperationInfo } from './schemas.ts';
import { escapeXml, readXml, xmlDocument } from './xml.ts';
import { queryParams, type WireRequest, xmlDeclaration } from './wire.ts';

const jsonSettings = { timestampFormat: { useTrait: true, default: 7 as const }, jsonName: true };

const jsonCodec: BodyCodec = {
  contentType: 'application/json',
  read: async (schema, body) => (await new JsonShapeDeserializer(jsonSettings).read(schema, body.toString('utf8'))) as Record<string, unknown>,
  write(schema, value) {
    const s = new JsonShapeSerializer(jsonSettings);
    s.write(schema, value);
    return String(s.flush());
  },
};

function xmlCodec(def: ServiceDefinition<unknown>): BodyCodec {
  return {
    contentType: 'application/xml',
    read: (schema, body) => readXml(schema, body, def.namespace),
    write: (schema, value) => xmlDeclaration + xmlDocument(schema, value, def.xmlNamespace, def.namespace),
  };
}

/** Decoded path segments; a trailing slash (`/2015-03-31/functions/`) adds none. */
function pathParts(path: string): string[] {
  const parts = path.split('/').slice(1).map(decodeURIComponent);
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

/** restJson1 (Lambda): errors carry `x-amzn-ErrorType`, which the SDK reads first. */
export const restJson: Protocol = {
  recognizes: () => true,
  async parse(req, def) {
    const query = queryParams(req.rawQuery);
    const { op, labels } = routeRequest(def, req.method, pathParts(req.path), query);
    const input = await readBoundInput(op, { labels, query, headers: req.headers, body: req.body }, jsonCodec);
    return { operation: op.name, input };
  },
  serialize(def, operation, output, meta) {
    const op = operationInfo(def, operation)!;
    const out = writeBoundOutput(op, (output ?? {}) as Record<string, unknown>, jsonCodec);
    return { ...out, headers: { 'x-amzn-requestid': meta.requestId, ...out.headers } };
  },
  serializeError(def, error, meta) {
    const traits = errorTraits(def, error.code);
    const status = error.status ?? traits.status ?? 400;
    return {
      status,
      headers: {
        'content-type': 'application/json',
        'x-amzn-requestid': meta.requestId,
        'x-amzn-errortype': error.code,
        ...error.headers,
      },
      body: JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', message: error.message, ...error.members }),
    };
  },
};

/**
 * Where the bucket is: virtual-host style puts it in the Host header
 * (`bucket.s3.us-east-1.amazonaws.com`, `bucket.localhost:4566`); path style
 * in the first segment. The SDK uses path style against 127.0.0.1 by itself.
 */
export function bucketAddressing(req: WireRequest): { bucket: string | undefined; parts: string[] } {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  const virtual = /^(.+?)\.(?:s3[.-][^]*|localhost)$/.exec(host);
  const parts = req.path.split('/').slice(1).map(decodeURIComponent);
  if (virtual && !/^\d+\.\d+\.\d+\.\d+$/.test(host)) return { bucket: virtual[1], parts: parts.filter((p, i) => p || i > 0) };
  const [bucket, ...rest] = parts;
  return { bucket: bucket || undefined, parts: rest.length === 1 && rest[0] === '' ? [] : rest };
}

function takesBucket(op: OperationInfo): boolean {
  for (const [name] of op.input.structIterator()) if (name === 'Bucket') return true;
  return false;
}

/** restXml (S3). HEAD errors carry no body, as real S3 sends them. */
export const restXml: Protocol = {
  recognizes: () => true,
  async parse(req, def) {
    const query = queryParams(req.rawQuery);
    const { bucket, parts } = bucketAddressing(req);
    const { op, labels } = routeRequest(def, req.method, parts, query, (o) => takesBucket(o) === Boolean(bucket));
    if (bucket) labels.Bucket = bucket;
    const input = await readBoundInput(op, { labels, query, headers: req.headers, body: req.body }, xmlCodec(def));
    return { operation: op.name, input };
  },
  serialize(def, operation, output, meta) {
    const op = operationInfo(def, operation)!;
    const out = writeBoundOutput(op, (output ?? {}) as Record<string, unknown>, xmlCodec(def));
    const headers = { 'x-amz-request-id': meta.requestId, 'x-amz-id-2': hostId(meta.requestId), ...out.headers };
    return { ...out, headers, body: meta.method === 'HEAD' ? '' : out.body };
  },
  serializeError(def, error, meta) {
    const traits = errorTraits(def, error.code);
    const extra = Object.entries(error.members)
      .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
      .join('');
    const body = `${xmlDeclaration}<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${extra}<RequestId>${meta.requestId}</RequestId><HostId>${hostId(meta.requestId)}</HostId></Error>`;
    return {
      status: error.status ?? traits.status ?? 400,
      headers: {
        'content-type': 'application/xml',
        'x-amz-request-id': meta.requestId,
        'x-amz-id-2': hostId(meta.requestId),
        ...error.headers,
      },
      body: meta.method === 'HEAD' ? '' : body,
    };
  },
};

function hostId(requestId: string): string {
  return Buffer.from(`twin/${requestId}`).toString('base64');
}

export function unsupported(detail: string): AwsError {
  return new AwsError('NotImplemented', detail, { status: 501 });
}
