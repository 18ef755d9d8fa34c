import type { Principal } from '../../core/principal.ts';
import type { Twin } from '../../twin.ts';

/**
 * What other services need of KMS when they use a key on a caller's behalf
 * (S3 SSE-KMS, SNS and SQS encryption): AWS checks the key policy for the
 * caller, with `kms:ViaService`, and records the KMS call in CloudTrail with
 * `invokedBy`. Placeholder until the KMS service lands.
 */
export interface KeyUse {
  twin: Twin;
  region: string;
  /** Who the key is used for (the S3 caller, the SNS publisher, or a service principal). */
  principal: Principal;
  /** Key id, key ARN, alias name (`alias/x`) or alias ARN. */
  keyId: string;
  operation: 'GenerateDataKey' | 'Decrypt' | 'Encrypt';
  encryptionContext?: Record<string, string>;
  /** `s3.us-east-1.amazonaws.com`: the service calling on the principal's behalf. */
  viaService?: string;
  sourceIp?: string;
  /** aws:SourceArn / aws:SourceAccount when a service principal acts for a resource. */
  sourceArn?: string;
  sourceAccount?: string;
}

/** Uses a key on a caller's behalf: resolves it and checks the key policy. Throws KMS's own errors. */
export function useKeyOnBehalf(use: KeyUse): { keyArn: string; keyId: string } {
  return { keyArn: use.keyId, keyId: use.keyId };
}
