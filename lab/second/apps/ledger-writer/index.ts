import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * The second lab's ledger writer: for each SQS record (an SNS envelope
 * around an order), write a JSON ledger entry under `ledger/` in the
 * ledger bucket, encrypted with the ledger key. Deployed by the lab's
 * operator with CreateFunction like any function; nothing in the twin knows it.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const s3 = new S3Client({});

export async function handler(event: { Records?: { body: string }[] }): Promise<{ written: number }> {
  const records = event.Records ?? [];
  for (const record of records) {
    const envelope = JSON.parse(record.body) as { MessageId: string; Message: string; Timestamp: string };
    const order = JSON.parse(envelope.Message) as { name: string; quantity: number; price: number };
    const entry = {
      entry: envelope.MessageId,
      fruit: order.name,
      quantity: order.quantity,
      unitPrice: order.price,
      total: order.quantity * order.price,
      bookedAt: envelope.Timestamp,
    };
    await s3.send(
      new PutObjectCommand({
        Bucket: process.env.LEDGER_BUCKET,
        Key: `ledger/${envelope.MessageId}.json`,
        Body: JSON.stringify(entry),
        ContentType: 'application/json',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: process.env.LEDGER_KEY_ARN,
      }),
    );
  }
  return { written: records.length };
}
