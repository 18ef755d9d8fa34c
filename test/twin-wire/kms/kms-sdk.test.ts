import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisabledException,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  InvalidCiphertextException,
  KMSClient,
  KMSServiceException,
  ListAliasesCommand,
  PutKeyPolicyCommand,
  paginateListAliases,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';
import { doc, roleSession } from './session.ts';

/** KMS through the unchanged SDK v3 client: round trips, AWS's error names, codes and messages. */
let twin: TestTwin;
let a: string;
let kms: KMSClient;
const bytes = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  twin = await startTestTwin();
  a = twin.server.twin.accounts[0]!;
  kms = new KMSClient(twin.clientConfig());
});
afterAll(() => twin.close());

async function newKey(description = 'wire'): Promise<string> {
  return (await kms.send(new CreateKeyCommand({ Description: description }))).KeyMetadata!.Arn!;
}

describe('KMS SDK round trips', () => {
  test('Encrypt → Decrypt returns the plaintext bytes and the key ARN', async () => {
    const key = await newKey();
    const { CiphertextBlob, KeyId } = await kms.send(
      new EncryptCommand({
        KeyId: key,
        Plaintext: bytes('over the wire'),
        EncryptionContext: { app: 'wire' },
      }),
    );
    expect(KeyId).toBe(key);
    const out = await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { app: 'wire' } }));
    expect(new TextDecoder().decode(out.Plaintext)).toBe('over the wire');
    expect([out.KeyId, out.EncryptionAlgorithm]).toEqual([key, 'SYMMETRIC_DEFAULT']);
  });

  test('GenerateDataKey: the data key comes back from Decrypt of its blob', async () => {
    const key = await newKey();
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: key, KeySpec: 'AES_256' }));
    expect(dk.Plaintext).toHaveLength(32);
    const back = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
    expect(Buffer.from(back.Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);
  });

  test('DescribeKey by alias name and alias ARN', async () => {
    const key = await newKey('aliased');
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/wire-app', TargetKeyId: key }));
    for (const ref of ['alias/wire-app', `arn:aws:kms:us-east-1:${a}:alias/wire-app`]) {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: ref }));
      expect(KeyMetadata).toMatchObject({
        Arn: key,
        Description: 'aliased',
        KeyState: 'Enabled',
        KeyManager: 'CUSTOMER',
      });
      expect(KeyMetadata!.CreationDate).toBeInstanceOf(Date);
    }
    const aliases = [];
    for await (const page of paginateListAliases({ client: kms, pageSize: 2 }, {}))
      aliases.push(...page.Aliases!);
    expect(aliases.map((x) => x.AliasName)).toEqual(
      expect.arrayContaining(['alias/wire-app', 'alias/aws/s3']),
    );
    const byKey = await kms.send(new ListAliasesCommand({ KeyId: key }));
    expect(byKey.Aliases!.map((x) => x.AliasName)).toEqual(['alias/wire-app']);
  });

  test('a wrong encryption context is InvalidCiphertextException; a disabled key DisabledException', async () => {
    const key = await newKey();
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: key, Plaintext: bytes('x'), EncryptionContext: { a: '1' } }),
    );
    const wrong = await kms
      .send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { a: '2' } }))
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(InvalidCiphertextException);
    await kms.send(new DisableKeyCommand({ KeyId: key }));
    const off = await kms
      .send(new EncryptCommand({ KeyId: key, Plaintext: bytes('x') }))
      .catch((e: unknown) => e);
    expect(off).toBeInstanceOf(DisabledException);
    expect((off as Error).message).toBe(`${key} is disabled.`);
  });
});

describe('KMS access denied on the wire', () => {
  test('AccessDeniedException, HTTP 400, with KMS’s message naming the assumed-role session', async () => {
    const key = await newKey('guarded');
    const reader = await roleSession(twin, a, 'kms-reader', {
      Effect: 'Allow',
      Action: 'kms:Encrypt',
      Resource: '*',
    });
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key, Plaintext: bytes('secret') }));
    const client = new KMSClient({ ...twin.clientConfig(), credentials: reader.keys });
    const error = await client.send(new DecryptCommand({ CiphertextBlob })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KMSServiceException);
    expect(error).toMatchObject({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect((error as Error).message).toBe(
      `User: ${reader.arn} is not authorized to perform: kms:Decrypt on resource: ${key} because no identity-based policy allows the kms:Decrypt action`,
    );
  });

  test('once the key policy drops the root statement, IAM policies grant nothing', async () => {
    const key = await newKey('locked');
    const user = await roleSession(twin, a, 'kms-admin', { Effect: 'Allow', Action: 'kms:*', Resource: '*' });
    const client = new KMSClient({ ...twin.clientConfig(), credentials: user.keys });
    await expect(client.send(new DescribeKeyCommand({ KeyId: key }))).resolves.toHaveProperty('KeyMetadata');
    const onlyOther = doc({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${a}:root` },
      Action: 'kms:Describe*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalType': 'Account' } },
    });
    await kms.send(
      new PutKeyPolicyCommand({ KeyId: key, Policy: onlyOther, BypassPolicyLockoutSafetyCheck: true }),
    );
    const error = await client.send(new DescribeKeyCommand({ KeyId: key })).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AccessDeniedException');
    expect((error as Error).message).toContain('no resource-based policies allow access');
  });
});
