import { describe, expect, test } from 'vitest';
import {
  addDecimal,
  canonicalNumber,
  compareDecimal,
  parseDecimal,
} from '../../../../twin/services/dynamodb/model/numbers.ts';
import {
  checkItemSize,
  checkValue,
  compareValues,
  equalValues,
  itemSize,
} from '../../../../twin/services/dynamodb/model/values.ts';

/**
 * DynamoDB's attribute values: one type each, numbers exact to 38 digits
 * and returned canonical, sets neither empty nor duplicated, strings and
 * binary ordered by bytes, and the 400 KB item limit.
 */
const message = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('numbers', () => {
  test.each([
    ['1.50', '1.5'],
    ['0001', '1'],
    ['-0.0', '0'],
    ['1e3', '1000'],
    ['1.23E-2', '0.0123'],
    ['+7', '7'],
  ])('%s is stored and returned as %s', (given, canonical) => {
    expect(canonicalNumber(given)).toBe(canonical);
  });

  test.each(['', 'abc', '1.2.3', 'NaN', 'Infinity', '1e', ' 1'])('%j is not a number', (given) => {
    expect(message(() => canonicalNumber(given))).toBe('A value provided cannot be converted into a number');
  });

  test('39 significant digits are refused; 38 are kept exactly', () => {
    expect(canonicalNumber('1'.repeat(38))).toBe('1'.repeat(38));
    expect(message(() => canonicalNumber('1'.repeat(39)))).toBe(
      'Attempting to store more than 38 significant digits in a Number',
    );
  });

  test('magnitude beyond 1E+125 or under 1E-130 is refused', () => {
    expect(message(() => canonicalNumber('1E126'))).toMatch(/^Number overflow/);
    expect(message(() => canonicalNumber('1E-131'))).toMatch(/^Number underflow/);
    expect(canonicalNumber('1E-130')).toBe(`0.${'0'.repeat(129)}1`);
  });

  test('addition and comparison are exact where a double is not', () => {
    const sum = addDecimal(parseDecimal('0.1'), parseDecimal('0.2'));
    expect(compareDecimal(sum, parseDecimal('0.3'))).toBe(0);
    expect(compareDecimal(parseDecimal('12345678901234567890'), parseDecimal('12345678901234567891'))).toBe(
      -1,
    );
  });
});

describe('attribute values', () => {
  test('a value must carry exactly one type', () => {
    expect(message(() => checkValue({}))).toBe(
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
    expect(message(() => checkValue({ S: 'a', N: '1' }))).toBe(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  });

  test('NULL must be true', () => {
    expect(message(() => checkValue({ NULL: false }))).toBe(
      'One or more parameter values were invalid: Null attribute value types must have the value of true',
    );
  });

  test('empty sets are refused in DynamoDB’s own words', () => {
    expect(message(() => checkValue({ SS: [] }))).toBe(
      'One or more parameter values were invalid: An string set  may not be empty',
    );
    expect(message(() => checkValue({ NS: [] }))).toBe(
      'One or more parameter values were invalid: An number set  may not be empty',
    );
    expect(message(() => checkValue({ BS: [] }))).toBe(
      'One or more parameter values were invalid: Binary sets should not be empty',
    );
  });

  test('duplicates in a set are refused, numbers compared by value', () => {
    expect(message(() => checkValue({ SS: ['a', 'a'] }))).toBe(
      'One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
    );
    expect(message(() => checkValue({ NS: ['1', '1.0'] }))).toMatch(/contains duplicates/);
  });

  test('nested values are validated and normalised', () => {
    expect(checkValue({ M: { a: { L: [{ N: '2.50' }] } } })).toEqual({ M: { a: { L: [{ N: '2.5' }] } } });
    expect(message(() => checkValue({ L: [{ N: 'x' }] }))).toBe(
      'A value provided cannot be converted into a number',
    );
  });

  test('an empty string is a valid non-key value', () => {
    expect(checkValue({ S: '' })).toEqual({ S: '' });
  });
});

describe('order and equality', () => {
  test('strings order by UTF-8 bytes, not UTF-16 code units', () => {
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (4 bytes, F0 …), though its UTF-16 unit is larger.
    expect(compareValues({ S: '\uFF5E' }, { S: '😀' })).toBe(-1);
    expect('\uFF5E' > '😀').toBe(true);
  });

  test('numbers order numerically, values of different types do not order', () => {
    expect(compareValues({ N: '10' }, { N: '9' })).toBe(1);
    expect(compareValues({ N: '1' }, { S: '1' })).toBeUndefined();
  });

  test('sets are equal whatever their order', () => {
    expect(equalValues({ SS: ['a', 'b'] }, { SS: ['b', 'a'] })).toBe(true);
    expect(equalValues({ NS: ['1'] }, { NS: ['1', '2'] })).toBe(false);
  });
});

describe('item size', () => {
  test('names count toward the size, strings by UTF-8 bytes', () => {
    expect(itemSize({ ab: { S: 'é' } })).toBe(2 + 2);
  });

  test('an item over 400 KB is refused, one at the limit is not', () => {
    const at = { k: { S: 'x'.repeat(400 * 1024 - 1) } };
    expect(() => checkItemSize(at)).not.toThrow();
    expect(message(() => checkItemSize({ k: { S: 'x'.repeat(400 * 1024) } }))).toBe(
      'Item size has exceeded the maximum allowed size',
    );
  });
});
