import { beforeEach, describe, expect, test } from 'vitest';
import { A, doc, type Fixture, fixture, REGION, rootStatement } from './fixtures.ts';

/**
 * Ciphertext blobs: real AES-256-GCM under the key's material, bound to
 * the key and the encryption context, with the key found from the blob.
 */
let f: Fixture;
let key: string;
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: unknown) => new TextDecoder().decode(b as Uint8Array);

beforeEach(async () => {
  f = fixture();
  key = (await f.kms<{ KeyMetadata: { Arn: string } }>('CreateKey', {})).KeyMetadata.Arn;
});

async function encrypt(
  plaintext: string,
  context?: Record<string, string>,
  keyId = key,
): Promise<Uint8Array> {
  const out = await f.kms<{ CiphertextBlob: Uint8Array }>('Encrypt', {
    KeyId: keyId,
    Plaintext: bytes(plaintext),
    ...(context && { EncryptionContext: context }),
  });
  return out.CiphertextBlob;
}

describe('Encrypt and Decrypt', () => {
  test('round-trip the plaintext; Decrypt finds the key from the blob', async () => {
    const blob = await encrypt('hello kms');
    expect(text(blob)).not.toContain('hello kms');
    const out = await f.kms<{ Plaintext: Uint8Array; KeyId: string; EncryptionAlgorithm: string }>(
      'Decrypt',
      { CiphertextBlob: blob },
    );
    expect([text(out.Plaintext), out.KeyId, out.EncryptionAlgorithm]).toEqual([
      'hello kms',
      key,
      'SYMMETRIC_DEFAULT',
    ]);
  });

  test('the same plaintext encrypts differently each time', async () => {
    expect(Buffer.from(await encrypt('x')).equals(Buffer.from(await encrypt('x')))).toBe(false);
  });

  test('a different encryption context is an InvalidCiphertextException; key order does not matter', async () => {
    const blob = await encrypt('ctx', { a: '1', b: '2' });
    expect((await f.kmsError('Decrypt', { CiphertextBlob: blob })).code).toBe('InvalidCiphertextException');
    expect(
      (await f.kmsError('Decrypt', { CiphertextBlob: blob, EncryptionContext: { a: '1', b: '3' } })).code,
    ).toBe('InvalidCiphertextException');
    const out = await f.kms<{ Plaintext: Uint8Array }>('Decrypt', {
      CiphertextBlob: blob,
      EncryptionContext: { b: '2', a: '1' },
    });
    expect(text(out.Plaintext)).toBe('ctx');
  });

  test('an altered blob, or bytes that are no blob, are InvalidCiphertextException', async () => {
    const blob = Buffer.from(await encrypt('tamper'));
    blob.writeUInt8(blob.readUInt8(blob.length - 1) ^ 1, blob.length - 1);
    expect((await f.kmsError('Decrypt', { CiphertextBlob: new Uint8Array(blob) })).code).toBe(
      'InvalidCiphertextException',
    );
    expect((await f.kmsError('Decrypt', { CiphertextBlob: bytes('AQICAHhrandom') })).code).toBe(
      'InvalidCiphertextException',
    );
  });

  test('a KeyId naming another key is an IncorrectKeyException; naming the same key by alias works', async () => {
    const other = (await f.kms<{ KeyMetadata: { KeyId: string } }>('CreateKey', {})).KeyMetadata.KeyId;
    await f.kms('CreateAlias', { AliasName: 'alias/mine', TargetKeyId: key });
    const blob = await encrypt('which key');
    expect((await f.kmsError('Decrypt', { CiphertextBlob: blob, KeyId: other })).code).toBe(
      'IncorrectKeyException',
    );
    await expect(f.kms('Decrypt', { CiphertextBlob: blob, KeyId: 'alias/mine' })).resolves.toMatchObject({
      KeyId: key,
    });
  });

  test('Decrypt is authorized on the blob’s key, and a key-policy refusal hides the key', async () => {
    const reader = await f.role(A, 'reader');
    await f.kms('PutKeyPolicy', { KeyId: key, Policy: doc(rootStatement()) });
    const blob = await encrypt('guarded');
    const err = await f.kmsError('Decrypt', { CiphertextBlob: blob }, reader);
    expect(err.message).toBe(
      `User: ${reader.principal.arn} is not authorized to perform: kms:Decrypt on resource: ${key} because no identity-based policy allows the kms:Decrypt action`,
    );
    const stranger = await f.role(A, 'stranger', { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' });
    await f.kms('PutKeyPolicy', {
      KeyId: key,
      Policy: doc(
        { ...rootStatement(), Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*' },
        {
          Effect: 'Deny',
          Principal: { AWS: (stranger.principal as { roleArn: string }).roleArn },
          Action: 'kms:Decrypt',
          Resource: '*',
        },
      ),
    });
    expect((await f.kmsError('Decrypt', { CiphertextBlob: blob }, stranger)).message).toBe(
      `User: ${stranger.principal.arn} is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext because the resource does not exist in this Region, no resource-based policies allow access, or a resource-based policy explicitly denies access`,
    );
  });

  test('Plaintext is limited to 4096 bytes', async () => {
    const err = await f.kmsError('Encrypt', { KeyId: key, Plaintext: new Uint8Array(4097) });
    expect(err.code).toBe('ValidationException');
  });
});

describe('GenerateDataKey', () => {
  test('returns a data key and its blob, which Decrypt turns back into the same key', async () => {
    const out = await f.kms<{ Plaintext: Uint8Array; CiphertextBlob: Uint8Array; KeyId: string }>(
      'GenerateDataKey',
      {
        KeyId: key,
        KeySpec: 'AES_256',
        EncryptionContext: { purpose: 'test' },
      },
    );
    expect(out.Plaintext).toHaveLength(32);
    const back = await f.kms<{ Plaintext: Uint8Array }>('Decrypt', {
      CiphertextBlob: out.CiphertextBlob,
      EncryptionContext: { purpose: 'test' },
    });
    expect(Buffer.from(back.Plaintext).equals(Buffer.from(out.Plaintext))).toBe(true);
  });

  test.for([
    [{ NumberOfBytes: 16 }, 16],
    [{ KeySpec: 'AES_128' }, 16],
    [{ NumberOfBytes: 1024 }, 1024],
  ] as const)('%o gives %i bytes', async ([spec, length]) => {
    const out = await f.kms<{ Plaintext: Uint8Array }>('GenerateDataKey', { KeyId: key, ...spec });
    expect(out.Plaintext).toHaveLength(length);
  });

  test.for([
    [{}, 'Please specify either number of bytes or key spec.'],
    [{ KeySpec: 'AES_256', NumberOfBytes: 32 }, 'Please specify either number of bytes or key spec.'],
    [{ NumberOfBytes: 1025 }, 'less than or equal to 1024'],
  ] as const)('%o is a ValidationException', async ([spec, message]) => {
    const err = await f.kmsError('GenerateDataKey', { KeyId: key, ...spec });
    expect(err.code).toBe('ValidationException');
    expect(err.message).toContain(message);
  });

  test('WithoutPlaintext returns only the blob', async () => {
    const out = await f.kms('GenerateDataKeyWithoutPlaintext', { KeyId: key, KeySpec: 'AES_256' });
    expect(Object.keys(out).sort()).toEqual(['CiphertextBlob', 'KeyId']);
  });
});

describe('ReEncrypt', () => {
  test('moves a ciphertext to another key and context', async () => {
    const other = (await f.kms<{ KeyMetadata: { Arn: string } }>('CreateKey', {})).KeyMetadata.Arn;
    const blob = await encrypt('moving', { from: 'a' });
    const out = await f.kms<{ CiphertextBlob: Uint8Array; SourceKeyId: string; KeyId: string }>('ReEncrypt', {
      CiphertextBlob: blob,
      SourceEncryptionContext: { from: 'a' },
      DestinationKeyId: other,
      DestinationEncryptionContext: { to: 'b' },
    });
    expect([out.SourceKeyId, out.KeyId]).toEqual([key, other]);
    const back = await f.kms<{ Plaintext: Uint8Array; KeyId: string }>('Decrypt', {
      CiphertextBlob: out.CiphertextBlob,
      EncryptionContext: { to: 'b' },
    });
    expect([text(back.Plaintext), back.KeyId]).toEqual(['moving', other]);
  });
});

test('a blob made in another region cannot be decrypted here', async () => {
  const blob = Buffer.from(await encrypt('regional'));
  const moved = Buffer.from(blob.toString('latin1').replace(`:${REGION}:`, ':eu-west-1:'), 'latin1');
  expect((await f.kmsError('Decrypt', { CiphertextBlob: new Uint8Array(moved) })).code).toBe(
    'InvalidCiphertextException',
  );
});
