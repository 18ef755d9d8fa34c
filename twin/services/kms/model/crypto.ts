import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../core/errors.ts';
import { invalidCiphertext, validation } from '../errors.ts';
import { type ParsedBlob, parseBlob } from './ciphertext.ts';
import { type ModelOf, type ResolvedKey, resolveKey } from './resolve.ts';

/**
 * The key a ciphertext blob names, found from the blob itself. A blob the
 * twin did not make, or whose key no longer exists in this Region, is an
 * InvalidCiphertextException, as AWS answers a ciphertext it cannot use.
 */
export function blobKey(
  modelOf: ModelOf,
  blob: Uint8Array | undefined,
  caller: { accountId: string; region: string },
): ResolvedKey & { blob: ParsedBlob } {
  const parsed = parseBlob(blob);
  if (!parsed) throw invalidCiphertext();
  try {
    return { ...resolveKey(modelOf, parsed.keyArn, caller), blob: parsed };
  } catch (error) {
    if (error instanceof AwsError && error.code === 'NotFoundException') throw invalidCiphertext();
    throw error;
  }
}

/** The ARN of the key a blob names, without looking it up; for audit records of failed calls. */
export function blobKeyArn(blob: unknown): string | undefined {
  return blob instanceof Uint8Array ? parseBlob(blob)?.keyArn : undefined;
}

/**
 * The data key size GenerateDataKey asks for: "specify either the KeySpec
 * or the NumberOfBytes parameter (but not both)"; AES_256 is 32 bytes,
 * AES_128 16, NumberOfBytes 1–1024 (API_GenerateDataKey; messages as moto's
 * tests record them).
 */
export function dataKeyLength(keySpec: string | undefined, numberOfBytes: number | undefined): number {
  if ((keySpec === undefined) === (numberOfBytes === undefined)) {
    throw validation('Please specify either number of bytes or key spec.');
  }
  if (numberOfBytes !== undefined) {
    if (numberOfBytes < 1 || numberOfBytes > 1024) {
      throw validation(
        `1 validation error detected: Value '${numberOfBytes}' at 'numberOfBytes' failed to satisfy constraint: Member must have value ${numberOfBytes < 1 ? 'greater than or equal to 1' : 'less than or equal to 1024'}`,
      );
    }
    return numberOfBytes;
  }
  if (keySpec !== 'AES_256' && keySpec !== 'AES_128') {
    throw validation(
      `1 validation error detected: Value '${keySpec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]`,
    );
  }
  return keySpec === 'AES_256' ? 32 : 16;
}

export function freshDataKey(length: number): Uint8Array {
  return new Uint8Array(randomBytes(length));
}

/** Encrypt takes "up to 4,096 bytes" of plaintext (API_Encrypt). */
export function checkPlaintext(plaintext: Uint8Array | undefined): Uint8Array {
  const size = plaintext?.length ?? 0;
  if (size < 1 || size > 4096) {
    throw validation(
      `1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length ${size < 1 ? 'greater than or equal to 1' : 'less than or equal to 4096'}`,
    );
  }
  return plaintext!;
}

/** Only SYMMETRIC_DEFAULT applies to the symmetric keys the twin serves. */
export function checkAlgorithm(algorithm: string | undefined): 'SYMMETRIC_DEFAULT' {
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new AwsError(
      'InvalidKeyUsageException',
      `The encryption algorithm ${algorithm} is not supported for this KMS key.`,
    );
  }
  return 'SYMMETRIC_DEFAULT';
}
