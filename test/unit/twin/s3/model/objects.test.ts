import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, test } from 'vitest';
import { type Fixture, fixture, text } from '../fixtures.ts';

let f: Fixture;
const Bucket = 'objects-bucket';
const md5 = (s: string) => createHash('md5').update(s).digest();

beforeEach(async () => {
  f = fixture();
  await f.s3('CreateBucket', { Bucket });
});

describe('PutObject and GetObject', () => {
  test('the ETag is the quoted MD5 of the bytes; metadata, content type and tags come back', async () => {
    const put = await f.s3('PutObject', {
      Bucket,
      Key: 'docs/readme.txt',
      Body: 'hello',
      ContentType: 'text/plain',
      Metadata: { Owner: 'team-a' },
      Tagging: 'stage=dev&tier=1',
    });
    expect(put).toEqual({ ETag: '"5d41402abc4b2a76b9719d911017c592"', ServerSideEncryption: 'AES256' });
    const got = await f.s3('GetObject', { Bucket, Key: 'docs/readme.txt' });
    expect(text(got)).toBe('hello');
    expect(got).toMatchObject({
      ContentType: 'text/plain',
      ContentLength: 5,
      Metadata: { owner: 'team-a' },
      TagCount: 2,
      ServerSideEncryption: 'AES256',
    });
    expect(await f.s3('GetObjectTagging', { Bucket, Key: 'docs/readme.txt' })).toEqual({
      TagSet: [
        { Key: 'stage', Value: 'dev' },
        { Key: 'tier', Value: '1' },
      ],
    });
  });

  test('with ACLs disabled only bucket-owner-full-control is accepted as an ACL', async () => {
    const error = await f.s3Error('PutObject', { Bucket, Key: 'acl', Body: 'x', ACL: 'public-read' });
    expect([error.code, error.status, error.message]).toEqual([
      'AccessControlListNotSupported',
      400,
      'The bucket does not allow ACLs',
    ]);
    await f.s3('PutObject', { Bucket, Key: 'acl', Body: 'x', ACL: 'bucket-owner-full-control' });
  });

  test('a wrong Content-MD5 or CRC32 is BadDigest and nothing is stored', async () => {
    const badMd5 = await f.s3Error('PutObject', {
      Bucket,
      Key: 'k',
      Body: 'abc',
      ContentMD5: md5('abd').toString('base64'),
    });
    expect([badMd5.code, badMd5.message]).toEqual([
      'BadDigest',
      'The Content-MD5 you specified did not match what we received.',
    ]);
    const badCrc = await f.s3Error('PutObject', { Bucket, Key: 'k', Body: 'abc', ChecksumCRC32: 'AAAAAA==' });
    expect([badCrc.code, badCrc.status]).toEqual(['BadDigest', 400]);
    expect((await f.s3Error('GetObject', { Bucket, Key: 'k' })).code).toBe('NoSuchKey');
    await f.s3('PutObject', {
      Bucket,
      Key: 'k',
      Body: 'abc',
      ContentMD5: md5('abc').toString('base64'),
      ChecksumCRC32: 'NSRBwg==',
    });
  });

  test('GetObject returns the CRC32 it was given only in checksum mode, and never for a range', async () => {
    await f.s3('PutObject', { Bucket, Key: 'crc', Body: 'abc', ChecksumCRC32: 'NSRBwg==' });
    expect(await f.s3('GetObject', { Bucket, Key: 'crc', ChecksumMode: 'ENABLED' })).toMatchObject({
      ChecksumCRC32: 'NSRBwg==',
    });
    expect(await f.s3('GetObject', { Bucket, Key: 'crc' })).not.toHaveProperty('ChecksumCRC32');
    expect(
      await f.s3('GetObject', { Bucket, Key: 'crc', ChecksumMode: 'ENABLED', Range: 'bytes=0-0' }),
    ).not.toHaveProperty('ChecksumCRC32');
  });

  test('ranges: a-b, a-, -n, and a start past the end is InvalidRange (416)', async () => {
    await f.s3('PutObject', { Bucket, Key: 'digits', Body: '0123456789' });
    const range = async (Range: string) => {
      const out = await f.s3('GetObject', { Bucket, Key: 'digits', Range });
      return [text(out), out.ContentRange];
    };
    expect(await range('bytes=2-4')).toEqual(['234', 'bytes 2-4/10']);
    expect(await range('bytes=7-')).toEqual(['789', 'bytes 7-9/10']);
    expect(await range('bytes=-2')).toEqual(['89', 'bytes 8-9/10']);
    expect(await range('bytes=5-100')).toEqual(['56789', 'bytes 5-9/10']);
    const error = await f.s3Error('GetObject', { Bucket, Key: 'digits', Range: 'bytes=10-' });
    expect([error.code, error.status, error.members.ActualObjectSize]).toEqual(['InvalidRange', 416, '10']);
  });

  test('If-None-Match with the current ETag is 304; a wrong If-Match is 412', async () => {
    const { ETag } = await f.s3<{ ETag: string }>('PutObject', { Bucket, Key: 'cond', Body: 'v1' });
    expect((await f.s3Error('GetObject', { Bucket, Key: 'cond', IfNoneMatch: ETag })).status).toBe(304);
    expect((await f.s3Error('GetObject', { Bucket, Key: 'cond', IfMatch: '"nope"' })).status).toBe(412);
    expect(text(await f.s3('GetObject', { Bucket, Key: 'cond', IfMatch: ETag }))).toBe('v1');
    expect((await f.s3Error('PutObject', { Bucket, Key: 'cond', Body: 'v2', IfNoneMatch: '*' })).code).toBe(
      'PreconditionFailed',
    );
  });

  test('CopyObject copies bytes, metadata and tags; a copy onto itself without changes is refused', async () => {
    await f.s3('PutObject', { Bucket, Key: 'src', Body: 'data', Metadata: { a: '1' }, Tagging: 't=1' });
    const copied = await f.s3<{ CopyObjectResult: { ETag: string } }>('CopyObject', {
      Bucket,
      Key: 'dst',
      CopySource: `${Bucket}/src`,
    });
    expect(copied.CopyObjectResult.ETag).toBe('"8d777f385d3dfec8815d20f7496026dc"');
    expect(await f.s3('HeadObject', { Bucket, Key: 'dst' })).toMatchObject({
      Metadata: { a: '1' },
      TagCount: 1,
    });
    expect((await f.s3Error('CopyObject', { Bucket, Key: 'src', CopySource: `/${Bucket}/src` })).code).toBe(
      'InvalidRequest',
    );
    await f.s3('CopyObject', {
      Bucket,
      Key: 'src',
      CopySource: `/${Bucket}/src`,
      MetadataDirective: 'REPLACE',
      Metadata: { b: '2' },
    });
    expect(await f.s3('HeadObject', { Bucket, Key: 'src' })).toMatchObject({ Metadata: { b: '2' } });
  });

  test('DeleteObjects deletes each key and reports them; a missing key counts as deleted', async () => {
    await f.s3('PutObject', { Bucket, Key: 'one', Body: '1' });
    const out = await f.s3('DeleteObjects', {
      Bucket,
      Delete: { Objects: [{ Key: 'one' }, { Key: 'never-there' }] },
    });
    expect(out).toEqual({ Deleted: [{ Key: 'one' }, { Key: 'never-there' }] });
    expect(await f.s3('DeleteObjects', { Bucket, Delete: { Objects: [{ Key: 'x' }], Quiet: true } })).toEqual(
      {},
    );
  });

  test('object tags: PutObjectTagging replaces them, DeleteObjectTagging clears them, aws: keys are refused', async () => {
    await f.s3('PutObject', { Bucket, Key: 'tagged', Body: 'x', Tagging: 'a=1' });
    await f.s3('PutObjectTagging', {
      Bucket,
      Key: 'tagged',
      Tagging: { TagSet: [{ Key: 'b', Value: '2' }] },
    });
    expect(await f.s3('GetObjectTagging', { Bucket, Key: 'tagged' })).toEqual({
      TagSet: [{ Key: 'b', Value: '2' }],
    });
    const refused = await f.s3Error('PutObjectTagging', {
      Bucket,
      Key: 'tagged',
      Tagging: { TagSet: [{ Key: 'aws:c', Value: '3' }] },
    });
    expect(refused.code).toBe('InvalidTag');
    await f.s3('DeleteObjectTagging', { Bucket, Key: 'tagged' });
    expect(await f.s3('GetObjectTagging', { Bucket, Key: 'tagged' })).toEqual({ TagSet: [] });
  });
});

