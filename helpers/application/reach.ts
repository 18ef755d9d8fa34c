import {
  type AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  paginateScan,
} from '@aws-sdk/client-dynamodb';
import type { Outcome } from '../../common/outcome.ts';
import type { Attempt, AttemptResult, ScalarAttribute } from '../../probes/s3-reach/attempts.ts';
import type { AwsClients } from '../clients.ts';
import { CannotTellError, reading } from '../errors.ts';
import { attemptSummary } from '../probe.ts';
import type { Swept } from '../sweep.ts';

/**
 * DynamoDB from inside a VPC (S13): what the reach probe is asked to try
 * in a placement — ListTables, and with a table a put, get and delete of
 * one item named after the run and the placement — and how its answers
 * read against the placement's intent. The item is the run's own: its
 * partition key is `meshcheck-<run id>-<placement>`, which is also how a
 * sweep finds one a stopped probe left behind.
 */
export interface KeyAttribute {
  name: string;
  type: 'S' | 'N' | 'B';
}

export interface KeySchema {
  partition: KeyAttribute;
  sort?: KeyAttribute | undefined;
}

/**
 * A table's key schema, as DynamoDB describes it (DescribeTable: KeySchema names HASH and RANGE,
 * AttributeDefinitions their types).
 *
 * @example await getKeySchema(clients, 'events') // { partition: { name: 'id', type: 'S' }, sort: … }
 */
export async function getKeySchema(clients: AwsClients, table: string): Promise<KeySchema> {
  const { Table } = await reading(`describe table ${table}`, () =>
    clients.dynamodb.send(new DescribeTableCommand({ TableName: table })),
  );
  const typeOf = (name: string) =>
    (Table?.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType ?? 'S') as
      | 'S'
      | 'N'
      | 'B';
  const role = (r: 'HASH' | 'RANGE') => Table?.KeySchema?.find((k) => k.KeyType === r)?.AttributeName;
  const partition = role('HASH');
  if (!partition) throw new CannotTellError(`table ${table} is described without a partition key`);
  const sort = role('RANGE');
  return {
    partition: { name: partition, type: typeOf(partition) },
    ...(sort && { sort: { name: sort, type: typeOf(sort) } }),
  };
}

/** The partition key value of a run's item in a placement; every run's start with `meshcheck-`. */
export function runItemId(runId: string, placement: string): string {
  return `meshcheck-${runId}-${placement}`;
}

/**
 * The key of a run's item in a placement. A sort key holds a value that is no time (`meshcheck-<run>`),
 * so the item never passes for a writer's item in S11's window even where the time attribute is the
 * sort key. A number partition key cannot carry the run's name: the suite cannot make a run-scoped item.
 */
export function runItemKey(
  schema: KeySchema,
  runId: string,
  placement: string,
): Record<string, ScalarAttribute> {
  const id = runItemId(runId, placement);
  const value = (type: KeyAttribute['type'], text: string, number: string): ScalarAttribute =>
    type === 'S' ? { S: text } : type === 'B' ? { B: Buffer.from(text).toString('base64') } : { N: number };
  if (schema.partition.type === 'N')
    throw new CannotTellError(
      `the table's partition key ${schema.partition.name} is a number: it cannot carry the run-scoped name ${id}, so the probe cannot put an item this run could later tell as its own`,
    );
  return {
    [schema.partition.name]: value(schema.partition.type, id, '0'),
    ...(schema.sort && { [schema.sort.name]: value(schema.sort.type, `meshcheck-${runId}`, '0') }),
  };
}

/** The probe's DynamoDB attempts for one placement: ListTables, and the item's put, get and delete in one lane. */
export function dynamoDbAttempts(item?: {
  table: string;
  key: Record<string, ScalarAttribute>;
  runId: string;
}): Attempt[] {
  const list: Attempt = { name: 'dynamodb list', kind: 'dynamodb', operation: 'ListTables' };
  if (!item) return [list];
  const { table, key, runId } = item;
  const lane = 'dynamodb item';
  return [
    list,
    {
      name: 'dynamodb put',
      kind: 'dynamodb',
      operation: 'PutItem',
      table,
      // When it was made: `meshcheck cleanup` leaves a run's item alone while the run may still be going.
      item: { ...key, meshcheckRun: { S: runId }, meshcheckAt: { N: String(Date.now()) } },
      lane,
    },
    { name: 'dynamodb get', kind: 'dynamodb', operation: 'GetItem', table, item: key, lane },
    { name: 'dynamodb delete', kind: 'dynamodb', operation: 'DeleteItem', table, item: key, lane },
  ];
}

