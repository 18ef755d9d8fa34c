import { beforeEach, describe, expect, test } from 'vitest';
import { invoke } from '../../../../twin/core/invoke.ts';
import { dynamodb } from '../../../../twin/services/dynamodb/api.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { delay } from '../../../../twin/state/profile.ts';
import { rootCredential, Twin } from '../../../../twin/twin.ts';

/**
 * CreateTable's validation in DynamoDB's words, through invoke() (the same
 * authorization and handlers as HTTP), and the table's life: CREATING,
 * ACTIVE, DELETING, gone.
 */
const A = '123456789012';
let twin: Twin;
let clock: ManualClock;

const call = <O = Record<string, unknown>>(op: string, input: object) =>
  invoke(twin, dynamodb, op, input, { credential: rootCredential(A), region: 'us-east-1' }) as Promise<O>;

async function refusal(op: string, input: object): Promise<string> {
  try {
    await call(op, input);
  } catch (e) {
    return `${(e as { code: string }).code}: ${(e as Error).message}`;
  }
  return 'no error';
}

const base = {
  TableName: 'Tab1',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
};

beforeEach(() => {
  clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  twin = new Twin({ clock });
});

describe('CreateTable validation', () => {
  test.each([
    [
      'a RANGE key first',
      { KeySchema: [{ AttributeName: 'pk', KeyType: 'RANGE' }] },
      'ValidationException: Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    ],
    [
      'two HASH keys',
      {
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'HASH' },
        ],
      },
      'ValidationException: Invalid KeySchema: The second KeySchemaElement is not a RANGE key type',
    ],
    [
      'a definition no key uses',
      {
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'extra', AttributeType: 'N' },
        ],
      },
      'ValidationException: One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    ],
    [
      'a key type outside S, N, B',
      { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'BOOL' }] },
      "ValidationException: 1 validation error detected: Value 'BOOL' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
    ],
    [
      'PROVISIONED without throughput',
      { BillingMode: 'PROVISIONED' },
      'ValidationException: One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    ],
    [
      'a name too short',
      { TableName: 'ab' },
      "ValidationException: 1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    ],
    [
      'a secondary index (not served)',
      {
        GlobalSecondaryIndexes: [
          {
            IndexName: 'g',
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
      'ValidationException: The twin does not serve secondary indexes (see LIMITATIONS in twin/services/dynamodb/api.ts)',
    ],
  ])('%s', async (_, change, expected) => {
    expect(await refusal('CreateTable', { ...base, ...change })).toBe(expected);
  });

  test('PROVISIONED with throughput shows it; no BillingModeSummary', async () => {
    const out = await call<{ TableDescription: Record<string, unknown> }>('CreateTable', {
      ...base,
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
    });
    expect(out.TableDescription.ProvisionedThroughput).toEqual({
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: 2,
      WriteCapacityUnits: 3,
    });
    expect(out.TableDescription.BillingModeSummary).toBeUndefined();
  });
});

describe('a table’s life', () => {
  test('CREATING refuses items and deletion; ACTIVE serves them; DELETING, then gone', async () => {
    await call('CreateTable', base);
    expect(await refusal('PutItem', { TableName: 'Tab1', Item: { pk: { S: 'a' } } })).toBe(
      'ResourceNotFoundException: Requested resource not found',
    );
    expect(await refusal('DeleteTable', { TableName: 'Tab1' })).toBe(
      'ResourceInUseException: Attempt to change a resource which is still in use: Table is being created: Tab1',
    );
    clock.advance(delay(twin.profile, 'dynamodbTableCreationMs'));
    await call('PutItem', { TableName: 'Tab1', Item: { pk: { S: 'a' } } });
    const deleted = await call<{ TableDescription: { TableStatus: string } }>('DeleteTable', {
      TableName: 'Tab1',
    });
    expect(deleted.TableDescription.TableStatus).toBe('DELETING');
    expect(await refusal('CreateTable', base)).toBe('ResourceInUseException: Table already exists: Tab1');
    clock.advance(delay(twin.profile, 'dynamodbTableCreationMs'));
    expect(await refusal('DescribeTable', { TableName: 'Tab1' })).toBe(
      'ResourceNotFoundException: Requested resource not found: Table: Tab1 not found',
    );
    await call('CreateTable', base);
  });
});
