import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { ownersRunnerPolicy } from '../../../lab/second/identity.ts';

/**
 * The second lab runs under the shipped runner policy as an owner edits it (README, "The runner policy"):
 * only the writer's invoke and the writer's table reads point at its own application; everything else is
 * the shipped policy, unchanged.
 */
const shipped = async () =>
  JSON.parse(await readFile(join(import.meta.dirname, '../../../policies/runner.json'), 'utf8'));
const names = { writer: 'ledger-event-recorder', table: 'ledger-events' };

describe('the second lab’s runner policy', () => {
  test('names its writer and table where the shipped policy names the reference lab’s, and nothing else changes', async ({
    expect,
  }) => {
    const before = await shipped();
    const after = ownersRunnerPolicy(before, names);
    const changed = after.Statement.filter(
      (s, i) => JSON.stringify(s) !== JSON.stringify(before.Statement[i]),
    );
    expect(changed).toEqual([
      expect.objectContaining({
        Sid: 'ApplicationFindTheWritersItems',
        Resource: ['arn:aws:dynamodb:*:*:table/ledger-events'],
      }),
      expect.objectContaining({
        Sid: 'ApplicationInvokeTheWriter',
        Resource: ['arn:aws:lambda:*:*:function:ledger-event-recorder'],
      }),
    ]);
    expect(after.Statement).toHaveLength(before.Statement.length);
  });

  test('a shipped policy without the statements to edit is an error, not a policy left unedited', async ({
    expect,
  }) => {
    const before = await shipped();
    before.Statement = before.Statement.filter(
      (s: { Sid?: string }) => s.Sid !== 'ApplicationInvokeTheWriter',
    );
    expect(() => ownersRunnerPolicy(before, names)).toThrow(/ApplicationInvokeTheWriter/);
  });
});
