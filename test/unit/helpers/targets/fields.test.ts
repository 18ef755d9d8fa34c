import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import {
  blockCidr,
  bucketName,
  cidr,
  ipv4,
  keyAlias,
  name,
  queueName,
  roleArn,
  roleName,
  topicName,
} from '../../../../helpers/targets/fields.ts';

/**
 * The value types of the targets file: what AWS would refuse is refused
 * here, with the message a user reads next to the field.
 */

function messages(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe('ipv4', () => {
  test.each(['0.0.0.0', '10.0.1.5', '255.255.255.255', '192.168.10.199', '1.2.3.4'])(
    '%s is an address',
    (v) => {
      expect(messages(ipv4, v)).toEqual([]);
    },
  );
  test.each([
    '256.0.0.1',
    '10.0.1',
    '10.0.1.5.6',
    '10.0.1.5/32',
    ' 10.0.1.5',
    'a.b.c.d',
    '1.2.3.300',
    '10.01.0.5',
  ])('%s is refused', (v) => {
    expect(messages(ipv4, v)).toEqual(['an IPv4 address']);
  });
});

describe('cidr / blockCidr', () => {
  test.each(['10.0.0.0/8', '0.0.0.0/0', '10.0.0.7/32', '10.0.0.0/30'])('%s is a CIDR', (v) => {
    expect(messages(cidr, v)).toEqual([]);
  });
  test.each(['10.0.0.0', '10.0.0.0/33', '10.0.0.0/', '300.0.0.0/8', '10.0.0.0/08x'])('%s is refused', (v) => {
    expect(messages(cidr, v)).toEqual(['an IPv4 CIDR such as 10.0.0.0/16']);
  });
  test('host bits set name the network meant', () => {
    expect(messages(cidr, '10.0.1.5/16')).toEqual([
      'host bits set: 10.0.1.5/16 is not a network address (the network is 10.0.0.0/16)',
    ]);
  });
  test.each(['10.0.0.0/16', '10.0.0.0/28', '10.0.1.0/24', '10.0.0.0/19'])(
    '%s is a VPC or subnet block',
    (v) => {
      expect(messages(blockCidr, v)).toEqual([]);
    },
  );
  test.each(['10.0.0.0/15', '10.0.0.0/29', '10.0.0.0/8', '10.0.0.0/32'])('%s is outside /16–/28', (v) => {
    expect(messages(blockCidr, v)).toEqual([
      'an IPv4 CIDR from /16 to /28, as AWS allows for VPCs and subnets',
    ]);
  });
  test('a block with host bits set is refused as such', () => {
    expect(messages(blockCidr, '10.0.1.1/24')).toEqual([
      'host bits set: 10.0.1.1/24 is not a network address (the network is 10.0.1.0/24)',
    ]);
  });
});

describe('name', () => {
  test.each(['app-vpc', 'vpc-0abc', 'a', 'x'.repeat(256), 'with space/and:colon'])(
    '%s is a literal name',
    (v) => {
      expect(messages(name, v)).toEqual([]);
    },
  );
  test.each(['app-*', 'app?', 'a\\b', '*'])('%s holds a filter wildcard or escape', (v) => {
    expect(messages(name, v)).toEqual([
      'a literal name: EC2 filters read * and ? as wildcards and \\ as an escape',
    ]);
  });
  test('empty and over-long names are refused', () => {
    expect(messages(name, '')).toEqual(['a Name tag or a resource id']);
    expect(messages(name, 'x'.repeat(257))).toEqual([
      'at most 256 characters (the longest tag value AWS stores)',
    ]);
  });
});

describe('IAM roles', () => {
  test.each(['probe-role', 'a', 'x'.repeat(64), 'svc+=,.@_-'])('%s is a role name', (v) => {
    expect(messages(roleName, v)).toEqual([]);
  });
  test.each(['', 'x'.repeat(65), 'role/with/path', 'sp ace', 'arn:aws:iam::123456789012:role/x'])(
    '%s is not a role name',
    (v) => {
      expect(messages(roleName, v)).toEqual(['an IAM role name (at most 64 letters, digits and +=,.@_-)']);
    },
  );
  test.each([
    'arn:aws:iam::123456789012:role/probe',
    'arn:aws:iam::123456789012:role/service-role/team/probe',
    'arn:aws-us-gov:iam::123456789012:role/probe',
    'arn:aws-cn:iam::123456789012:role/probe',
  ])('%s is a role ARN', (v) => {
    expect(messages(roleArn, v)).toEqual([]);
  });
  test.each([
    'arn:aws:iam::12345678901:role/probe',
    'arn:aws:iam::123456789012:user/probe',
    'arn:aws:sts::123456789012:role/probe',
    'arn:aws:iam::123456789012:role/',
    'probe',
    'xarn:aws:iam::123456789012:role/probe',
    'arn:aws:iam::123456789012:role/probe ',
  ])('%s is not a role ARN', (v) => {
    expect(messages(roleArn, v)).toEqual(['an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)']);
  });
});

describe('bucketName', () => {
  test.each(['abc', 'my.bucket-1', 'x'.repeat(63), '1bucket9', 'a.b-c'])('%s is a bucket name', (v) => {
    expect(messages(bucketName, v)).toEqual([]);
  });
  test.each(['ab', 'x'.repeat(64), 'Upper', '-start', 'end-', 'under_score', '.dot', 'dot.'])(
    '%s breaks the character rules',
    (v) => {
      expect(messages(bucketName, v)).toEqual([
        'an S3 bucket name: 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
      ]);
    },
  );
  test.each([
    ['a..b', 'S3 refuses bucket names with two adjacent periods'],
    ['192.168.5.4', 'S3 refuses bucket names with the form of an IP address'],
    ['xn--bucket', 'S3 refuses bucket names with a reserved prefix (xn--, sthree-, amzn-s3-demo-)'],
    ['sthree-bucket', 'S3 refuses bucket names with a reserved prefix (xn--, sthree-, amzn-s3-demo-)'],
    ['amzn-s3-demo-bucket', 'S3 refuses bucket names with a reserved prefix (xn--, sthree-, amzn-s3-demo-)'],
    ...['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].map((suffix) => [
      `bucket${suffix}`,
      'S3 refuses bucket names with a reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)',
    ]),
  ])('%s is reserved', (v, message) => {
    expect(messages(bucketName, v)).toEqual([message]);
  });
  test('reserved words inside a name are fine', () => {
    expect(messages(bucketName, 'my-xn--bucket')).toEqual([]);
    expect(messages(bucketName, 'a-s3alias-b')).toEqual([]);
    expect(messages(bucketName, '1.2.3.4.5')).toEqual([]);
  });
});

