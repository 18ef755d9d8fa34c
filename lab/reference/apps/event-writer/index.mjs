import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * EventWriterLambda, the Node.js twin of seed 000's Python handler
 * (lambda_function.py beside this file, PHASE 8): each invocation puts one
 * AppEvents item and uploads the same item as `logs/event-<EventID>.json` to
 * the bucket BUCKET_NAME names. It uses only the SDK clients the Lambda
 * Node.js runtime ships (client-dynamodb, client-s3), so the item is written
 * in DynamoDB's attribute-value form as the low-level client requires.
 * Nothing in the twin knows this function; it is deployed with CreateFunction.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Environment variables
const S3_BUCKET = process.env.BUCKET_NAME;
const DYNAMO_TABLE = 'AppEvents';

// Clients
const s3 = new S3Client({});
const dynamodb = new DynamoDBClient({});

/** Python's `str(datetime.utcnow().timestamp())`: epoch seconds as a float's repr ("1765112936.5", "1765112936.0"). */
export function epochSecondsString(ms) {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? seconds.toFixed(1) : String(seconds);
}

/** Python's `json.dumps` of a flat object of strings: `{"a": "b", "c": "d"}`, separators ", " and ": ". */
export function pythonJsonDumps(item) {
  return `{${Object.entries(item)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')}}`;
}

export async function handler(_event, _context) {
  const now = Date.now();
  // DynamoDB PutItem. The seed's Timestamp is datetime.utcnow().isoformat(), UTC without an offset;
  // this one says so with its `Z` (ISO 8601), which a reader of either parses as UTC.
  const item = {
    EventID: epochSecondsString(now),
    Timestamp: new Date(now).toISOString(),
    Message: 'Test Event',
  };
  await dynamodb.send(
    new PutItemCommand({
      TableName: DYNAMO_TABLE,
      Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, { S: v }])),
    }),
  );

  // S3 Upload
  await s3.send(
    new PutObjectCommand({
      Bucket: S3_BUCKET,
      Key: `logs/event-${item.EventID}.json`,
      Body: pythonJsonDumps(item),
    }),
  );

  return {
    statusCode: 200,
    body: JSON.stringify('Event written to DynamoDB and uploaded to S3!'),
  };
}