/**
 * What in the probe's DynamoDB answers differs from the placement's intent, one line each: every
 * attempt must answer `expect`, and where that is `ok` the get must return the item just put. An
 * attempt the probe could not settle (slow or throttled to the end) means the suite cannot tell.
 */
export function dynamoDbDeviations(results: AttemptResult[], expect: Outcome, itemId?: string): string[] {
  const unsettled = results.filter((r) => r.unsettled);
  if (unsettled.length)
    throw new CannotTellError(
      `the probe could not tell: ${unsettled.map((r) => `${r.name}: ${r.errorCode} after ${r.tries} tries`).join('; ')}`,
    );
  const wrong = results.filter((r) => r.outcome !== expect).map(attemptSummary);
  const got = results.find((r) => r.name === 'dynamodb get');
  if (expect === 'ok' && itemId && got?.outcome === 'ok' && !got.detail?.includes(itemId))
    wrong.push(`dynamodb get: answered ${got.detail ?? 'nothing'}, not the item ${itemId} just put`);
  return wrong;
}

/**
 * Removes the run-scoped items probes left in a table (a probe stopped between its put and its delete).
 * One run's: its items' keys are known, so each is deleted by key (no Scan; DeleteItem of an absent
 * item succeeds, ALL_OLD says whether one was there). Every run's (`meshcheck cleanup`): a Scan of the
 * keys, as DynamoDB cannot filter a Scan by key prefix before reading.
 */
export async function sweepRunItems(
  clients: AwsClients,
  table: string,
  options: { runId?: string | undefined; placements: string[]; olderThanMs?: number | undefined },
): Promise<Swept[]> {
  const schema = await getKeySchema(clients, table);
  if (schema.partition.type === 'N') return [];
  const remove = async (key: Record<string, AttributeValue>, id: string, runId: string) => {
    const out = await clients.dynamodb.send(
      new DeleteItemCommand({ TableName: table, Key: key, ReturnValues: 'ALL_OLD' }),
    );
    return out.Attributes ? [{ kind: 'dynamodb-item', id: `${table}/${id}`, runId }] : [];
  };
  const swept: Swept[] = [];
  if (options.runId) {
    for (const placement of options.placements) {
      const key = toKey(runItemKey(schema, options.runId, placement));
      swept.push(...(await remove(key, runItemId(options.runId, placement), options.runId)));
    }
    return swept;
  }
  const keys = [schema.partition, ...(schema.sort ? [schema.sort] : [])];
  const names = { ...Object.fromEntries(keys.map((k, i) => [`#k${i}`, k.name])), '#at': 'meshcheckAt' };
  const pages = paginateScan(
    { client: clients.dynamodb },
    {
      TableName: table,
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const id = idOf(item[schema.partition.name]);
      if (!id?.startsWith('meshcheck-')) continue;
      const at = Number(item.meshcheckAt?.N ?? 0);
      if (options.olderThanMs && at && Date.now() - at < options.olderThanMs) continue;
      swept.push(
        ...(await remove(Object.fromEntries(keys.map((k) => [k.name, item[k.name]!])), id, runOf(id))),
      );
    }
  }
  return swept;
}

/** A key in the SDK's shape (binary as bytes). */
function toKey(key: Record<string, ScalarAttribute>): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(key).map(([k, v]) => [k, 'B' in v ? { B: Buffer.from(v.B, 'base64') } : v]),
  );
}

/** A string or binary partition key value as text. */
function idOf(v: AttributeValue | undefined): string | undefined {
  if (v?.S !== undefined) return v.S;
  return v?.B !== undefined ? Buffer.from(v.B).toString('utf8') : undefined;
}

/** The run id inside `meshcheck-<run id>-<placement>`, run ids being `mc-YYYYMMDD-hex` (helpers/run.ts). */
function runOf(id: string): string {
  return /^meshcheck-(mc-\d{8}-[0-9a-f]+)-/.exec(id)?.[1] ?? '';
}
