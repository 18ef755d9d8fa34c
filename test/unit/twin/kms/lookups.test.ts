import { beforeEach, describe, expect, test } from 'vitest';
import { AwsError } from '../../../../twin/core/errors.ts';
import type { Principal } from '../../../../twin/core/principal.ts';
import { useKeyOnBehalf } from '../../../../twin/services/kms/lookups.ts';
import { A, doc, type Fixture, fixture, REGION, rootStatement } from './fixtures.ts';

/** Services using a key for a caller: kms:ViaService, service principals, CloudTrail records. */
let f: Fixture;
beforeEach(() => {
  f = fixture();
});

const sns: Principal = {
  kind: 'service',
  accountId: A,
  arn: 'sns.amazonaws.com',
  userId: 'sns.amazonaws.com',
  service: 'sns.amazonaws.com',
};

function refusal(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (error) {
    return error as AwsError;
  }
  throw new Error('not refused');
}

describe('useKeyOnBehalf', () => {
  test('makes aws/s3 on first use and lets any principal of the account use it through S3 only', async () => {
    const app = await f.role(A, 'app');
    const use = {
      twin: f.twin,
      region: REGION,
      principal: app.principal,
      keyId: 'alias/aws/s3',
      operation: 'GenerateDataKey' as const,
    };
    const out = useKeyOnBehalf({
      ...use,
      viaService: `s3.${REGION}.amazonaws.com`,
      encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/k' },
    });
    expect(out.keyArn).toMatch(new RegExp(`^arn:aws:kms:${REGION}:${A}:key/`));
    expect(out.plaintext).toHaveLength(32);
    const back = useKeyOnBehalf({
      ...use,
      keyId: out.keyArn,
      operation: 'Decrypt',
      ciphertextBlob: out.ciphertextBlob!,
      viaService: `s3.${REGION}.amazonaws.com`,
      encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/k' },
    });
    expect(Buffer.from(back.plaintext!).equals(Buffer.from(out.plaintext!))).toBe(true);
    expect(refusal(() => useKeyOnBehalf({ ...use, viaService: `sns.${REGION}.amazonaws.com` })).code).toBe(
      'AccessDeniedException',
    );
  });

  test('records the call as CloudTrail shows a call a service made for the caller', async () => {
    const app = await f.role(A, 'recorded');
    useKeyOnBehalf({
      twin: f.twin,
      region: REGION,
      principal: app.principal,
      keyId: 'alias/aws/s3',
      operation: 'Decrypt',
      viaService: `s3.${REGION}.amazonaws.com`,
      accessKeyId: app.accessKeyId,
    });
    const call = f.twin.calls.at(-1)!;
    expect(call).toMatchObject({
      eventSource: 'kms.amazonaws.com',
      eventName: 'Decrypt',
      invokedBy: 's3.amazonaws.com',
      sourceIp: 's3.amazonaws.com',
      userAgent: 's3.amazonaws.com',
      accessKeyId: app.accessKeyId,
      readOnly: true,
      management: true,
      recipientAccountId: A,
    });
    expect(call.resources[0]?.type).toBe('AWS::KMS::Key');
  });

  test('a denial names the caller and is recorded with its error', async () => {
    const key = (await f.kms<{ KeyMetadata: { Arn: string } }>('CreateKey', {})).KeyMetadata.Arn;
    const app = await f.role(A, 'no-kms');
    const err = refusal(() =>
      useKeyOnBehalf({
        twin: f.twin,
        region: REGION,
        principal: app.principal,
        keyId: key,
        operation: 'Decrypt',
        viaService: `s3.${REGION}.amazonaws.com`,
      }),
    );
    expect(err).toBeInstanceOf(AwsError);
    expect(err.message).toBe(
      `User: ${app.principal.arn} is not authorized to perform: kms:Decrypt on resource: ${key} because no identity-based policy allows the kms:Decrypt action`,
    );
    expect(f.twin.calls.at(-1)).toMatchObject({
      errorCode: 'AccessDeniedException',
      errorMessage: err.message,
    });
  });

  test('a service principal is judged by the key policy alone, with aws:SourceAccount', async () => {
    const policy = doc(rootStatement(), {
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': A } },
    });
    const key = (await f.kms<{ KeyMetadata: { Arn: string } }>('CreateKey', { Policy: policy })).KeyMetadata
      .Arn;
    const use = {
      twin: f.twin,
      region: REGION,
      principal: sns,
      keyId: key,
      operation: 'GenerateDataKey' as const,
    };
    expect(useKeyOnBehalf({ ...use, sourceAccount: A }).keyArn).toBe(key);
    expect(refusal(() => useKeyOnBehalf({ ...use, sourceAccount: '999999999999' })).code).toBe(
      'AccessDeniedException',
    );
    expect(f.twin.calls.at(-1)).toMatchObject({
      invokedBy: 'sns.amazonaws.com',
      sourceIp: 'sns.amazonaws.com',
    });
  });

  test('a disabled key refuses with DisabledException', async () => {
    const key = (await f.kms<{ KeyMetadata: { Arn: string } }>('CreateKey', {})).KeyMetadata.Arn;
    await f.kms('DisableKey', { KeyId: key });
    const root = { kind: 'root', accountId: A, arn: `arn:aws:iam::${A}:root`, userId: A } as const;
    expect(
      refusal(() =>
        useKeyOnBehalf({ twin: f.twin, region: REGION, principal: root, keyId: key, operation: 'Encrypt' }),
      ).code,
    ).toBe('DisabledException');
  });
});
