import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WireRequest } from '../protocols/wire.ts';

/**
 * Signature Version 4 verification (docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html),
 * hand-written on node:crypto because the SDK only signs: measured against
 * the SDK and the AWS CLI in twin-protocols.md §2. Every request must be
 * signed by a key the twin knows; the credential scope names the service,
 * which is how one port serves every service.
 */
export interface SignedRequest {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

export function readAuthorization(req: WireRequest): SignedRequest | undefined {
  const m = AUTH_RE.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(';'),
    signature: m[6]!,
  };
}

/** RFC 3986 encoding as SigV4 wants it: encodeURIComponent plus `!'()*`. */
function enc(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function canonicalUri(path: string, service: string): string {
  const segments = path.split('/');
  // S3 signs the path encoded once; every other service encodes the already-encoded path again.
  return service === 's3'
    ? segments.map((s) => enc(safeDecode(s))).join('/')
    : segments.map((s) => enc(s)).join('/');
}

function canonicalQuery(raw: string): string {
  if (!raw) return '';
  return raw
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      const k = safeDecode((eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
      const v = eq === -1 ? '' : safeDecode(part.slice(eq + 1).replace(/\+/g, ' '));
      return [enc(k), enc(v)] as const;
    })
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const sha256hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

export function verifySignature(req: WireRequest, signed: SignedRequest, secretAccessKey: string): boolean {
  const canonicalHeaders = signed.signedHeaders
    .map((h) => `${h}:${(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const payloadHash = req.headers['x-amz-content-sha256'] ?? sha256hex(req.body);
  const canonicalRequest = [
    req.method,
    canonicalUri(req.path, signed.service),
    canonicalQuery(req.rawQuery),
    canonicalHeaders,
    signed.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${signed.date}/${signed.region}/${signed.service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    req.headers['x-amz-date'] ?? '',
    scope,
    sha256hex(canonicalRequest),
  ].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, signed.date);
  for (const part of [signed.region, signed.service, 'aws4_request']) key = hmac(key, part);
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(signed.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(expected, given);
}
