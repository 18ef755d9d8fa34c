import { beforeEach, describe, expect, test } from 'vitest';
import { A, B, doc, type Fixture, fixture, rootStatement } from './fixtures.ts';

/**
 * Key-policy semantics: the key policy decides; IAM policies count only
 * where it delegates to the account (the root statement), and the
 * lockout check keeps a caller from writing itself out of the key.
 */
let f: Fixture;
beforeEach(() => {
  f = fixture();
});

const canUse = { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: '*' };
const plaintext = new TextEncoder().encode('secret');

async function keyWith(policy: string | undefined): Promise<string> {
  const out = await f.kms<{ KeyMetadata: { Arn: string } }>('CreateKey', {
    ...(policy && { Policy: policy, BypassPolicyLockoutSafetyCheck: true }),
  });
  return out.KeyMetadata.Arn;
}

describe('default key policy', () => {
  test('is the single "Enable IAM User Permissions" statement, as KMS prints it', async () => {
    const arn = await keyWith(undefined);
    const { Policy, PolicyName } = await f.kms<{ Policy: string; PolicyName: string }>('GetKeyPolicy', {
      KeyId: arn,
    });
    expect(PolicyName).toBe('default');
    expect(Policy).toBe(
      `{\n  "Version" : "2012-10-17",\n  "Id" : "key-default-1",\n  "Statement" : [ {\n    "Sid" : "Enable IAM User Permissions",\n    "Effect" : "Allow",\n    "Principal" : {\n      "AWS" : "arn:aws:iam::${A}:root"\n    },\n    "Action" : "kms:*",\n    "Resource" : "*"\n  } ]\n}`,
    );
  });

  test('with the root statement, the identity policy decides', async () => {
    const arn = await keyWith(undefined);
    const user = await f.role(A, 'app', canUse);
    const nobody = await f.role(A, 'other');
    await expect(f.kms('Encrypt', { KeyId: arn, Plaintext: plaintext }, user)).resolves.toMatchObject({
      KeyId: arn,
    });
    const denied = await f.kmsError('Encrypt', { KeyId: arn, Plaintext: plaintext }, nobody);
    expect(denied.code).toBe('AccessDeniedException');
    expect(denied.message).toBe(
      `User: ${nobody.principal.arn} is not authorized to perform: kms:Encrypt on resource: ${arn} because no identity-based policy allows the kms:Encrypt action`,
    );
  });
});

describe('a key policy without the root statement', () => {
  test('IAM policies grant nothing, even kms:* on *', async () => {
    const admin = await f.role(A, 'admin', { Effect: 'Allow', Action: 'kms:*', Resource: '*' });
    const named = await f.role(A, 'named');
    const arn = await keyWith(
      doc({
        Effect: 'Allow',
        Principal: { AWS: named.principal.kind === 'assumed-role' ? named.principal.roleArn : '' },
        Action: 'kms:*',
        Resource: '*',
      }),
    );
    const denied = await f.kmsError('DescribeKey', { KeyId: arn }, admin);
    expect(denied.code).toBe('AccessDeniedException');
    expect(denied.message).toBe(
      `User: ${admin.principal.arn} is not authorized to perform: kms:DescribeKey on this resource because the resource does not exist in this Region, no resource-based policies allow access, or a resource-based policy explicitly denies access`,
    );
    await expect(f.kms('DescribeKey', { KeyId: arn }, named)).resolves.toMatchObject({
      KeyMetadata: { Arn: arn },
    });
  });

  test('the account root itself is refused', async () => {
    const other = await f.role(A, 'owner');
    const arn = await keyWith(
      doc({
        Effect: 'Allow',
        Principal: { AWS: (other.principal as { roleArn: string }).roleArn },
        Action: 'kms:*',
        Resource: '*',
      }),
    );
    expect((await f.kmsError('DescribeKey', { KeyId: arn })).code).toBe('AccessDeniedException');
  });

  test('an explicit deny in an identity policy wins over a key policy allow', async () => {
    const arn = await keyWith(undefined);
    const denied = await f.role(A, 'denied', canUse, {
      Effect: 'Deny',
      Action: 'kms:Encrypt',
      Resource: arn,
    });
    const err = await f.kmsError('Encrypt', { KeyId: arn, Plaintext: plaintext }, denied);
    expect(err.message).toContain('with an explicit deny in an identity-based policy');
  });
});

