import { GetObjectCommand, HeadObjectCommand, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { AwsClients } from './clients.ts';
import { cannotTell, classify, reading } from './errors.ts';
import { eventually } from './eventually.ts';

/**
 * The fruit pipeline seen from outside: publish an order to the topic, wait
 * for the receipt the processor writes, and try to read it as someone.
 */
export interface Order {
  name: string;
  quantity: number;
  price: number;
}

export interface Published {
  order: Order;
  messageId: string;
  publishedAt: number;
}

/** Publishes an order carrying the run id, as the write-up's console step does. */
export async function publishOrder(
  clients: AwsClients,
  topicArn: string,
  order: Order,
  runId: string,
): Promise<Published> {
  const publishedAt = Date.now();
  const { MessageId } = await reading(`publish the ${order.name} order`, () =>
    clients.sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ ...order, reference: runId }) }),
    ),
  );
  return { order, messageId: MessageId!, publishedAt };
}

export interface Receipt {
  key: string;
  serverSideEncryption?: string;
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  /** Milliseconds from publishing to the receipt being there. */
  afterMs: number;
}

/** The receipt of a published order, waited for within `timeoutMs` (HeadObject: needs no decrypt). */
export async function waitForReceipt(
  clients: AwsClients,
  bucket: string,
  key: string,
  published: Published,
  timeoutMs: number,
): Promise<Receipt> {
  const head = await eventually<HeadObjectCommandOutput | undefined>(
    `the receipt for ${published.order.name} (s3://${bucket}/${key})`,
    async () => {
      try {
        return await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (classify(error) === 'not-found') return undefined;
        throw cannotTell(`look for s3://${bucket}/${key}`, error);
      }
    },
    {
      timeoutMs,
      minIntervalMs: 250,
      maxIntervalMs: 5_000,
      show: () => 'no object yet',
      reproduce: `aws s3api head-object --bucket ${bucket} --key ${key}`,
    },
  );
  return {
    key,
    serverSideEncryption: head!.ServerSideEncryption,
    kmsKeyId: head!.SSEKMSKeyId,
    bucketKeyEnabled: head!.BucketKeyEnabled,
    afterMs: Date.now() - published.publishedAt,
  };
}

export type ReadOutcome =
  | { outcome: 'ok'; body: string }
  | { outcome: 'denied'; code: string; message: string };

/** Tries to read an object; a denial is a valid answer, anything else unreadable is "cannot tell". */
export async function tryReading(
  clients: AwsClients,
  bucket: string,
  key: string,
  as: string,
): Promise<ReadOutcome> {
  try {
    const out = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { outcome: 'ok', body: await out.Body!.transformToString() };
  } catch (error) {
    if (classify(error) === 'denied')
      return { outcome: 'denied', code: (error as Error).name, message: (error as Error).message };
    throw cannotTell(`read s3://${bucket}/${key} as ${as}`, error);
  }
}
