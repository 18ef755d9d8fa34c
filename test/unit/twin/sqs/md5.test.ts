import { describe, expect, test } from 'vitest';
import { md5Hex, md5OfAttributes } from '../../../../twin/services/sqs/model/md5.ts';

/**
 * The digests SDKs verify. Expected values are the published vectors of an
 * independent implementation of the SQS Developer Guide's algorithm
 * (npm aws-md5-of-message-attributes, README), so the twin and other
 * clients agree byte for byte.
 */
const text = (DataType: string, StringValue: string) => ({ DataType, StringValue });
const binary = { DataType: 'Binary', BinaryValue: new Uint8Array(Buffer.from('Hello binary world!')) };

describe('MD5OfMessageAttributes', () => {
  test.for([
    [
      'a String attribute',
      { attribName1: text('String', 'attribValue 1') },
      '19e27d4e946b072f3f58da80d94fd778',
    ],
    [
      'a custom Number type',
      { customNumberTypeAttrib: text('Number.float', '4563442423554324324264524243.32543234') },
      '9fe1b90bbd9965bdf77bac517c7d2495',
    ],
    ['a Binary attribute', { binaryAttribute: binary }, '31a92b15d92f8db860eda32aceb656c3'],
    [
      'all three, sorted by name',
      {
        attribName1: text('String', 'attribValue 1'),
        customNumberTypeAttrib: text('Number.float', '4563442423554324324264524243.32543234'),
        binaryAttribute: binary,
      },
      'c932db14a896c663f83c260297d594ff',
    ],
  ] as const)('%s', ([, attributes, expected]) => {
    expect(md5OfAttributes(attributes as never)).toBe(expected);
  });

  test('no attributes: no digest (SQS leaves MD5OfMessageAttributes out)', () => {
    expect(md5OfAttributes({})).toBeUndefined();
  });

  test('the body digest is the MD5 of its UTF-8 bytes', () => {
    expect(md5Hex('hello')).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(md5Hex('ü')).toBe(md5Hex(Buffer.from([0xc3, 0xbc])));
  });
});
