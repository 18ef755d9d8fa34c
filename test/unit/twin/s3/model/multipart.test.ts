import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, test } from 'vitest';
import { type Fixture, fixture, text } from '../fixtures.ts';

let f: Fixture;
const Bucket = 'multipart-bucket';
const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash('md5').update(b).digest();

beforeEach(async () => {
  f = fixture();
  await f.s3('CreateBucket', { Bucket });
});

async function start(Key: string): Promise<string> {
  return (
    await f.s3<{ UploadId: string }>('CreateMultipartUpload', { Bucket, Key, ContentType: 'application/zip' })
  ).UploadId;
}

async function part(Key: string, UploadId: string, PartNumber: number, body: Buffer): Promise<string> {
  return (await f.s3<{ ETag: string }>('UploadPart', { Bucket, Key, UploadId, PartNumber, Body: body })).ETag;
}

describe('multipart upload', () => {
  test('the object is the parts in order and its ETag is md5(md5s)-N', async () => {
    const one = Buffer.alloc(5 * MiB, 'a');
    const two = Buffer.from('tail');
    const id = await start('big.zip');
    const e1 = await part('big.zip', id, 1, one);
    const e2 = await part('big.zip', id, 2, two);
    const done = await f.s3<{ ETag: string }>('CompleteMultipartUpload', {
      Bucket,
      Key: 'big.zip',
      UploadId: id,
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: e1 },
          { PartNumber: 2, ETag: e2 },
        ],
      },
    });
    const expected = createHash('md5')
      .update(Buffer.concat([md5(one), md5(two)]))
      .digest('hex');
    expect(done.ETag).toBe(`"${expected}-2"`);
    const got = await f.s3('GetObject', { Bucket, Key: 'big.zip' });
    expect(got).toMatchObject({
      ContentLength: 5 * MiB + 4,
      ContentType: 'application/zip',
      ETag: done.ETag,
    });
    expect(text(await f.s3('GetObject', { Bucket, Key: 'big.zip', Range: 'bytes=-4' }))).toBe('tail');
    expect(await f.s3('ListMultipartUploads', { Bucket })).not.toHaveProperty('Uploads');
  });

  test('a part smaller than 5 MiB before the last is EntityTooSmall', async () => {
    const id = await start('small');
    const e1 = await part('small', id, 1, Buffer.from('tiny'));
    const e2 = await part('small', id, 2, Buffer.from('tail'));
    const error = await f.s3Error('CompleteMultipartUpload', {
      Bucket,
      Key: 'small',
      UploadId: id,
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: e1 },
          { PartNumber: 2, ETag: e2 },
        ],
      },
    });
    expect(error.code).toBe('EntityTooSmall');
  });

  test('parts out of order are InvalidPartOrder; an unknown part or ETag is InvalidPart', async () => {
    const id = await start('order');
    const e1 = await part('order', id, 1, Buffer.alloc(5 * MiB));
    const e2 = await part('order', id, 2, Buffer.from('x'));
    const complete = (Parts: object[]) =>
      f.s3Error('CompleteMultipartUpload', {
        Bucket,
        Key: 'order',
        UploadId: id,
        MultipartUpload: { Parts },
      });
    expect(
      (
        await complete([
          { PartNumber: 2, ETag: e2 },
          { PartNumber: 1, ETag: e1 },
        ])
      ).code,
    ).toBe('InvalidPartOrder');
    expect(
      (
        await complete([
          { PartNumber: 1, ETag: e1 },
          { PartNumber: 3, ETag: e2 },
        ])
      ).code,
    ).toBe('InvalidPart');
    expect((await complete([{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }])).code).toBe(
      'InvalidPart',
    );
  });

  test('an aborted or unknown upload is NoSuchUpload (404)', async () => {
    const id = await start('gone');
    await f.s3('AbortMultipartUpload', { Bucket, Key: 'gone', UploadId: id });
    const error = await f.s3Error('UploadPart', {
      Bucket,
      Key: 'gone',
      UploadId: id,
      PartNumber: 1,
      Body: 'x',
    });
    expect([error.code, error.status]).toEqual(['NoSuchUpload', 404]);
  });

  test('ListParts and ListMultipartUploads show what is in progress', async () => {
    const id = await start('progress');
    await part('progress', id, 1, Buffer.from('abc'));
    const parts = await f.s3<{ Parts: { PartNumber: number; Size: number }[] }>('ListParts', {
      Bucket,
      Key: 'progress',
      UploadId: id,
    });
    expect(parts.Parts.map((p) => [p.PartNumber, p.Size])).toEqual([[1, 3]]);
    const uploads = await f.s3<{ Uploads: { Key: string; UploadId: string }[] }>('ListMultipartUploads', {
      Bucket,
    });
    expect(uploads.Uploads).toEqual([expect.objectContaining({ Key: 'progress', UploadId: id })]);
  });
});
