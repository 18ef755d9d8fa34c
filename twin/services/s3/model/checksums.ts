import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { badDigest, invalidDigest } from '../errors.ts';

/** Hex MD5 of a body. */
export function md5Hex(body: Uint8Array): string {
  return createHash('md5').update(body).digest('hex');
}

/** "The entity tag is a hash of the object … an MD5 digest of the object data" for single-part uploads (API_Object, ETag). */
export function etagOf(body: Uint8Array): string {
  return `"${md5Hex(body)}"`;
}

/**
 * A multipart object's ETag: the MD5 of the concatenated binary MD5s of its
 * parts, a dash and the part count ("Checking object integrity", S3 User
 * Guide: "the ETag … is not an MD5 digest of the object data").
 */
export function multipartEtag(partEtags: string[]): string {
  const digests = partEtags.map((e) => Buffer.from(e.replaceAll('"', ''), 'hex'));
  return `"${md5Hex(Buffer.concat(digests))}-${partEtags.length}"`;
}

/** Base64 of the big-endian CRC32, as `x-amz-checksum-crc32` carries it. */
export function crc32Base64(body: Uint8Array): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(body) >>> 0);
  return out.toString('base64');
}

export interface SentDigests {
  ContentMD5?: string | undefined;
  ChecksumCRC32?: string | undefined;
  ChecksumSHA1?: string | undefined;
  ChecksumSHA256?: string | undefined;
}

/**
 * Checks the digests a client sent with a body. A wrong Content-MD5 is
 * "BadDigest: The Content-MD5 you specified did not match what we
 * received."; a malformed one is InvalidDigest; a wrong flexible checksum
 * is "BadDigest: The CRC32 you specified did not match the calculated
 * checksum." (ErrorResponses.html; "Checking object integrity").
 * Algorithms node cannot compute (CRC32C, CRC64NVME) are accepted unchecked.
 */
export function verifyDigests(body: Buffer, sent: SentDigests): void {
  if (sent.ContentMD5 !== undefined) {
    const given = Buffer.from(sent.ContentMD5, 'base64');
    if (given.length !== 16) throw invalidDigest();
    if (!given.equals(createHash('md5').update(body).digest()))
      throw badDigest('The Content-MD5 you specified did not match what we received.');
  }
  const checks: [string | undefined, string, () => string][] = [
    [sent.ChecksumCRC32, 'CRC32', () => crc32Base64(body)],
    [sent.ChecksumSHA1, 'SHA1', () => createHash('sha1').update(body).digest('base64')],
    [sent.ChecksumSHA256, 'SHA256', () => createHash('sha256').update(body).digest('base64')],
  ];
  for (const [given, name, compute] of checks) {
    if (given !== undefined && given !== compute())
      throw badDigest(`The ${name} you specified did not match the calculated checksum.`);
  }
}
