import { beforeEach, describe, expect, test } from 'vitest';
import { type Fixture, fixture } from '../fixtures.ts';

let f: Fixture;
const Bucket = 'listing-bucket';
const KEYS = [
  'a.txt',
  'logs/2026/01/x.gz',
  'logs/2026/02/y.gz',
  'logs/readme',
  'photos/cat.jpg',
  'photos/dog.jpg',
  'z',
];

type Listing = {
  Contents?: { Key: string }[];
  CommonPrefixes?: { Prefix: string }[];
  KeyCount?: number;
  IsTruncated: boolean;
  NextContinuationToken?: string;
  NextMarker?: string;
};
const keysOf = (l: Listing) => (l.Contents ?? []).map((c) => c.Key);
const prefixesOf = (l: Listing) => (l.CommonPrefixes ?? []).map((p) => p.Prefix);

beforeEach(async () => {
  f = fixture();
  await f.s3('CreateBucket', { Bucket });
  for (const Key of KEYS) await f.s3('PutObject', { Bucket, Key, Body: Key });
});

describe('ListObjectsV2', () => {
  test('a delimiter rolls keys up into CommonPrefixes, each counting once in KeyCount', async () => {
    const top = await f.s3<Listing>('ListObjectsV2', { Bucket, Delimiter: '/' });
    expect(keysOf(top)).toEqual(['a.txt', 'z']);
    expect(prefixesOf(top)).toEqual(['logs/', 'photos/']);
    expect(top.KeyCount).toBe(4);
    const logs = await f.s3<Listing>('ListObjectsV2', { Bucket, Prefix: 'logs/', Delimiter: '/' });
    expect([keysOf(logs), prefixesOf(logs)]).toEqual([['logs/readme'], ['logs/2026/']]);
  });

  test('MaxKeys pages with continuation tokens, common prefixes included, until IsTruncated is false', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await f.s3<Listing>('ListObjectsV2', {
        Bucket,
        Delimiter: '/',
        MaxKeys: 1,
        ContinuationToken: token,
      });
      seen.push(...keysOf(page), ...prefixesOf(page));
      expect(page.KeyCount).toBe(1);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      pages += 1;
    } while (token);
    expect(seen).toEqual(['a.txt', 'logs/', 'photos/', 'z']);
    expect(pages).toBe(4);
  });

  test('StartAfter starts after a key; a prefix narrows the listing', async () => {
    const after = await f.s3<Listing>('ListObjectsV2', { Bucket, StartAfter: 'logs/readme' });
    expect(keysOf(after)).toEqual(['photos/cat.jpg', 'photos/dog.jpg', 'z']);
    const photos = await f.s3<Listing>('ListObjectsV2', { Bucket, Prefix: 'photos/' });
    expect(keysOf(photos)).toEqual(['photos/cat.jpg', 'photos/dog.jpg']);
  });

  test('encoding-type=url encodes keys and prefixes as the AWS CLI expects', async () => {
    await f.s3('PutObject', { Bucket, Key: 'with space+plus', Body: '' });
    const out = await f.s3<Listing>('ListObjectsV2', { Bucket, Prefix: 'with', EncodingType: 'url' });
    expect(keysOf(out)).toEqual(['with%20space%2Bplus']);
  });

  test('keys sort in UTF-8 byte order', async () => {
    await f.s3('PutObject', { Bucket, Key: 'é', Body: '' });
    await f.s3('PutObject', { Bucket, Key: 'Z', Body: '' });
    const out = await f.s3<Listing>('ListObjectsV2', { Bucket });
    expect(keysOf(out).slice(0, 1)).toEqual(['Z']);
    expect(keysOf(out).at(-1)).toBe('é');
  });

  test('a malformed continuation token is InvalidArgument', async () => {
    const error = await f.s3Error('ListObjectsV2', { Bucket, ContinuationToken: 'not a token!' });
    expect(error.code).toBe('InvalidArgument');
  });
});

describe('ListObjects (v1)', () => {
  test('pages with Marker; NextMarker only when a delimiter is given', async () => {
    const first = await f.s3<Listing>('ListObjects', { Bucket, MaxKeys: 2 });
    expect(keysOf(first)).toEqual(['a.txt', 'logs/2026/01/x.gz']);
    expect(first.IsTruncated).toBe(true);
    expect(first).not.toHaveProperty('NextMarker');
    const next = await f.s3<Listing>('ListObjects', { Bucket, MaxKeys: 2, Marker: 'logs/2026/01/x.gz' });
    expect(keysOf(next)).toEqual(['logs/2026/02/y.gz', 'logs/readme']);
    const rolled = await f.s3<Listing>('ListObjects', { Bucket, Delimiter: '/', MaxKeys: 2 });
    expect([keysOf(rolled), prefixesOf(rolled), rolled.NextMarker]).toEqual([['a.txt'], ['logs/'], 'logs/']);
  });
});

describe('ListObjectVersions', () => {
  test('pages through versions with KeyMarker and VersionIdMarker', async () => {
    await f.s3('PutBucketVersioning', { Bucket, VersioningConfiguration: { Status: 'Enabled' } });
    for (const body of ['1', '2', '3']) await f.s3('PutObject', { Bucket, Key: 'v', Body: body });
    const seen: string[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (;;) {
      const page = await f.s3<{
        Versions?: { Key: string; VersionId: string }[];
        IsTruncated: boolean;
        NextKeyMarker?: string;
        NextVersionIdMarker?: string;
      }>('ListObjectVersions', { Bucket, Prefix: 'v', MaxKeys: 2, ...markers });
      seen.push(...(page.Versions ?? []).map((v) => v.VersionId));
      if (!page.IsTruncated) break;
      markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });
});
