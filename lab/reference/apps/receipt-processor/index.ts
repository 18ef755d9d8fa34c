import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * The lab's receipt processor (the data-protection write-up's Lambda): for
 * each SQS record, read the order SNS delivered and write a text receipt to
 * the receipt bucket, encrypted with the receipt key, named after the SNS
 * message id. It is an ordinary function; the twin runs it as any other.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const s3 = new S3Client({});

interface Order {
  name: string;
  quantity: number;
  price: number;
  reference?: string;
}

export async function handler(event: { Records?: { body: string; messageId: string }[] }): Promise<void> {
  for (const record of event.Records ?? []) {
    const envelope = JSON.parse(record.body) as { Type?: string; MessageId?: string; Message?: string };
    const messageId = envelope.Type === 'Notification' ? envelope.MessageId! : record.messageId;
    const order = JSON.parse(envelope.Type === 'Notification' ? envelope.Message! : record.body) as Order;
    const key = `receipts/${messageId}.txt`;
    await s3.send(
      new PutObjectCommand({
        Bucket: process.env.RECEIPT_BUCKET,
        Key: key,
        Body: receipt(messageId, order),
        ContentType: 'text/plain',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: process.env.RECEIPT_KEY_ARN,
      }),
    );
    console.log(`receipt for ${order.quantity} × ${order.name} written to ${key}`);
  }
}

function receipt(messageId: string, order: Order): string {
  return [
    `Receipt ${messageId}`,
    `Item: ${order.name}`,
    `Quantity: ${order.quantity}`,
    `Price: ${order.price}`,
    `Total: ${order.quantity * order.price}`,
    ...(order.reference ? [`Reference: ${order.reference}`] : []),
    '',
  ].join('\n');
}
