import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * A receipt processor as a lab nobody here wrote might have it: it names a
 * receipt after the fruit and the queue's message id (which the suite
 * cannot know) and writes JSON with its own field names. RECEIPT_STYLE
 * makes it misbehave the ways a test needs: `none` writes no receipt,
 * `wrong-quantity` writes a text receipt under the topic's message id
 * whose quantity is one too many while the right digits appear elsewhere.
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
  const style = process.env.RECEIPT_STYLE ?? 'fruit-and-queue-id';
  for (const record of event.Records ?? []) {
    const envelope = JSON.parse(record.body) as { MessageId: string; Message: string };
    const order = JSON.parse(envelope.Message) as Order;
    if (style === 'none') continue;
    const wrong = style === 'wrong-quantity';
    await s3.send(
      new PutObjectCommand({
        Bucket: process.env.RECEIPT_BUCKET,
        Key: wrong ? `receipts/${envelope.MessageId}.txt` : `receipts/${order.name}-${record.messageId}.json`,
        Body: wrong ? wrongReceipt(envelope.MessageId, order) : receipt(order),
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: process.env.RECEIPT_KEY_ARN,
      }),
    );
  }
}

function receipt(order: Order): string {
  return JSON.stringify({
    fruit: order.name,
    qty: order.quantity,
    unit_price: order.price,
    total: order.quantity * order.price,
    ...(order.reference && { reference: order.reference }),
  });
}

function wrongReceipt(messageId: string, order: Order): string {
  return [
    `Receipt ${messageId}`,
    `Item: ${order.name}`,
    `Quantity: ${order.quantity + 1}`,
    `Price: ${order.price}`,
    `Total: ${order.quantity * order.price}`,
    `Note: ${order.quantity} in the first box`,
    '',
  ].join('\n');
}
