import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * What an operator types: the AWS CLI (botocore) against the twin's
 * DynamoDB, for the commands a lab's runbook uses. Few calls: each costs
 * about a second of CPU.
 */
let twin: TestTwin;
type Json = Record<string, unknown>;

beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

describe.runIf(hasAwsCli)('aws dynamodb (CLI 2.9, awsJson 1.0)', () => {
  test('create-table, put-item, get-item, query, scan, describe-continuous-backups', async () => {
    const created = await aws(twin, [
      'dynamodb',
      'create-table',
      '--table-name',
      'AppEvents',
      '--attribute-definitions',
      'AttributeName=EventID,AttributeType=S',
      'AttributeName=Timestamp,AttributeType=S',
      '--key-schema',
      'AttributeName=EventID,KeyType=HASH',
      'AttributeName=Timestamp,KeyType=RANGE',
      '--billing-mode',
      'PAY_PER_REQUEST',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect((created.json as Json).TableDescription).toMatchObject({
      TableName: 'AppEvents',
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });

    const item = { EventID: { S: 'e1' }, Timestamp: { S: '2026-01-01T00:00:00Z' }, Size: { N: '42' } };
    const put = await aws(twin, [
      'dynamodb',
      'put-item',
      '--table-name',
      'AppEvents',
      '--item',
      JSON.stringify(item),
    ]);
    expect(put.code, put.stderr).toBe(0);

    const got = await aws(twin, [
      'dynamodb',
      'get-item',
      '--table-name',
      'AppEvents',
      '--key',
      JSON.stringify({ EventID: item.EventID, Timestamp: item.Timestamp }),
      '--consistent-read',
    ]);
    expect(got.code, got.stderr).toBe(0);
    expect((got.json as Json).Item).toEqual(item);

    const queried = await aws(twin, [
      'dynamodb',
      'query',
      '--table-name',
      'AppEvents',
      '--key-condition-expression',
      'EventID = :id',
      '--expression-attribute-values',
      '{":id":{"S":"e1"}}',
    ]);
    expect(queried.code, queried.stderr).toBe(0);
    expect(queried.json).toMatchObject({ Count: 1, ScannedCount: 1, Items: [item] });

    const scanned = await aws(twin, ['dynamodb', 'scan', '--table-name', 'AppEvents', '--select', 'COUNT']);
    expect(scanned.code, scanned.stderr).toBe(0);
    expect(scanned.json).toMatchObject({ Count: 1, ScannedCount: 1 });

    const backups = await aws(twin, ['dynamodb', 'describe-continuous-backups', '--table-name', 'AppEvents']);
    expect(backups.code, backups.stderr).toBe(0);
    expect(backups.json).toEqual({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      },
    });
  }, 60_000);

  test('a refused write names DynamoDB’s error as botocore prints it', async () => {
    const r = await aws(twin, [
      'dynamodb',
      'put-item',
      '--table-name',
      'AppEvents',
      '--item',
      '{"Timestamp":{"S":"t"}}',
    ]);
    expect(r.code).toBe(254);
    expect(r.stderr).toContain(
      'An error occurred (ValidationException) when calling the PutItem operation: One or more parameter values were invalid: Missing the key EventID in the item',
    );
  }, 30_000);
});
