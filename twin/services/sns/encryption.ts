import type { RequestContext } from '../../core/context.ts';
import { useKeyOnBehalf } from '../kms/lookups.ts';
import { fromKmsError } from './errors.ts';
import type { TopicState } from './model/state.ts';

/**
 * Publishing to an encrypted topic: "make sure that any publishers have the
 * kms:GenerateDataKey* and kms:Decrypt permissions for the AWS KMS key"
 * (SNS Developer Guide, "Key management", sns-key-management.html). SNS
 * calls KMS on the publisher's behalf, so `kms:ViaService` is
 * `sns.<region>.amazonaws.com`; a refusal fails the Publish with SNS's
 * KMS* error.
 */
export function checkPublisherKey(ctx: RequestContext, topic: TopicState): void {
  const keyId = topic.attributes.KmsMasterKeyId;
  if (!keyId) return;
  for (const operation of ['GenerateDataKey', 'Decrypt'] as const) {
    try {
      useKeyOnBehalf({
        twin: ctx.twin,
        region: topic.region,
        principal: ctx.principal,
        keyId,
        // An alias names a key of the topic's owner, whoever publishes.
        keyAccountId: topic.accountId,
        operation,
        // SNS's KMS calls carry the topic ARN as encryption context (as CloudTrail records them).
        encryptionContext: { 'aws:sns:topicArn': topic.arn },
        viaService: `sns.${topic.region}.amazonaws.com`,
        sourceIp: ctx.sourceIp,
        accessKeyId: ctx.accessKeyId,
      });
    } catch (error) {
      throw fromKmsError(error, ctx.twin.ids.uuid());
    }
  }
}
