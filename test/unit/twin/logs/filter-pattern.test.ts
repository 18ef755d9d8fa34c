import { describe, expect, test } from 'vitest';
import { compileFilterPattern } from '../../../../twin/services/logs/model/filter-pattern.ts';

/** Filter patterns over unstructured and JSON events, case-sensitive as in CloudWatch Logs. */
const LINES = [
  'ERROR disk full on /var',
  '[WARN] slow response 2300 ms',
  'user said "hello world" twice',
  'error lower case',
  '{"level":"ERROR","latency":250,"user":{"id":"u-1"}}',
  '{"level":"INFO","latency":80,"user":{"id":"u-2"}}',
];
const matching = (pattern: string) => LINES.filter(compileFilterPattern(pattern));

describe('unstructured patterns', () => {
  test.for([
    ['', LINES],
    ['ERROR', ['ERROR disk full on /var', '{"level":"ERROR","latency":250,"user":{"id":"u-1"}}']],
    ['ERROR full', ['ERROR disk full on /var']],
    ['?WARN ?twice', ['[WARN] slow response 2300 ms', 'user said "hello world" twice']],
    ['"hello world"', ['user said "hello world" twice']],
    ['"disk full" -var', []],
    ['error', ['error lower case']],
    ['%resp[a-z]+se \\d+%', ['[WARN] slow response 2300 ms']],
  ] as const)('%j', ([pattern, expected]) => {
    expect(matching(pattern)).toEqual(expected);
  });
});

describe('JSON patterns', () => {
  test.for([
    ['{ $.level = "ERROR" }', [LINES[4]]],
    ['{ $.latency > 100 }', [LINES[4]]],
    ['{ $.user.id = "u-*" && $.latency < 100 }', [LINES[5]]],
    ['{ $.level = "INFO" || $.latency >= 250 }', [LINES[4], LINES[5]]],
    ['{ $.level != "ERROR" }', [LINES[5]]],
  ] as const)('%s', ([pattern, expected]) => {
    expect(matching(pattern)).toEqual(expected);
  });
});

test('space-delimited patterns are refused, not guessed at', () => {
  expect(() => compileFilterPattern('[ip, user, status=404]')).toThrow(/space-delimited/);
});

test('a JSON wildcard value is matched in linear time (a regular expression backtracked for seconds)', () => {
  const line = JSON.stringify({ user: 'a'.repeat(60) });
  const started = performance.now();
  expect(compileFilterPattern(`{ $.user = "${'a*'.repeat(20)}b" }`)(line)).toBe(false);
  expect(compileFilterPattern(`{ $.user = "a*a" }`)(line)).toBe(true);
  expect(compileFilterPattern(`{ $.user = "a?a" }`)(line), '? is literal in Logs patterns').toBe(false);
  // Generous bound: the old matcher never returned at all.
  expect(performance.now() - started).toBeLessThan(1000);
});