describe('cross-account use', () => {
  test('needs both the key policy and the caller account’s IAM policy', async () => {
    const arn = await keyWith(
      doc(rootStatement(), {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${B}:root` },
        Action: 'kms:Encrypt',
        Resource: '*',
      }),
    );
    const allowed = await f.role(B, 'b-app', canUse);
    const bare = await f.role(B, 'b-bare');
    await expect(f.kms('Encrypt', { KeyId: arn, Plaintext: plaintext }, allowed)).resolves.toMatchObject({
      KeyId: arn,
    });
    expect((await f.kmsError('Encrypt', { KeyId: arn, Plaintext: plaintext }, bare)).message).toContain(
      'because no identity-based policy allows the kms:Encrypt action',
    );
  });
});

describe('condition keys', () => {
  test('kms:EncryptionContext:<key> and kms:CallerAccount are in the request context', async () => {
    const app = await f.role(A, 'ctx-app');
    const arn = await keyWith(
      doc(rootStatement(), {
        Effect: 'Allow',
        Principal: { AWS: (app.principal as { roleArn: string }).roleArn },
        Action: 'kms:Encrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:team': 'blue', 'kms:CallerAccount': A } },
      }),
    );
    await expect(
      f.kms('Encrypt', { KeyId: arn, Plaintext: plaintext, EncryptionContext: { team: 'blue' } }, app),
    ).resolves.toMatchObject({ KeyId: arn });
    expect(
      (
        await f.kmsError(
          'Encrypt',
          { KeyId: arn, Plaintext: plaintext, EncryptionContext: { team: 'red' } },
          app,
        )
      ).code,
    ).toBe('AccessDeniedException');
  });

  test('kms:RequestAlias is the alias the caller named the key by', async () => {
    const app = await f.role(A, 'alias-app');
    const arn = await keyWith(
      doc(rootStatement(), {
        Effect: 'Allow',
        Principal: { AWS: (app.principal as { roleArn: string }).roleArn },
        Action: 'kms:Encrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:RequestAlias': 'alias/blessed' } },
      }),
    );
    await f.kms('CreateAlias', { AliasName: 'alias/blessed', TargetKeyId: arn });
    await expect(
      f.kms('Encrypt', { KeyId: 'alias/blessed', Plaintext: plaintext }, app),
    ).resolves.toMatchObject({ KeyId: arn });
    expect((await f.kmsError('Encrypt', { KeyId: arn, Plaintext: plaintext }, app)).code).toBe(
      'AccessDeniedException',
    );
  });
});

describe('writing a key policy', () => {
  test('CreateKey refuses a policy that locks the caller out, unless bypassed', async () => {
    const someone = await f.role(A, 'someone');
    const lockout = doc({
      Effect: 'Allow',
      Principal: { AWS: (someone.principal as { roleArn: string }).roleArn },
      Action: 'kms:*',
      Resource: '*',
    });
    const err = await f.kmsError('CreateKey', { Policy: lockout });
    expect(err.code).toBe('MalformedPolicyDocumentException');
    expect(err.message).toBe('The new key policy will not allow you to update the key policy in the future.');
    await expect(
      f.kms('CreateKey', { Policy: lockout, BypassPolicyLockoutSafetyCheck: true }),
    ).resolves.toHaveProperty('KeyMetadata');
  });

  test('the lockout check counts the caller’s IAM policies where the key delegates to the account', async () => {
    const creator = await f.role(A, 'creator', { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*' });
    const err = await f.kmsError('CreateKey', { Policy: doc(rootStatement()) }, creator);
    expect(err.code).toBe('MalformedPolicyDocumentException');
    const admin = await f.role(A, 'key-admin', {
      Effect: 'Allow',
      Action: ['kms:CreateKey', 'kms:PutKeyPolicy'],
      Resource: '*',
    });
    await expect(f.kms('CreateKey', { Policy: doc(rootStatement()) }, admin)).resolves.toHaveProperty(
      'KeyMetadata',
    );
  });

  test('PutKeyPolicy validates the document and keeps the text as given', async () => {
    const arn = await keyWith(undefined);
    expect((await f.kmsError('PutKeyPolicy', { KeyId: arn, Policy: '{not json' })).code).toBe(
      'MalformedPolicyDocumentException',
    );
    const noPrincipal = doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*' });
    expect((await f.kmsError('PutKeyPolicy', { KeyId: arn, Policy: noPrincipal })).message).toBe(
      'Policy contains a statement with one or more invalid principals.',
    );
    const ghost = doc(rootStatement(), {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:role/ghost` },
      Action: 'kms:*',
      Resource: '*',
    });
    expect((await f.kmsError('PutKeyPolicy', { KeyId: arn, Policy: ghost })).code).toBe(
      'MalformedPolicyDocumentException',
    );
    const text = `${doc(rootStatement())}\n`;
    await f.kms('PutKeyPolicy', { KeyId: arn, Policy: text, PolicyName: 'default' });
    expect((await f.kms<{ Policy: string }>('GetKeyPolicy', { KeyId: arn })).Policy).toBe(text);
    expect(await f.kms('ListKeyPolicies', { KeyId: arn })).toEqual({
      PolicyNames: ['default'],
      Truncated: false,
    });
  });

  test('GetKeyPolicy knows only the policy named default', async () => {
    const arn = await keyWith(undefined);
    const err = await f.kmsError('GetKeyPolicy', { KeyId: arn, PolicyName: 'other' });
    expect([err.code, err.message]).toEqual(['NotFoundException', 'No such policy exists']);
  });
});
