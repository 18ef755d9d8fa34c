import { describe, expect, test } from 'vitest';
import { passesFilter } from '../../../../twin/services/sns/model/filter.ts';

/** Filter policies against message attributes and bodies (SNS Developer Guide, message filtering). */
const s = (StringValue: string) => ({ DataType: 'String', StringValue });
const n = (StringValue: string) => ({ DataType: 'Number', StringValue });
const attrs = {
  kind: s('order_placed'),
  price: n('42.5'),
  tags: { DataType: 'String.Array', StringValue: '["red","blue"]' },
};

describe('MessageAttributes scope', () => {
  test.for([
    ['an exact string', { kind: ['order_placed'] }, true],
    ['another string', { kind: ['order_cancelled'] }, false],
    ['a prefix', { kind: [{ prefix: 'order_' }] }, true],
    ['a suffix', { kind: [{ suffix: '_placed' }] }, true],
    ['equals-ignore-case', { kind: [{ 'equals-ignore-case': 'ORDER_PLACED' }] }, true],
    ['anything-but the value', { kind: [{ 'anything-but': ['order_placed'] }] }, false],
    ['anything-but a prefix', { kind: [{ 'anything-but': { prefix: 'refund' } }] }, true],
    ['a numeric range', { price: [{ numeric: ['>', 40, '<=', 50] }] }, true],
    ['a numeric range missed', { price: [{ numeric: ['<', 40] }] }, false],
    ['an exact number', { price: [42.5] }, true],
    ['a String.Array element', { tags: ['blue'] }, true],
    ['exists true on a missing key', { colour: [{ exists: true }] }, false],
    ['exists false on a missing key', { colour: [{ exists: false }] }, true],
    ['a missing key', { colour: ['red'] }, false],
    ['two keys, both matching (AND)', { kind: ['order_placed'], price: [{ numeric: ['>', 0] }] }, true],
    ['two keys, one missing (AND)', { kind: ['order_placed'], price: [{ numeric: ['>', 100] }] }, false],
  ] as const)('%s → %s', ([, policy, expected]) => {
    expect(passesFilter(JSON.stringify(policy), undefined, attrs, 'body')).toBe(expected);
  });

  test('no policy passes everything', () => {
    expect(passesFilter(undefined, undefined, {}, 'x')).toBe(true);
  });
});

describe('MessageBody scope', () => {
  const body = JSON.stringify({ order: { status: 'shipped', total: 12 }, region: 'eu' });
  test.for([
    ['a nested key', { order: { status: ['shipped'] } }, true],
    ['a nested numeric', { order: { total: [{ numeric: ['>=', 12] }] } }, true],
    ['a top-level mismatch', { region: ['us'] }, false],
  ] as const)('%s → %s', ([, policy, expected]) => {
    expect(passesFilter(JSON.stringify(policy), 'MessageBody', {}, body)).toBe(expected);
  });

  test('a body that is not JSON matches no body policy', () => {
    expect(passesFilter(JSON.stringify({ region: ['eu'] }), 'MessageBody', {}, 'plain text')).toBe(false);
  });
});
