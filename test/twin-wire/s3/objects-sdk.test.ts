import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
  type S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * Objects through the unchanged S3 client: stream uploads (aws-chunked
 * with a CRC32 trailer), checksum validation on download, paginators,
 * HEAD errors without a body, ranges, multipart, and both addressing
 * styles.
 */
let twin: TestTwin;
let s3: S3Client;
const Bucket = 'wire-objects';
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

beforeAll(async () => {
  twin = await startTestTwin();
  s3 = new S3Client(twin.clientConfig());
  await s3.send(new CreateBucketCommand({ Bucket }));
});
afterAll(() => twin.close());

async function failure(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (error) {
    return error as S3ServiceException;
  }
  throw new Error('the call succeeded');
}

describe('uploads and downloads', () => {
  test('a stream body goes aws-chunked with a CRC32 trailer and comes back byte for byte, checksum verified', async () => {
    const parts = [Buffer.from('first chunk;'), Buffer.alloc(70_000, 'x'), Buffer.from(';last')];
    const whole = Buffer.concat(parts);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'stream.bin',
        Body: Readable.from(parts),
        ContentLength: whole.length,
      }),
    );
    expect(put.ETag).toBe(`"${md5(whole)}"`);
    expect(put.ChecksumCRC32).toBeDefined();
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'stream.bin', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(whole)).toBe(true);
    expect(got.ContentEncoding).toBeUndefined();
  });

  test('a string body with metadata round-trips; HeadObject gives the length without a body', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'notes/a.txt',
        Body: 'fruit: apple',
        ContentType: 'text/plain',
        Metadata: { Stage: 'one' },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'notes/a.txt' }));
    expect(head).toMatchObject({
      ContentLength: 12,
      ContentType: 'text/plain',
      Metadata: { stage: 'one' },
      ETag: `"${md5('fruit: apple')}"`,
    });
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'notes/a.txt', ChecksumMode: 'ENABLED' }));
    expect(await got.Body!.transformToString()).toBe('fruit: apple');
  });

  test('a range answers 206 with Content-Range', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'digits', Body: '0123456789' }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=3-5' }));
    expect([got.$metadata.httpStatusCode, got.ContentRange, await got.Body!.transformToString()]).toEqual([
      206,
      'bytes 3-5/10',
      '345',
    ]);
  });

  test('a multipart upload assembles the parts; the ETag is md5-of-md5s-N', async () => {
    const one = Buffer.alloc(5 * 1024 * 1024, 'p');
    const two = Buffer.from('end');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'parts.bin' }));
    const etags = [];
    for (const [i, Body] of [one, two].entries())
      etags.push(
        (
          await s3.send(
            new UploadPartCommand({ Bucket, Key: 'parts.bin', UploadId, PartNumber: i + 1, Body }),
          )
        ).ETag,
      );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'parts.bin',
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const digest = createHash('md5')
      .update(Buffer.concat([one, two].map((b) => createHash('md5').update(b).digest())))
      .digest('hex');
    expect(done.ETag).toBe(`"${digest}-2"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'parts.bin' }));
    expect(head.ContentLength).toBe(one.length + two.length);
  });
});

describe('listing', () => {
  test('paginateListObjectsV2 walks every page', async () => {
    for (let i = 0; i < 7; i++)
      await s3.send(new PutObjectCommand({ Bucket, Key: `paged/${i}`, Body: String(i) }));
    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2(
      { client: s3, pageSize: 3 },
      { Bucket, Prefix: 'paged/' },
    )) {
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
      pages += 1;
    }
    expect(keys).toEqual(['paged/0', 'paged/1', 'paged/2', 'paged/3', 'paged/4', 'paged/5', 'paged/6']);
    expect(pages).toBe(3);
  });

  test('a delimiter gives CommonPrefixes', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'tree/leaf', Body: 'leaf' }));
    const out = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'tree', Delimiter: '/' }));
    expect(out.CommonPrefixes).toEqual([{ Prefix: 'tree/' }]);
  });
});

describe('errors as the SDK sees them', () => {
  test('GetObject of a missing key is the modelled NoSuchKey; a missing bucket is NoSuchBucket', async () => {
    const key = await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'absent' })));
    expect(key).toBeInstanceOf(NoSuchKey);
    expect(key.$metadata.httpStatusCode).toBe(404);
    const bucket = await failure(s3.send(new GetObjectCommand({ Bucket: 'no-such-wire-bucket', Key: 'k' })));
    expect(bucket).toBeInstanceOf(NoSuchBucket);
  });

  test('HeadObject errors carry no body: 404 is NotFound, 403 is Unknown, as real S3 gives them', async () => {
    const missing = await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'absent' })));
    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['NotFound', 404]);
    const stranger = new S3Client(twin.clientConfig(twin.server.twin.accounts[1]));
    const denied = await failure(stranger.send(new HeadObjectCommand({ Bucket, Key: 'notes/a.txt' })));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['Unknown', 403]);
    expect(denied.$metadata.requestId).toBeDefined();
  });
});

describe('CloudTrail', () => {
  test('object calls are data events naming the object and bucket; bucket calls are management events', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'audited.txt', Body: 'x' }));
    const s3Calls = twin.server.twin.calls.filter((c) => c.eventSource === 's3.amazonaws.com');
    const put = s3Calls.findLast((c) => c.eventName === 'PutObject');
    expect(put).toMatchObject({
      management: false,
      readOnly: false,
      recipientAccountId: twin.server.twin.accounts[0],
      requestParameters: {
        bucketName: Bucket,
        key: 'audited.txt',
        Host: `${Bucket}.s3.us-east-1.amazonaws.com`,
      },
      resources: [
        { type: 'AWS::S3::Object', arn: `arn:aws:s3:::${Bucket}/audited.txt` },
        { type: 'AWS::S3::Bucket', arn: `arn:aws:s3:::${Bucket}` },
      ],
    });
    expect(put?.requestParameters).not.toHaveProperty('body');
    expect(s3Calls.find((c) => c.eventName === 'CreateBucket')).toMatchObject({ management: true });
    expect(s3Calls.find((c) => c.eventName === 'ListObjectsV2')).toMatchObject({
      management: false,
      readOnly: true,
    });
  });
});

describe('addressing', () => {
  /**
   * Virtual-host style: `bucket.localhost` does not resolve here, so the
   * request handler connects to 127.0.0.1 while the signed Host header
   * keeps the bucket, as DNS would make it.
   */
  type Handle = NodeHttpHandler['handle'];
  class ToLoopback extends NodeHttpHandler {
    override handle(request: Parameters<Handle>[0], options?: Parameters<Handle>[1]): ReturnType<Handle> {
      expect(request.headers.host).toMatch(new RegExp(`^${Bucket}\\.`));
      const port = Number(new URL(twin.endpoint).port);
      return super.handle(Object.assign(request, { hostname: '127.0.0.1', port }), options);
    }
  }

  function virtualHostClient(endpoint: string): S3Client {
    return new S3Client({
      ...twin.clientConfig(),
      endpoint,
      forcePathStyle: false,
      requestHandler: new ToLoopback(),
    });
  }

  test.for([['http://localhost:PORT'], ['http://s3.us-east-1.amazonaws.com:PORT']])(
    'virtual-host addressing through %s reaches the same bucket',
    async ([pattern]) => {
      const endpoint = pattern!.replace('PORT', new URL(twin.endpoint).port);
      const client = virtualHostClient(endpoint);
      await client.send(new PutObjectCommand({ Bucket, Key: 'vhost/key.txt', Body: 'by host' }));
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'vhost/key.txt' }));
      expect(await got.Body!.transformToString()).toBe('by host');
      const listed = await client.send(new ListObjectsV2Command({ Bucket, Prefix: 'vhost/' }));
      expect(listed.Contents?.map((c) => c.Key)).toEqual(['vhost/key.txt']);
    },
  );
});
