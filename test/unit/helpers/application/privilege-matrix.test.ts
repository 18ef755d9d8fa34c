import { describe, expect, test } from 'vitest';
import {
  bucketOf,
  describePair,
  expandMatrix,
  otherName,
  resourceArn,
} from '../../../../helpers/application/privilege-matrix.ts';

/** A matrix's names made ARNs as AWS writes them; the made-up resource is the run's own. */
const LAB = { region: 'eu-west-1', accountId: '123456789012', runId: 'MC-20261207-ABCDEF' };

describe('resourceArn', () => {
  test.for([
    ['table:Orders', 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders'],
    ['table:{other}', 'arn:aws:dynamodb:eu-west-1:123456789012:table/meshcheck-other-mc-20261207-abcdef'],
    ['bucket:orders-data', 'arn:aws:s3:::orders-data'],
    ['bucket:orders-data/logs/*', 'arn:aws:s3:::orders-data/logs/*'],
    ['bucket:{other}/*', 'arn:aws:s3:::meshcheck-other-mc-20261207-abcdef/*'],
    ['arn:aws:kms:eu-west-1:123456789012:key/k', 'arn:aws:kms:eu-west-1:123456789012:key/k'],
    ['*', '*'],
  ] as const)('%s → %s', ([ref, arn]) => {
    expect(resourceArn(ref, LAB)).toBe(arn);
  });

  test('the made-up name is a valid bucket name: lower case, at most 63 characters', () => {
    expect(otherName('x'.repeat(80))).toHaveLength(63);
    expect(otherName(LAB.runId)).toBe('meshcheck-other-mc-20261207-abcdef');
  });

  test('bucketOf reads the bucket of bucket and object ARNs only', () => {
    expect(bucketOf('arn:aws:s3:::b/k/x')).toBe('b');
    expect(bucketOf('arn:aws:s3:::b')).toBe('b');
    expect(bucketOf('arn:aws:dynamodb:eu-west-1:123456789012:table/t')).toBeUndefined();
  });
});

describe('expandMatrix', () => {
  test('every action on every resource, allowed first, a pair named twice kept once with its first intent', () => {
    const pairs = expandMatrix(
      {
        allow: [{ actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: ['table:Orders'] }],
        deny: [
          { actions: ['dynamodb:putitem', 'dynamodb:GetItem'], resources: ['table:Orders', 'table:{other}'] },
        ],
      },
      LAB,
    );
    expect(pairs.map((p) => `${p.want} ${describePair(p)}`)).toEqual([
      'allowed dynamodb:PutItem on table:Orders',
      'allowed dynamodb:UpdateItem on table:Orders',
      'refused dynamodb:GetItem on table:Orders',
      'refused dynamodb:putitem on table:{other}',
      'refused dynamodb:GetItem on table:{other}',
    ]);
  });
});
