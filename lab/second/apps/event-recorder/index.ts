import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * The second lab's event recorder, its take on seed 000's event writer: each
 * invocation books one event in the events table — entryId (string) and
 * bookedAt (epoch seconds, a number: the table's numeric sort key) — and
 * uploads the same event as `events/<entryId>.json` to the events bucket,
 * whose default encryption (SSE-KMS) encrypts it. The invoking event's
 * `note` is kept. Deployed with CreateFunction like any function.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const dynamodb = new DynamoDBClient({});
const s3 = new S3Client({});

export async function handler(
  event: { note?: unknown },
  context: { awsRequestId: string },
): Promise<{ booked: string }> {
  const entry = {
    entryId: `evt-${context.awsRequestId}`,
    bookedAt: Math.floor(Date.now() / 1000),
    note: typeof event?.note === 'string' ? event.note : 'no note',
  };
  await dynamodb.send(
    new PutItemCommand({
      TableName: process.env.EVENTS_TABLE,
      Item: {
        entryId: { S: entry.entryId },
        bookedAt: { N: String(entry.bookedAt) },
        note: { S: entry.note },
      },
      // An entry is booked once: a second write under the same keys is a mistake, not an update.
      ConditionExpression: 'attribute_not_exists(entryId)',
    }),
  );
  await s3.send(
    new PutObjectCommand({
      Bucket: process.env.EVENTS_BUCKET,
      Key: `events/${entry.entryId}.json`,
      Body: JSON.stringify(entry),
      ContentType: 'application/json',
    }),
  );
  console.log(`booked ${entry.entryId} at ${entry.bookedAt}`);
  return { booked: entry.entryId };
}
