/**
 * The twin's ciphertext blobs. Like AWS's, a blob names the key that made it,
 * so Decrypt needs no KeyId ("AWS KMS uses the metadata that it adds to the
 * ciphertext blob to determine which KMS key was used", API_Decrypt). Layout:
 *
 *   0x01 'T' | u16 arn length | key ARN | sha256(encryption context) | iv(12) | tag(16) | AES-256-GCM body
 *
 * Everything before the iv is the GCM additional data, so the key ARN and the
 * context digest cannot be altered, and a wrong context fails as it does in
 * AWS (InvalidCiphertextException).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { invalidCiphertext } from '../errors.ts';

const MAGIC = Buffer.from([0x01, 0x54]);

/** A canonical digest of an encryption context: pairs sorted by key, so key order does not matter. */
export function contextDigest(context: Record<string, string> | undefined): Buffer {
  const pairs = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(pairs)).digest();
}

/** Encrypts `plaintext` under a key's material, binding the key ARN and the encryption context. */
export function seal(
  material: Buffer,
  keyArn: string,
  plaintext: Uint8Array,
  context?: Record<string, string>,
): Uint8Array {
  const arn = Buffer.from(keyArn, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(arn.length);
  const header = Buffer.concat([MAGIC, length, arn, contextDigest(context)]);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([header, iv, cipher.getAuthTag(), body]));
}

export interface ParsedBlob {
  keyArn: string;
  header: Buffer;
  digest: Buffer;
  iv: Buffer;
  tag: Buffer;
  body: Buffer;
}

/** Reads a blob's layout; `undefined` when it is not a blob the twin made. */
export function parseBlob(blob: Uint8Array | undefined): ParsedBlob | undefined {
  if (!blob) return undefined;
  const buf = Buffer.from(blob);
  if (buf.length < 4 || !buf.subarray(0, 2).equals(MAGIC)) return undefined;
  const arnEnd = 4 + buf.readUInt16BE(2);
  const ivStart = arnEnd + 32;
  if (buf.length < ivStart + 28) return undefined;
  return {
    keyArn: buf.subarray(4, arnEnd).toString('utf8'),
    header: buf.subarray(0, ivStart),
    digest: buf.subarray(arnEnd, ivStart),
    iv: buf.subarray(ivStart, ivStart + 12),
    tag: buf.subarray(ivStart + 12, ivStart + 28),
    body: buf.subarray(ivStart + 28),
  };
}

/** Decrypts a parsed blob with the key's material; InvalidCiphertextException when context or bytes differ. */
export function open(material: Buffer, blob: ParsedBlob, context?: Record<string, string>): Uint8Array {
  if (!contextDigest(context).equals(blob.digest)) throw invalidCiphertext();
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, blob.iv);
    decipher.setAAD(blob.header);
    decipher.setAuthTag(blob.tag);
    return new Uint8Array(Buffer.concat([decipher.update(blob.body), decipher.final()]));
  } catch {
    throw invalidCiphertext();
  }
}
