import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';
import { doc, roleSession } from './session.ts';

/** What an operator types: AWS CLI 2.9 against the twin's KMS. */
let twin: TestTwin;
let a: string;
const dir = mkdtempSync(join(tmpdir(), 'kms-cli-'));

beforeAll(async () => {
  twin = await startTestTwin();
  a = twin.server.twin.accounts[0]!;
});
afterAll(() => twin.close());

type Json = {
  KeyMetadata: { Arn: string; KeyState: string };
  CiphertextBlob: string;
  Plaintext: string;
  KeyId: string;
  Policy: string;
};

describe.runIf(hasAwsCli)('aws kms', () => {
  test('create-key, create-alias, describe-key by alias, encrypt, then decrypt --ciphertext-blob fileb://', async () => {
    const created = await aws(twin, ['kms', 'create-key', '--description', 'cli key']);
    expect(created.code, created.stderr).toBe(0);
    const arn = (created.json as Json).KeyMetadata.Arn;
    expect(
      (await aws(twin, ['kms', 'create-alias', '--alias-name', 'alias/cli', '--target-key-id', arn])).code,
    ).toBe(0);
    const described = await aws(twin, ['kms', 'describe-key', '--key-id', 'alias/cli']);
    expect((described.json as Json).KeyMetadata).toMatchObject({ Arn: arn, KeyState: 'Enabled' });

    writeFileSync(join(dir, 'plain.txt'), 'typed by an operator');
    const encrypted = await aws(twin, [
      'kms',
      'encrypt',
      '--key-id',
      'alias/cli',
      '--plaintext',
      `fileb://${join(dir, 'plain.txt')}`,
    ]);
    expect(encrypted.code, encrypted.stderr).toBe(0);
    writeFileSync(join(dir, 'blob.bin'), Buffer.from((encrypted.json as Json).CiphertextBlob, 'base64'));
    const decrypted = await aws(twin, [
      'kms',
      'decrypt',
      '--ciphertext-blob',
      `fileb://${join(dir, 'blob.bin')}`,
    ]);
    expect(decrypted.code, decrypted.stderr).toBe(0);
    expect(Buffer.from((decrypted.json as Json).Plaintext, 'base64').toString()).toBe('typed by an operator');
    expect((decrypted.json as Json).KeyId).toBe(arn);
  });

  test('put-key-policy --policy file:// and a refused decrypt with AccessDeniedException', async () => {
    const arn = ((await aws(twin, ['kms', 'create-key'])).json as Json).KeyMetadata.Arn;
    const reader = await roleSession(twin, a, 'cli-reader', {
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: '*',
    });
    const policy = doc(
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${a}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      { Effect: 'Deny', Principal: { AWS: reader.roleArn }, Action: 'kms:Decrypt', Resource: '*' },
    );
    writeFileSync(join(dir, 'policy.json'), policy);
    const put = await aws(twin, [
      'kms',
      'put-key-policy',
      '--key-id',
      arn,
      '--policy-name',
      'default',
      '--policy',
      `file://${join(dir, 'policy.json')}`,
    ]);
    expect(put.code, put.stderr).toBe(0);
    expect(
      ((await aws(twin, ['kms', 'get-key-policy', '--key-id', arn, '--policy-name', 'default'])).json as Json)
        .Policy,
    ).toBe(policy);

    writeFileSync(join(dir, 'p2.txt'), 'not for the reader');
    const blob = (
      (await aws(twin, ['kms', 'encrypt', '--key-id', arn, '--plaintext', `fileb://${join(dir, 'p2.txt')}`]))
        .json as Json
    ).CiphertextBlob;
    writeFileSync(join(dir, 'blob2.bin'), Buffer.from(blob, 'base64'));
    const refused = await aws(
      twin,
      ['kms', 'decrypt', '--ciphertext-blob', `fileb://${join(dir, 'blob2.bin')}`],
      reader.keys,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'An error occurred (AccessDeniedException) when calling the Decrypt operation',
    );
    expect(refused.stderr).toContain(
      `User: ${reader.arn} is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext`,
    );
  });

  test('a policy that would lock the caller out is refused (MalformedPolicyDocumentException)', async () => {
    const arn = ((await aws(twin, ['kms', 'create-key'])).json as Json).KeyMetadata.Arn;
    writeFileSync(
      join(dir, 'lockout.json'),
      doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${a}:user/nobody-here` },
        Action: 'kms:*',
        Resource: '*',
      }),
    );
    const out = await aws(twin, [
      'kms',
      'put-key-policy',
      '--key-id',
      arn,
      '--policy-name',
      'default',
      '--policy',
      `file://${join(dir, 'lockout.json')}`,
    ]);
    expect(out.stderr).toContain('(MalformedPolicyDocumentException)');
    expect(out.stderr).toContain(
      'The new key policy will not allow you to update the key policy in the future.',
    );
  });
});
