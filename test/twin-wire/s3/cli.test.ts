import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAwsCli } from '../../support/aws-cli.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * What an operator types against S3 with AWS CLI 2.9: the high-level `s3`
 * commands (which print text, not JSON), `s3 cp` of a 10 MB file (multipart
 * above the CLI's 8 MB threshold, and ranged GETs back), and `s3api` with a
 * policy passed as file://.
 */
let twin: TestTwin;
let dir: string;
const Bucket = 'cli-lab-bucket';

/** `aws s3 …` prints text; the shared helper parses JSON, so the high-level commands run here. */
async function awsS3(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { accessKeyId, secretAccessKey } = twin.clientConfig().credentials;
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  };
  const quiet = args[0] === 'cp' ? ['--no-progress'] : [];
  return runAwsCli(['s3', ...args, ...quiet, '--endpoint-url', twin.endpoint], env);
}

beforeAll(async () => {
  twin = await startTestTwin();
  dir = mkdtempSync(join(tmpdir(), 's3-cli-'));
});
afterAll(() => twin.close());

type Json = Record<string, unknown>;

describe.runIf(hasAwsCli)('aws s3 (CLI 2.9)', () => {
  test('mb, cp up and back, ls at the top and under a prefix', async () => {
    expect(await awsS3(['mb', `s3://${Bucket}`])).toMatchObject({
      code: 0,
      stdout: `make_bucket: ${Bucket}\n`,
    });
    writeFileSync(join(dir, 'receipt.txt'), 'apple 3 x 2 = 6\n');
    const up = await awsS3(['cp', join(dir, 'receipt.txt'), `s3://${Bucket}/receipts/apple.txt`]);
    expect(up.code, up.stderr).toBe(0);
    expect((await awsS3(['ls', `s3://${Bucket}/`])).stdout).toMatch(/^\s+PRE receipts\/$/m);
    expect((await awsS3(['ls', `s3://${Bucket}/receipts/`])).stdout).toMatch(/\s16 apple\.txt$/m);
    expect((await awsS3(['ls'])).stdout).toContain(Bucket);
    const down = await awsS3(['cp', `s3://${Bucket}/receipts/apple.txt`, join(dir, 'back.txt')]);
    expect(down.code, down.stderr).toBe(0);
    expect(readFileSync(join(dir, 'back.txt'), 'utf8')).toBe('apple 3 x 2 = 6\n');
  });

  test('a 10 MB file goes up in parts and comes back identical; head-object shows the multipart ETag', async () => {
    const big = randomBytes(10 * 1024 * 1024);
    writeFileSync(join(dir, 'big.bin'), big);
    const up = await awsS3(['cp', join(dir, 'big.bin'), `s3://${Bucket}/big.bin`]);
    expect(up.code, up.stderr).toBe(0);
    const head = await aws(twin, ['s3api', 'head-object', '--bucket', Bucket, '--key', 'big.bin']);
    expect(head.code, head.stderr).toBe(0);
    expect(head.json).toMatchObject({
      ContentLength: big.length,
      ETag: expect.stringMatching(/^"[0-9a-f]{32}-2"$/),
    });
    const down = await awsS3(['cp', `s3://${Bucket}/big.bin`, join(dir, 'big-back.bin')]);
    expect(down.code, down.stderr).toBe(0);
    expect(readFileSync(join(dir, 'big-back.bin')).equals(big)).toBe(true);
  });

  test('put-bucket-policy from file:// then a refused upload; get-bucket-policy shows it', async () => {
    await awsS3(['mb', 's3://cli-policy-bucket']);
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyUnencryptedUploads',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::cli-policy-bucket/*',
          Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } },
        },
      ],
    };
    writeFileSync(join(dir, 'policy.json'), JSON.stringify(policy));
    const put = await aws(twin, [
      's3api',
      'put-bucket-policy',
      '--bucket',
      'cli-policy-bucket',
      '--policy',
      `file://${join(dir, 'policy.json')}`,
    ]);
    expect(put.code, put.stderr).toBe(0);
    const got = await aws(twin, ['s3api', 'get-bucket-policy', '--bucket', 'cli-policy-bucket']);
    expect(JSON.parse((got.json as Json).Policy as string)).toEqual(policy);
    const refused = await awsS3(['cp', join(dir, 'receipt.txt'), 's3://cli-policy-bucket/plain.txt']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('An error occurred (AccessDenied) when calling the PutObject operation');
    const sealed = await awsS3([
      'cp',
      join(dir, 'receipt.txt'),
      's3://cli-policy-bucket/sealed.txt',
      '--sse',
      'AES256',
    ]);
    expect(sealed.code, sealed.stderr).toBe(0);
  });

  test('get-bucket-encryption shows SSE-S3 by default; put-bucket-encryption changes it', async () => {
    const before = await aws(twin, ['s3api', 'get-bucket-encryption', '--bucket', Bucket]);
    expect(before.json).toEqual({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
      },
    });
    const config =
      '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"},"BucketKeyEnabled":true}]}';
    const put = await aws(twin, [
      's3api',
      'put-bucket-encryption',
      '--bucket',
      Bucket,
      '--server-side-encryption-configuration',
      config,
    ]);
    expect(put.code, put.stderr).toBe(0);
    const after = await aws(twin, ['s3api', 'get-bucket-encryption', '--bucket', Bucket]);
    expect(after.json).toEqual({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }],
      },
    });
    writeFileSync(join(dir, 'kms.txt'), 'sealed');
    await awsS3(['cp', join(dir, 'kms.txt'), `s3://${Bucket}/kms.txt`]);
    const head = await aws(twin, ['s3api', 'head-object', '--bucket', Bucket, '--key', 'kms.txt']);
    expect(head.json).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: expect.stringMatching(/^arn:aws:kms:us-east-1:\d{12}:key\//),
      BucketKeyEnabled: true,
    });
  });

  test('head-object of a missing key prints the bare 404, as S3 sends no error body', async () => {
    const missing = await aws(twin, ['s3api', 'head-object', '--bucket', Bucket, '--key', 'nothing-here']);
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain(
      'An error occurred (404) when calling the HeadObject operation: Not Found',
    );
  });

  test('rm, then rb --force empties and removes the bucket', async () => {
    expect((await awsS3(['rm', `s3://${Bucket}/receipts/apple.txt`])).code).toBe(0);
    const rb = await awsS3(['rb', `s3://${Bucket}`, '--force']);
    expect(rb.code, rb.stderr).toBe(0);
    expect((await awsS3(['ls'])).stdout).not.toContain(`${Bucket}\n`);
  });
});
