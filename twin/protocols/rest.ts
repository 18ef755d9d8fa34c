import { JsonShapeDeserializer, JsonShapeSerializer } from '@smithy/core/protocols';
import { markup } from '../../common/escape.ts';
import { AwsError } from '../core/errors.ts';
import type { ServiceDefinition } from '../core/service.ts';
import { type BodyCodec, readBoundInput, routeRequest, writeBoundOutput } from './http-binding.ts';
import type { Protocol, ResponseMeta } from './protocol.ts';
import { errorTraits, type OperationInfo, operationInfo } from './schemas.ts';
import { queryParams, type WireRequest, xmlDeclaration } from './wire.ts';
import { readXml, xmlDocument } from './xml.ts';

const jsonSettings = { timestampFormat: { useTrait: true, default: 7 as const }, jsonName: true };

const jsonCodec: BodyCodec = {
  contentType: 'application/json',
  read: async (schema, body) =>
    (await new JsonShapeDeserializer(jsonSettings).read(schema, body.toString('utf8'))) as Record<
      string,
      unknown
    >,
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
    const input = await readBoundInput(
      op,
      { labels, query, headers: req.headers, body: req.body },
      jsonCodec,
    );
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
      body: JSON.stringify({
        Type: status >= 500 ? 'Service' : 'User',
        message: error.message,
        ...error.members,
      }),
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
  // The longest name before an S3 endpoint suffix, so buckets with dots (`logs.s3-archive`) stay whole.
  const virtual =
    /^(.+)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/.exec(host) ?? /^(.+)\.localhost$/.exec(host);
  const parts = req.path.split('/').slice(1).map(decodeURIComponent);
  if (virtual && !/^\d+\.\d+\.\d+\.\d+$/.test(host))
    return { bucket: virtual[1], parts: parts.filter((p, i) => p || i > 0) };
  const [bucket, ...rest] = parts;
  return { bucket: bucket || undefined, parts: rest.length === 1 && rest[0] === '' ? [] : rest };
}

function takesBucket(op: OperationInfo): boolean {
  for (const [name] of op.input.structIterator()) if (name === 'Bucket') return true;
  return false;
}

function binds(op: OperationInfo, trait: 'httpHeader' | 'httpQuery', name: string): boolean {
  for (const [, member] of op.input.structIterator())
    if ((member.getMergedTraits() as Record<string, unknown>)[trait] === name) return true;
  return false;
}

/**
 * Which S3 operations a request can be. botocore sends no `x-id`, so
 * operations sharing a route are told apart the way S3 does: PutObject,
 * CopyObject, UploadPart and UploadPartCopy share `PUT /{Key+}` and the
 * `x-amz-copy-source` header marks a copy; the operations on a multipart
 * upload (UploadPart, ListParts, CompleteMultipartUpload,
 * AbortMultipartUpload) need their required `uploadId` query parameter, so
 * `DELETE /{Key+}` without one is DeleteObject.
 */
function s3Candidates(
  req: WireRequest,
  bucket: string | undefined,
  query: Map<string, string[]>,
): (op: OperationInfo) => boolean {
  const copy = req.headers['x-amz-copy-source'] !== undefined;
  const upload = query.has('uploadId');
  return (op) =>
    takesBucket(op) === Boolean(bucket) &&
    binds(op, 'httpHeader', 'x-amz-copy-source') === copy &&
    (upload || !binds(op, 'httpQuery', 'uploadId'));
}

