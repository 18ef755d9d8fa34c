import { createHash } from 'node:crypto';
import type { AttributeValue } from './state.ts';

/**
 * The digests SQS returns so clients can check what it received: the MD5
 * of the body's UTF-8 bytes (the JS SDK checks MD5OfMessageBody on
 * SendMessage and MD5OfBody on ReceiveMessage), and the MD5 of the message
 * attributes as the SQS Developer Guide specifies it ("Calculating the MD5
 * message digest for message attributes", sqs-message-metadata.html):
 * attributes sorted by name; for each, the name, the data type, one
 * transport-type byte (1 for String and Number, 2 for Binary — custom types
 * such as `Number.float` follow their base type) and the value, each
 * string or byte value preceded by its length as a 4-byte big-endian integer.
 */
export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

function lengthPrefixed(bytes: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** MD5OfMessageAttributes, or undefined when there are none (SQS leaves the field out then). */
export function md5OfAttributes(attributes: Record<string, AttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const value = attributes[name]!;
    parts.push(lengthPrefixed(utf8(name)), lengthPrefixed(utf8(value.DataType)));
    if (value.BinaryValue !== undefined && value.DataType.startsWith('Binary')) {
      parts.push(Buffer.from([2]), lengthPrefixed(value.BinaryValue));
    } else {
      parts.push(Buffer.from([1]), lengthPrefixed(utf8(value.StringValue ?? '')));
    }
  }
  return md5Hex(Buffer.concat(parts));
}
