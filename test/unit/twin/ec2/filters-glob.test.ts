import { expect, test } from 'vitest';
import { globMatch } from '../../../../twin/services/ec2/filters.ts';

/** EC2 filter wildcards (Query-Requests.html#Filtering): `*` any run, `?` one character. */
test.each([
  ['vpc-*', 'vpc-123', true],
  ['vpc-?23', 'vpc-123', true],
  ['vpc-?', 'vpc-12', false],
  ['*', '', true],
  ['a*b*c', 'axxbyyc', true],
  ['a*b*c', 'axxbyy', false],
  ['lab', 'lab-1', false],
  ['*-1', 'lab-1', true],
] as const)('%s against %s: %s', (glob, s, expected) => {
  expect(globMatch(glob, s)).toBe(expected);
});

test('many wildcards against a long value answer at once', () => {
  const started = performance.now();
  expect(globMatch(`${'a*'.repeat(120)}b`, 'a'.repeat(255))).toBe(false);
  expect(performance.now() - started).toBeLessThan(1000);
});
