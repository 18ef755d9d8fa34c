import {
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import {
  dynamoDbAttempts,
  dynamoDbDeviations,
  runItemKey,
  sweepRunItems,
} from '../../../../helpers/application/reach.ts';
import { CannotTellError } from '../../../../helpers/errors.ts';
import type { AttemptResult } from '../../../../probes/s3-reach/attempts.ts';
import { mockedClients } from '../support.ts';

const schema = {
  partition: { name: 'EventID', type: 'S' as const },
  sort: { name: 'Timestamp', type: 'S' as const },
};
const result = (name: string, outcome: string, extra: Partial<AttemptResult> = {}): AttemptResult =>
  ({ name, kind: 'dynamodb', outcome, latencyMs: 3, ...extra }) as AttemptResult;

describe('the run’s DynamoDB item and the probe’s attempts', () => {
  test('the item is keyed after the run and the placement, its sort key no time a writer’s window could hold', () => {
    expect(runItemKey(schema, 'mc-20261207-abcdef', 'prod')).toEqual({
      EventID: { S: 'meshcheck-mc-20261207-abcdef-prod' },
      Timestamp: { S: 'meshcheck-mc-20261207-abcdef' },
    });
  });

  test('a number partition key cannot carry the run’s name: cannot tell, never an item of no run', () => {
    expect(() => runItemKey({ partition: { name: 'Id', type: 'N' } }, 'mc-1', 'prod')).toThrow(
      CannotTellError,
    );
  });

  test('without a table only ListTables; with one, put, get and delete in one lane', () => {
    expect(dynamoDbAttempts().map((a) => a.name)).toEqual(['dynamodb list']);
    const attempts = dynamoDbAttempts({ table: 'T', key: runItemKey(schema, 'mc-1', 'prod'), runId: 'mc-1' });
    expect(attempts.map((a) => [a.name, a.lane])).toEqual([
      ['dynamodb list', undefined],
      ['dynamodb put', 'dynamodb item'],
      ['dynamodb get', 'dynamodb item'],
      ['dynamodb delete', 'dynamodb item'],
    ]);
  });
});

describe('dynamoDbDeviations: every answer as the placement intends', () => {
  const id = 'meshcheck-mc-1-prod';
  const all = (outcome: string, detail = `{"EventID":{"S":"${id}"}}`) => [
    result('dynamodb list', outcome),
    result('dynamodb put', outcome),
    result('dynamodb get', outcome, { detail }),
    result('dynamodb delete', outcome),
  ];

  test('ok everywhere, the item read back: nothing deviates', () => {
    expect(dynamoDbDeviations(all('ok'), 'ok', id)).toEqual([]);
  });

  test('a get that answers without the item just put deviates, though it was ok', () => {
    expect(dynamoDbDeviations(all('ok', 'no item'), 'ok', id)).toEqual([
      `dynamodb get: answered no item, not the item ${id} just put`,
    ]);
  });

  test('a placement meant to time out that reaches DynamoDB deviates on every call', () => {
    expect(dynamoDbDeviations(all('ok'), 'timeout', id)).toHaveLength(4);
  });

  test('an answer the probe could not settle is cannot-tell', () => {
    const slow = [result('dynamodb list', 'error', { unsettled: true, errorCode: 'SlowAnswer', tries: 3 })];
    expect(() => dynamoDbDeviations(slow, 'ok')).toThrow(CannotTellError);
  });
});

describe('sweepRunItems: the items probes left, and nothing else', () => {
  const dynamodb = mockClient(DynamoDBClient);
  afterEach(() => dynamodb.reset());
  const described = {
    Table: {
      KeySchema: [
        { AttributeName: 'EventID', KeyType: 'HASH' as const },
        { AttributeName: 'Timestamp', KeyType: 'RANGE' as const },
      ],
      AttributeDefinitions: [
        { AttributeName: 'EventID', AttributeType: 'S' as const },
        { AttributeName: 'Timestamp', AttributeType: 'S' as const },
      ],
    },
  };

  test('a run deletes its own items by key, without reading the table', async () => {
    dynamodb.on(DescribeTableCommand).resolves(described);
    dynamodb
      .on(DeleteItemCommand, {
        Key: { EventID: { S: 'meshcheck-mc-1-prod' }, Timestamp: { S: 'meshcheck-mc-1' } },
      })
      .resolves({ Attributes: { EventID: { S: 'meshcheck-mc-1-prod' } } })
      .on(DeleteItemCommand, {
        Key: { EventID: { S: 'meshcheck-mc-1-dev' }, Timestamp: { S: 'meshcheck-mc-1' } },
      })
      .resolves({});
    const swept = await sweepRunItems(mockedClients(), 'T', { runId: 'mc-1', placements: ['prod', 'dev'] });
    expect(swept.map((s) => s.id)).toEqual(['T/meshcheck-mc-1-prod']);
    expect(dynamodb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  test('cleanup of every run removes only items named meshcheck-, never the writer’s', async () => {
    dynamodb.on(DescribeTableCommand).resolves(described);
    dynamodb.on(ScanCommand).resolves({
      Items: [
        { EventID: { S: '1796649011.25' }, Timestamp: { S: '2026-12-07T13:10:11' } },
        {
          EventID: { S: 'meshcheck-mc-20261207-abcdef-prod' },
          Timestamp: { S: 'meshcheck-mc-20261207-abcdef' },
        },
      ],
    });
    dynamodb.on(DeleteItemCommand).resolves({ Attributes: { EventID: { S: 'x' } } });
    const swept = await sweepRunItems(mockedClients(), 'T', { placements: ['prod'] });
    expect(swept).toEqual([
      { kind: 'dynamodb-item', id: 'T/meshcheck-mc-20261207-abcdef-prod', runId: 'mc-20261207-abcdef' },
    ]);
    expect(dynamodb.commandCalls(DeleteItemCommand)).toHaveLength(1);
  });
});
