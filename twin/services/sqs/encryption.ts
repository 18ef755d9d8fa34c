import type { Principal } from '../../core/principal.ts';
import type { Twin } from '../../twin.ts';
import { useKeyOnBehalf } from '../kms/lookups.ts';
import { fromKmsError } from './errors.ts';
import { kmsKeyOf } from './model/attributes.ts';
import type { QueueState } from './model/state.ts';

/**
 * SSE-KMS: SQS uses the queue's key on the caller's behalf. "The producer
 * must have the kms:GenerateDataKey and kms:Decrypt permissions" (the
 * Decrypt verifies the new data key), and "the consumer must have the
 * kms:Decrypt permission" (SQS Developer Guide, "Key management",
 * sqs-key-management.html). An AWS service sending to the queue (SNS)
 * needs the same two actions in the key policy for its service principal.
 */
export interface KeyCaller {
  principal: Principal;
  sourceIp?: string | undefined;
  /** The caller's access key, for CloudTrail's record of the KMS call. */
  accessKeyId?: string | undefined;
  /** For a service principal acting for a resource: aws:SourceArn / aws:SourceAccount. */
  sourceArn?: string;
  sourceAccount?: string;
}

function use(
  twin: Twin,
  queue: QueueState,
  caller: KeyCaller,
  operation: 'GenerateDataKey' | 'Decrypt',
): void {
  const keyId = kmsKeyOf(queue);
  if (!keyId) return;
  try {
    useKeyOnBehalf({
      twin,
      region: queue.region,
      principal: caller.principal,
      keyId,
      // An alias names a key of the queue's owner, whoever sends.
      keyAccountId: queue.accountId,
      operation,
      // SQS's KMS calls carry the queue ARN as encryption context (as CloudTrail records them).
      encryptionContext: { 'aws:sqs:arn': queue.arn },
      ...(caller.principal.kind !== 'service' && { viaService: `sqs.${queue.region}.amazonaws.com` }),
      ...(caller.sourceIp && { sourceIp: caller.sourceIp }),
      ...(caller.accessKeyId && { accessKeyId: caller.accessKeyId }),
      ...(caller.sourceArn && { sourceArn: caller.sourceArn }),
      ...(caller.sourceAccount && { sourceAccount: caller.sourceAccount }),
    });
  } catch (error) {
    throw fromKmsError(error);
  }
}

/** What a send to an SSE-KMS queue needs of its key; throws SQS's Kms* errors. */
export function checkProducerKey(twin: Twin, queue: QueueState, caller: KeyCaller): void {
  use(twin, queue, caller, 'GenerateDataKey');
  use(twin, queue, caller, 'Decrypt');
}

/** What a receive from an SSE-KMS queue needs of its key; throws SQS's Kms* errors. */
export function checkConsumerKey(twin: Twin, queue: QueueState, caller: KeyCaller): void {
  use(twin, queue, caller, 'Decrypt');
}
