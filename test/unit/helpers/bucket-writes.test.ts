import { DeleteObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, test } from 'vitest';
import {
  keyOfWrite,
  refusedBy,
  sseConditionKeys,
  tryWrites,
  type WriteAttempt,
} from '../../../helpers/bucket-writes.ts';
import type { AwsClients } from '../../../helpers/clients.ts';
import { CannotTellError } from '../../../helpers/errors.ts';

/** D6's live writes: what each would be encrypted under, and whose refusal a denial was. */
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const rule = {
  ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: KEY },
};
const writes: WriteAttempt[] = [
  ['no encryption header', {}],
  ['SSE-S3', { ServerSideEncryption: 'AES256' }],
  ['SSE-KMS naming the key by alias', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/ledger' }],
];
const denied = () =>
  new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } });

describe('keyOfWrite', () => {
  test('the header names the key; without headers the bucket default does; SSE-S3 needs none', ({
    expect,
  }) => {
    expect(writes.map(([, h]) => keyOfWrite(h, rule))).toEqual([KEY, undefined, 'alias/ledger']);
    expect(keyOfWrite({}, undefined)).toBeUndefined();
    expect(keyOfWrite({ ServerSideEncryption: 'aws:kms' }, undefined)).toBe('alias/aws/s3');
  });

  test("an SSE-KMS header without a key falls back to the default rule's key, then to aws/s3", ({
    expect,
  }) => {
    expect(keyOfWrite({ ServerSideEncryption: 'aws:kms' }, rule)).toBe(KEY);
    // Dual-layer SSE-KMS asks KMS too.
    expect(keyOfWrite({ ServerSideEncryption: 'aws:kms:dsse', SSEKMSKeyId: 'alias/d' }, undefined)).toBe(
      'alias/d',
    );
    const sseS3Default = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' as const } };
    expect(keyOfWrite({}, sseS3Default)).toBeUndefined();
    expect(keyOfWrite({ ServerSideEncryption: 'aws:kms' }, sseS3Default)).toBe('alias/aws/s3');
    // SSE-KMS by default naming no key: the AWS managed key.
    expect(keyOfWrite({}, { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } })).toBe(
      'alias/aws/s3',
    );
    // An SSE-S3 header overrides an SSE-KMS default: no KMS call.
    expect(keyOfWrite({ ServerSideEncryption: 'AES256' }, rule)).toBeUndefined();
  });
});

describe('sseConditionKeys', () => {
  test('each header S3 sets a condition key from; an absent header sets none', ({ expect }) => {
    expect(sseConditionKeys({})).toEqual({});
    expect(sseConditionKeys({ ServerSideEncryption: 'AES256' })).toEqual({
      's3:x-amz-server-side-encryption': 'AES256',
    });
    expect(sseConditionKeys({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY })).toEqual({
      's3:x-amz-server-side-encryption': 'aws:kms',
      's3:x-amz-server-side-encryption-aws-kms-key-id': KEY,
    });
  });
});

describe('tryWrites', () => {
  const s3 = mockClient(S3Client);
  const clients = { s3: new S3Client({ region: 'eu-west-1' }) } as unknown as AwsClients;
  beforeEach(() => s3.reset());

  test('a refusal is recorded with the key the write needed; what lands is deleted, version and all', async ({
    expect,
  }) => {
    s3.on(PutObjectCommand).rejects(denied());
    s3.on(PutObjectCommand, { ServerSideEncryption: 'AES256' }).resolves({ VersionId: 'v1' });
    s3.on(DeleteObjectCommand).resolves({});
    const tried = await tryWrites(clients, 'ledger', 'run-1', writes, rule);
    expect(tried).toEqual([
      { label: 'no encryption header', landed: false, error: 'AccessDenied', key: KEY },
      { label: 'SSE-S3', landed: true },
      { label: 'SSE-KMS naming the key by alias', landed: false, error: 'AccessDenied', key: 'alias/ledger' },
    ]);
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      'meshcheck/run-1/unencrypted-0.txt',
      'meshcheck/run-1/unencrypted-1.txt',
      'meshcheck/run-1/unencrypted-2.txt',
    ]);
    expect(s3.commandCalls(PutObjectCommand)[2]!.args[0].input).toEqual({
      Bucket: 'ledger',
      Key: 'meshcheck/run-1/unencrypted-2.txt',
      Body: 'meshcheck',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'alias/ledger',
    });
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'ledger', Key: 'meshcheck/run-1/unencrypted-1.txt', VersionId: 'v1' },
    ]);
  });

  test('a write that landed says which key it used', async ({ expect }) => {
    s3.on(PutObjectCommand).resolves({ VersionId: 'v1' });
    s3.on(DeleteObjectCommand).resolves({});
    expect(await tryWrites(clients, 'ledger', 'run-1', [writes[2]!], rule)).toEqual([
      { label: 'SSE-KMS naming the key by alias', landed: true, key: 'alias/ledger' },
    ]);
  });

  test('a write that landed but could not be deleted still landed (the sweep removes it)', async ({
    expect,
  }) => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).rejects(denied());
    expect(await tryWrites(clients, 'ledger', 'run-1', [writes[1]!], rule)).toEqual([
      { label: 'SSE-S3', landed: true },
    ]);
  });

  test('anything but a refusal means the suite cannot tell', async ({ expect }) => {
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({ name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } }),
    );
    const error = await tryWrites(clients, 'ledger', 'run-1', writes, rule).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toMatch(
      /^could not put s3:\/\/ledger\/meshcheck\/run-1\/unencrypted-0\.txt: InternalError \(500\)/,
    );
  });
});

describe('refusedBy', () => {
  const refused = { label: 'x', landed: false, error: 'AccessDenied' };
  test('a refusal counts for the bucket policy only when the writer could otherwise have written', ({
    expect,
  }) => {
    expect(refusedBy(refused, undefined)).toBe('refused (AccessDenied) by the bucket policy');
    expect(refusedBy({ ...refused, key: KEY }, true)).toBe('refused (AccessDenied) by the bucket policy');
    expect(refusedBy({ ...refused, key: KEY }, false)).toMatch(
      /^refused \(AccessDenied\), by KMS or the bucket: the runner may not use .*not the bucket policy's answer$/,
    );
    expect(refusedBy({ ...refused, key: KEY }, undefined)).toMatch(
      /is unknown, so this is not the bucket policy's answer$/,
    );
    expect(refusedBy({ label: 'x', landed: true }, undefined)).toBe('landed (deleted again)');
  });
});