/** restXml (S3). HEAD errors carry no body, as real S3 sends them. */
export const restXml: Protocol = {
  recognizes: () => true,
  async parse(raw, def) {
    if (def.signingName !== 's3') return parseRestXmlService(raw, def);
    const req = decodeAwsChunked(raw);
    const query = queryParams(req.rawQuery);
    const { bucket, parts } = bucketAddressing(req);
    const { op, labels } = routeRequest(def, req.method, parts, query, s3Candidates(req, bucket, query));
    if (bucket) labels.Bucket = bucket;
    const input = await readBoundInput(
      op,
      { labels, query, headers: req.headers, body: req.body },
      xmlCodec(def),
    );
    return { operation: op.name, input };
  },
  serialize(def, operation, output, meta) {
    const op = operationInfo(def, operation)!;
    const out = writeBoundOutput(op, (output ?? {}) as Record<string, unknown>, xmlCodec(def));
    if (def.signingName !== 's3')
      return { ...out, headers: { 'x-amzn-requestid': meta.requestId, ...out.headers } };
    const headers: Record<string, string> = {
      'x-amz-request-id': meta.requestId,
      'x-amz-id-2': hostId(meta.requestId),
      ...out.headers,
    };
    // A ranged GET answers 206 Partial Content with Content-Range (RFC 9110 §15.3.7; API_GetObject).
    const status = operation === 'GetObject' && headers['content-range'] ? 206 : out.status;
    // A HEAD answer announces the object's Content-Length (set above from the output) and sends no body.
    return { status, headers, body: meta.method === 'HEAD' ? '' : out.body };
  },
  serializeError(def, error, meta) {
    if (def.signingName !== 's3') return restXmlServiceError(def, error, meta);
    const traits = errorTraits(def, error.code);
    const extra = Object.entries(error.members)
      .map(([k, v]) => `<${k}>${markup(v)}</${k}>`)
      .join('');
    const body = `${xmlDeclaration}<Error><Code>${markup(error.code)}</Code><Message>${markup(error.message)}</Message>${extra}<RequestId>${meta.requestId}</RequestId><HostId>${hostId(meta.requestId)}</HostId></Error>`;
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

/** restXml services other than S3 (Route 53): plain path routing, no bucket addressing. */
async function parseRestXmlService(req: WireRequest, def: ServiceDefinition<unknown>) {
  const query = queryParams(req.rawQuery);
  const { op, labels } = routeRequest(def, req.method, pathParts(req.path), query);
  const input = await readBoundInput(
    op,
    { labels, query, headers: req.headers, body: req.body },
    xmlCodec(def),
  );
  return { operation: op.name, input };
}

/**
 * Route 53's error document: `<ErrorResponse><Error><Type>Sender</Type>
 * <Code/><Message/></Error><RequestId/></ErrorResponse>` with
 * x-amzn-RequestId, as Route 53 answers (and the SDK's restXml error
 * parser reads `Error.Code`).
 */
function restXmlServiceError(def: ServiceDefinition<unknown>, error: AwsError, meta: ResponseMeta) {
  const traits = errorTraits(def, error.code);
  const status = error.status ?? traits.status ?? 400;
  const ns = def.xmlNamespace ? ` xmlns="${def.xmlNamespace}"` : '';
  const body = `${xmlDeclaration}<ErrorResponse${ns}><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${markup(error.code)}</Code><Message>${markup(error.message)}</Message></Error><RequestId>${meta.requestId}</RequestId></ErrorResponse>`;
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': meta.requestId, ...error.headers },
    body,
  };
}

const incompleteBody = () =>
  new AwsError(
    'IncompleteBody',
    'You did not provide the number of bytes specified by the Content-Length HTTP header',
    {
      status: 400,
    },
  );

/**
 * Decodes an `aws-chunked` body ("Signature Calculations for the
 * Authorization Header: Transferring Payload in Multiple Chunks", S3 API
 * Reference sigv4-streaming.html): `hex-size[;chunk-signature=…]\r\n`,
 * the data and `\r\n` per chunk, a zero-size chunk, then trailing headers
 * (`x-amz-checksum-crc32:…`) and an empty line. Chunk signatures are not
 * verified (the seed signature of the headers is).
 */
export function decodeChunks(body: Buffer): { data: Buffer; trailers: Record<string, string> } {
  const chunks: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let at = 0;
  const line = () => {
    const end = body.indexOf('\r\n', at);
    if (end === -1) throw incompleteBody();
    const text = body.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  for (;;) {
    const size = Number.parseInt(line().split(';')[0]!, 16);
    if (!Number.isInteger(size) || size < 0) throw incompleteBody();
    if (size === 0) break;
    if (at + size + 2 > body.length) throw incompleteBody();
    chunks.push(body.subarray(at, at + size));
    at += size + 2;
  }
  while (at < body.length) {
    const header = line();
    if (header === '') break;
    const colon = header.indexOf(':');
    if (colon > 0) trailers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(chunks), trailers };
}

/**
 * S3 stream uploads from the SDK arrive as `content-encoding: aws-chunked`
 * with `x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER` (or a
 * signed STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) and the checksum in
 * a trailer (twin-protocols.md §6 restXml). The request is handed on as if
 * the object had been sent plainly: decoded body, trailers as headers,
 * `x-amz-decoded-content-length` as Content-Length, and `aws-chunked`
 * dropped from Content-Encoding (S3 does not store it).
 */
function decodeAwsChunked(req: WireRequest): WireRequest {
  const encoding = req.headers['content-encoding'] ?? '';
  const chunked =
    /(^|,)\s*aws-chunked\s*(,|$)/.test(encoding) ||
    /^STREAMING-/.test(req.headers['x-amz-content-sha256'] ?? '');
  if (!chunked) return req;
  const { data, trailers } = decodeChunks(req.body);
  const declared = req.headers['x-amz-decoded-content-length'];
  if (declared !== undefined && Number(declared) !== data.length) throw incompleteBody();
  const { 'x-amz-trailer-signature': _signature, ...trailing } = trailers;
  const headers: Record<string, string> = {
    ...req.headers,
    ...trailing,
    'content-length': String(data.length),
  };
  const rest = encoding
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e && e !== 'aws-chunked');
  if (rest.length) headers['content-encoding'] = rest.join(',');
  else delete headers['content-encoding'];
  return { ...req, headers, body: data };
}

function hostId(requestId: string): string {
  return Buffer.from(`twin/${requestId}`).toString('base64');
}

export function unsupported(detail: string): AwsError {
  return new AwsError('NotImplemented', detail, { status: 501 });
}
