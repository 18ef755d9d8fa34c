import { describe, expect, test } from 'vitest';
import type { ServiceDefinition } from '../../../../twin/core/service.ts';
import { bucketAddressing, decodeChunks, restXml } from '../../../../twin/protocols/rest.ts';
import type { WireRequest } from '../../../../twin/protocols/wire.ts';
import { s3 } from '../../../../twin/services/s3/api.ts';

/** The S3 wire details of the restXml protocol: aws-chunked bodies, addressing, routing without x-id. */
const def = s3 as ServiceDefinition<unknown>;
const request = (
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
): WireRequest => {
  const [p = '', q = ''] = path.split('?');
  return {
    method,
    path: p,
    rawQuery: q,
    headers: { host: '127.0.0.1:4566', ...headers },
    body: Buffer.from(body),
  };
};

describe('aws-chunked', () => {
  test('decodes unsigned chunks and reads the checksum trailer', () => {
    const body = Buffer.from('3\r\nabc\r\n2\r\nde\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n');
    expect(decodeChunks(body)).toEqual({
      data: Buffer.from('abcde'),
      trailers: { 'x-amz-checksum-crc32': 'NSRBwg==' },
    });
  });

  test('decodes signed chunks (chunk-signature extensions)', () => {
    const sig = 'a'.repeat(64);
    const body = Buffer.from(`4;chunk-signature=${sig}\r\nwxyz\r\n0;chunk-signature=${sig}\r\n\r\n`);
    expect(decodeChunks(body).data.toString()).toBe('wxyz');
  });

  test('a truncated body is IncompleteBody', () => {
    expect(() => decodeChunks(Buffer.from('10\r\nshort\r\n'))).toThrow(
      'You did not provide the number of bytes',
    );
  });

  test('PutObject gets the decoded body, the trailer checksum and the remaining Content-Encoding', async () => {
    const parsed = await restXml.parse(
      request(
        'PUT',
        '/bucket-a/key.txt?x-id=PutObject',
        {
          'content-encoding': 'gzip,aws-chunked',
          'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
          'x-amz-decoded-content-length': '3',
          'x-amz-trailer': 'x-amz-checksum-crc32',
        },
        '3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n',
      ),
      def,
    );
    expect(parsed.operation).toBe('PutObject');
    expect(parsed.input).toMatchObject({
      Bucket: 'bucket-a',
      Key: 'key.txt',
      ChecksumCRC32: 'NSRBwg==',
      ContentEncoding: 'gzip',
    });
    expect(Buffer.from(parsed.input.Body as Uint8Array).toString()).toBe('abc');
  });
});

describe('addressing and routing', () => {
  test.for([
    ['bucket-a.localhost:4566', '/dir/key', 'bucket-a', ['dir', 'key']],
    ['bucket-a.s3.us-east-1.amazonaws.com', '/key', 'bucket-a', ['key']],
    ['logs.s3-archive.s3.eu-west-1.amazonaws.com', '/', 'logs.s3-archive', []],
    ['127.0.0.1:4566', '/bucket-a/dir/', 'bucket-a', ['dir', '']],
    ['s3.us-east-1.amazonaws.com', '/bucket-a', 'bucket-a', []],
  ] as const)('Host %s, path %s → bucket %s', ([host, path, bucket, parts]) => {
    expect(bucketAddressing(request('GET', path, { host }))).toEqual({ bucket, parts });
  });

  test.for([
    ['PUT', '/b-1/k', {}, 'PutObject'],
    ['PUT', '/b-1/k', { 'x-amz-copy-source': 'b-1/src' }, 'CopyObject'],
    ['PUT', '/b-1/k?partNumber=1&uploadId=u', {}, 'UploadPart'],
    ['DELETE', '/b-1/k', {}, 'DeleteObject'],
    ['DELETE', '/b-1/k?uploadId=u', {}, 'AbortMultipartUpload'],
    ['GET', '/b-1/k', {}, 'GetObject'],
    ['GET', '/b-1/k?uploadId=u', {}, 'ListParts'],
    ['POST', '/b-1/k?uploadId=u', {}, 'CompleteMultipartUpload'],
    ['GET', '/b-1?list-type=2&prefix=a', {}, 'ListObjectsV2'],
    ['GET', '/b-1', {}, 'ListObjects'],
    ['GET', '/', {}, 'ListBuckets'],
  ] as const)('botocore-style %s %s %o is %s', async ([method, path, headers, operation]) => {
    const body = operation === 'CompleteMultipartUpload' ? '<CompleteMultipartUpload/>' : '';
    expect((await restXml.parse(request(method, path, headers, body), def)).operation).toBe(operation);
  });
});