describe('versioning', () => {
  test('an unversioned bucket overwrites in place and deletes for good; no version ids are shown', async () => {
    const put = await f.s3('PutObject', { Bucket, Key: 'k', Body: 'v1' });
    expect(put).not.toHaveProperty('VersionId');
    await f.s3('PutObject', { Bucket, Key: 'k', Body: 'v2' });
    expect(text(await f.s3('GetObject', { Bucket, Key: 'k' }))).toBe('v2');
    expect(await f.s3('DeleteObject', { Bucket, Key: 'k' })).toEqual({});
    const versions = await f.s3('ListObjectVersions', { Bucket });
    expect(versions).not.toHaveProperty('Versions');
  });

  test('with versioning enabled, each put is a version and a delete adds a delete marker', async () => {
    await f.s3('PutBucketVersioning', { Bucket, VersioningConfiguration: { Status: 'Enabled' } });
    expect(await f.s3('GetBucketVersioning', { Bucket })).toEqual({
      Status: 'Enabled',
      MFADelete: 'Disabled',
    });
    const v1 = (await f.s3<{ VersionId: string }>('PutObject', { Bucket, Key: 'k', Body: 'v1' })).VersionId;
    const v2 = (await f.s3<{ VersionId: string }>('PutObject', { Bucket, Key: 'k', Body: 'v2' })).VersionId;
    expect(v1).not.toBe(v2);
    expect(text(await f.s3('GetObject', { Bucket, Key: 'k', VersionId: v1 }))).toBe('v1');
    const deleted = await f.s3<{ DeleteMarker: boolean; VersionId: string }>('DeleteObject', {
      Bucket,
      Key: 'k',
    });
    expect(deleted.DeleteMarker).toBe(true);
    const gone = await f.s3Error('GetObject', { Bucket, Key: 'k' });
    expect([gone.code, gone.headers['x-amz-delete-marker']]).toEqual(['NoSuchKey', 'true']);
    expect((await f.s3Error('GetObject', { Bucket, Key: 'k', VersionId: deleted.VersionId })).code).toBe(
      'MethodNotAllowed',
    );
    const listed = await f.s3<{
      Versions: { VersionId: string; IsLatest: boolean }[];
      DeleteMarkers: { IsLatest: boolean }[];
    }>('ListObjectVersions', { Bucket });
    expect(listed.Versions.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      [v2, false],
      [v1, false],
    ]);
    expect(listed.DeleteMarkers.map((m) => m.IsLatest)).toEqual([true]);
    await f.s3('DeleteObject', { Bucket, Key: 'k', VersionId: deleted.VersionId });
    expect(text(await f.s3('GetObject', { Bucket, Key: 'k' }))).toBe('v2');
  });

  test('suspended versioning writes the null version over the previous null one', async () => {
    await f.s3('PutObject', { Bucket, Key: 'k', Body: 'before' });
    await f.s3('PutBucketVersioning', { Bucket, VersioningConfiguration: { Status: 'Enabled' } });
    await f.s3('PutObject', { Bucket, Key: 'k', Body: 'versioned' });
    await f.s3('PutBucketVersioning', { Bucket, VersioningConfiguration: { Status: 'Suspended' } });
    expect(await f.s3('PutObject', { Bucket, Key: 'k', Body: 'after' })).toMatchObject({ VersionId: 'null' });
    const listed = await f.s3<{ Versions: { VersionId: string }[] }>('ListObjectVersions', { Bucket });
    expect(listed.Versions.map((v) => v.VersionId)).toEqual([
      'null',
      expect.stringMatching(/^[0-9a-f]{32}$/),
    ]);
    expect(text(await f.s3('GetObject', { Bucket, Key: 'k', VersionId: 'null' }))).toBe('after');
    expect((await f.s3Error('GetObject', { Bucket, Key: 'k', VersionId: 'f'.repeat(32) })).code).toBe(
      'NoSuchVersion',
    );
  });
});
