import { describe, expect, test } from 'vitest';
import {
  ExpressionContext,
  evaluate,
  parseCondition,
  parseProjection,
  parseUpdate,
  project,
} from '../../../../twin/services/dynamodb/model/expressions.ts';
import { applyUpdate } from '../../../../twin/services/dynamodb/model/update.ts';
import type { AttributeValue, Item } from '../../../../twin/services/dynamodb/model/values.ts';

/**
 * DynamoDB's expression language: conditions as AWS evaluates them on an
 * item (a absent attribute compares false, except `<>`), updates applied
 * against the item as it was, and the errors AWS answers for a malformed
 * expression, prefixed by the parameter that held it.
 */
const ctx = (names?: Record<string, string>, values?: Record<string, AttributeValue>) =>
  new ExpressionContext(names, values);

const ITEM: Item = {
  id: { S: 'e1' },
  n: { N: '5' },
  tags: { SS: ['a', 'b'] },
  doc: { M: { nested: { L: [{ S: 'x' }, { N: '1' }] } } },
  bin: { B: new Uint8Array([1, 2, 3]) },
  s: { S: 'hello world' },
};

function holds(text: string, values: Record<string, AttributeValue> = {}, names?: Record<string, string>) {
  const c = ctx(names, Object.keys(values).length ? values : undefined);
  return evaluate(parseCondition(text, 'ConditionExpression', c), ITEM);
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('conditions', () => {
  test.each([
    ['attribute_exists(id)', {}, true],
    ['attribute_not_exists(id)', {}, false],
    ['attribute_not_exists(absent)', {}, true],
    ['n = :five', { ':five': { N: '5.0' } }, true],
    ['n <> :five', { ':five': { N: '5' } }, false],
    ['absent <> :five', { ':five': { N: '5' } }, true],
    ['absent = :five', { ':five': { N: '5' } }, false],
    ['n < :ten', { ':ten': { N: '10' } }, true],
    ['n > :s', { ':s': { S: '1' } }, false],
    ['n BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '5' } }, true],
    ['n IN (:a, :b)', { ':a': { N: '1' }, ':b': { N: '5' } }, true],
    ['begins_with(s, :p)', { ':p': { S: 'hell' } }, true],
    ['contains(s, :p)', { ':p': { S: 'o w' } }, true],
    ['contains(tags, :p)', { ':p': { S: 'b' } }, true],
    ['contains(doc.nested, :p)', { ':p': { N: '1' } }, true],
    ['size(tags) = :two', { ':two': { N: '2' } }, true],
    ['size(bin) > :two', { ':two': { N: '2' } }, true],
    ['attribute_type(n, :t)', { ':t': { S: 'N' } }, true],
    ['doc.nested[0] = :x', { ':x': { S: 'x' } }, true],
    ['NOT n = :a OR n = :b AND n = :a', { ':a': { N: '1' }, ':b': { N: '5' } }, true],
    ['(NOT n = :a OR n = :b) AND n = :a', { ':a': { N: '1' }, ':b': { N: '5' } }, false],
  ])('%s → %s', (text, values, expected) => {
    expect(holds(text, values as Record<string, AttributeValue>)).toBe(expected);
  });

  test('a condition on a absent item sees every attribute absent', () => {
    const c = parseCondition('attribute_not_exists(id)', 'ConditionExpression', ctx());
    expect(evaluate(c, undefined)).toBe(true);
  });

  test('keywords and function names are case-insensitive where AWS allows', () => {
    expect(holds('n = :a and not n = :b', { ':a': { N: '5' }, ':b': { N: '6' } })).toBe(true);
  });
});

describe('the errors AWS answers', () => {
  test('a reserved word used directly', () => {
    expect(refusal(() => parseCondition('attribute_exists(Timestamp)', 'ConditionExpression', ctx()))).toBe(
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Timestamp',
    );
    expect(refusal(() => parseProjection('status', ctx()))).toBe(
      'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: status',
    );
  });

  test('a substitution that is not defined', () => {
    expect(
      refusal(() => parseCondition('#a = :v', 'FilterExpression', ctx(undefined, { ':v': { S: 'x' } }))),
    ).toBe(
      'Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #a',
    );
    expect(refusal(() => parseCondition('a = :v', 'ConditionExpression', ctx()))).toBe(
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v',
    );
  });

  test('a substitution that is not used', () => {
    const c = ctx({ '#a': 'a', '#b': 'b' }, { ':v': { S: 'x' } });
    parseCondition('#a = :v', 'ConditionExpression', c);
    expect(refusal(() => c.checkAllUsed())).toBe(
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}',
    );
  });

  test('malformed keys of the substitution maps', () => {
    expect(refusal(() => ctx({ a: 'a' }))).toBe(
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
    );
    expect(refusal(() => ctx(undefined, { ':v': { N: 'x' } }))).toBe(
      'ExpressionAttributeValues contains invalid value: A value provided cannot be converted into a number for key :v',
    );
    expect(refusal(() => ctx({}))).toBe('ExpressionAttributeNames must not be empty');
  });

  test('syntax errors name the token', () => {
    expect(refusal(() => parseCondition('a = ', 'ConditionExpression', ctx()))).toMatch(
      /^Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "/,
    );
    expect(refusal(() => parseCondition('', 'ConditionExpression', ctx()))).toBe(
      'Invalid ConditionExpression: The expression can not be empty;',
    );
  });

  test('an expression over 4 KB', () => {
    const long = Array.from({ length: 1000 }, (_, i) => `a${i}`).join(', ');
    expect(refusal(() => parseProjection(long, ctx()))).toMatch(
      /^Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: \d+$/,
    );
  });

  test('functions: unknown, misused, wrong arity, wrong operand type', () => {
    expect(refusal(() => parseCondition('foo(a)', 'ConditionExpression', ctx()))).toBe(
      'Invalid ConditionExpression: Invalid function name; function: foo',
    );
    expect(refusal(() => parseCondition('size(a)', 'ConditionExpression', ctx()))).toMatch(/Syntax error/);
    expect(refusal(() => parseCondition('attribute_exists(a, b)', 'ConditionExpression', ctx()))).toBe(
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2',
    );
    expect(
      refusal(() =>
        parseCondition('begins_with(a, :n)', 'ConditionExpression', ctx(undefined, { ':n': { N: '1' } })),
      ),
    ).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
  });

  test('BETWEEN bounds out of order', () => {
    expect(
      refusal(() =>
        parseCondition(
          'a BETWEEN :hi AND :lo',
          'ConditionExpression',
          ctx(undefined, { ':hi': { N: '9' }, ':lo': { N: '1' } }),
        ),
      ),
    ).toMatch(
      /^Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound/,
    );
  });
});

describe('updates', () => {
  const update = (text: string, values?: Record<string, AttributeValue>, names?: Record<string, string>) =>
    applyUpdate(ITEM, parseUpdate(text, ctx(names, values)));

  test('SET with arithmetic, if_not_exists and list_append reads the item as it was', () => {
    const after = update('SET n = n + :one, m = if_not_exists(m, n), l = list_append(doc.nested, :more)', {
      ':one': { N: '1' },
      ':more': { L: [{ S: 'y' }] },
    });
    expect(after.n).toEqual({ N: '6' });
    expect(after.m).toEqual({ N: '5' });
    expect(after.l?.L).toHaveLength(3);
  });

  test('ADD to numbers and sets, DELETE from sets; the last member gone removes the attribute', () => {
    const after = update('ADD n :one, tags :c DELETE bin2 :x', {
      ':one': { N: '-2.5' },
      ':c': { SS: ['c', 'a'] },
      ':x': { BS: [new Uint8Array([9])] },
    });
    expect(after.n).toEqual({ N: '2.5' });
    expect(after.tags).toEqual({ SS: ['a', 'b', 'c'] });
    const emptied = update('DELETE tags :ab', { ':ab': { SS: ['a', 'b'] } });
    expect(emptied.tags).toBeUndefined();
  });

  test('REMOVE of list elements keeps indexes meaning what they meant', () => {
    const after = update('REMOVE doc.nested[0], doc.nested[1]');
    expect(after.doc).toEqual({ M: { nested: { L: [] } } });
  });

  test('SET below a absent parent is refused', () => {
    expect(refusal(() => update('SET nope.deeper = :v', { ':v': { S: 'x' } }))).toBe(
      'The document path provided in the update expression is invalid for update',
    );
  });

  test('arithmetic on a string is refused', () => {
    expect(refusal(() => update('SET s = s + :one', { ':one': { N: '1' } }))).toBe(
      'An operand in the update expression has an incorrect data type',
    );
  });

  test('a section twice, and overlapping paths, are refused', () => {
    expect(refusal(() => update('SET a = :v SET b = :v', { ':v': { S: 'x' } }))).toBe(
      'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;',
    );
    expect(refusal(() => update('SET doc = :v REMOVE doc.nested', { ':v': { S: 'x' } }))).toBe(
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [doc], path two: [doc, nested]',
    );
  });

  test('a stray comma is a syntax error', () => {
    expect(refusal(() => update('SET a = :v REMOVE , b', { ':v': { S: 'x' } }))).toMatch(
      /^Invalid UpdateExpression: Syntax error; token: ","/,
    );
    expect(refusal(() => update('SET a = :v,', { ':v': { S: 'x' } }))).toMatch(
      /Syntax error; token: "<EOF>"/,
    );
  });

  test('ADD of a string is refused', () => {
    expect(refusal(() => update('ADD s :v', { ':v': { S: 'x' } }))).toBe(
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING',
    );
  });
});

describe('projections', () => {
  test('only the named paths, list elements compacted in order', () => {
    expect(project(ITEM, parseProjection('id, doc.nested[1], absent', ctx()))).toEqual({
      id: { S: 'e1' },
      doc: { M: { nested: { L: [{ N: '1' }] } } },
    });
  });
});