describe('topicName / queueName / keyAlias', () => {
  test.each(['orders', 'a_b-c', 'x'.repeat(256), `${'x'.repeat(251)}.fifo`])('%s is a topic name', (v) => {
    expect(messages(topicName, v)).toEqual([]);
  });
  test.each(['', 'x'.repeat(257), `${'x'.repeat(252)}.fifo`, 'a.b', 'a b', 'a.fifo.x'])('%s is not', (v) => {
    expect(messages(topicName, v)).toEqual(['an SNS topic name: at most 256 letters, digits, _ and -']);
  });
  test.each(['orders', 'a_b-c', 'x'.repeat(80), `${'x'.repeat(75)}.fifo`])('%s is a queue name', (v) => {
    expect(messages(queueName, v)).toEqual([]);
  });
  test.each(['', 'x'.repeat(81), `${'x'.repeat(76)}.fifo`, 'a.b', 'q:1'])('%s is not', (v) => {
    expect(messages(queueName, v)).toEqual(['an SQS queue name: at most 80 letters, digits, _ and -']);
  });
  test.each(['alias/app-key', 'alias/a', 'alias/team/app_key', `alias/${'k'.repeat(250)}`])(
    '%s is an alias',
    (v) => {
      expect(messages(keyAlias, v)).toEqual([]);
    },
  );
  test.each(['app-key', 'alias/', 'alias/a b', `alias/${'k'.repeat(251)}`, 'xalias/a', 'arn:aws:kms:x'])(
    '%s is not an alias',
    (v) => {
      expect(messages(keyAlias, v)).toEqual([
        'a key alias such as alias/app-key (alias/ then letters, digits, / _ -)',
      ]);
    },
  );
});

describe('as tools that call the exported types see them', () => {
  test('the checks past the pattern (host bits, reserved bucket names) are zod "custom" issues', () => {
    const codes = (schema: z.ZodType, value: unknown) =>
      schema.safeParse(value).error?.issues.map((i) => i.code);
    expect(codes(cidr, '10.0.1.5/16')).toEqual(['custom']);
    expect(codes(bucketName, 'receipts-s3alias')).toEqual(['custom']);
  });
});
