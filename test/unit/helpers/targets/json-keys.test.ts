import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { duplicateKeys } from '../../../../helpers/targets/json-keys.ts';
import { PROBE_ROLE } from '../../../../helpers/targets/rules.ts';

describe('duplicateKeys finds what JSON.parse silently resolves', () => {
  test.for([
    { says: 'none in a clean file', text: '{"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]}', found: [] },
    { says: 'one at the top', text: '{"a": 1, "a": 2}', found: ['a'] },
    { says: 'one in an array item', text: '{"l": [{"x": 1}, {"x": 1, "x": 2}]}', found: ['l[1].x'] },
    { says: 'one whose key holds an escaped quote', text: '{"a\\"b": 1, "a\\"b": 2}', found: ['["a\\"b"]'] },
    { says: 'one spelled with an escape', text: '{"ab": 1, "\\u0061b": 2}', found: ['ab'] },
    {
      says: 'none when the key text sits inside a value',
      text: '{"a": "\\"a\\": {", "b": ["a", "a"]}',
      found: [],
    },
    {
      says: 'one under a key that is not an identifier',
      text: '{"log-archive": {"id": "1", "id": "2"}}',
      found: ['["log-archive"].id'],
    },
  ])('$says', ({ text, found }, { expect }) => {
    JSON.parse(text);
    expect(duplicateKeys(text).map((d) => d.split(': ')[0])).toEqual(found);
  });
});

test('the probe role the schema insists on is the one the runner policy may pass to Lambda', async ({
  expect,
}) => {
  const policy = JSON.parse(await readFile(join(__dirname, '../../../../policies/runner.json'), 'utf8'));
  const passRole = policy.Statement.filter((s: { Action: string | string[] }) =>
    [s.Action].flat().includes('iam:PassRole'),
  );
  expect(passRole.map((s: { Resource: unknown }) => s.Resource)).toEqual([
    `arn:aws:iam::*:role/${PROBE_ROLE}`,
  ]);
});
