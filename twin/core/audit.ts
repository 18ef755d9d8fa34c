import type { Principal } from './principal.ts';

/**
 * One API call as CloudTrail would record it. The server appends every call
 * it serves; models append calls AWS services make on a caller's behalf (S3
 * decrypting an SSE-KMS object, SNS encrypting a message). CloudTrail's model
 * turns these into event JSON and decides when LookupEvents may see them.
 */
export interface ApiCall {
  eventId: string;
  /** Epoch ms on the twin's clock. */
  time: number;
  /** `kms.amazonaws.com` */
  eventSource: string;
  eventName: string;
  region: string;
  /** The account whose resource was acted on (CloudTrail's recipientAccountId). */
  recipientAccountId: string;
  principal: Principal;
  accessKeyId: string | undefined;
  /** `sns.amazonaws.com` when a service called on the principal's behalf. */
  invokedBy?: string;
  sourceIp: string;
  userAgent: string;
  requestId: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  readOnly: boolean;
  /** CloudTrail management events are what LookupEvents returns; data events (S3 objects, Invoke) are not. */
  management: boolean;
  resources: { type: string; arn: string }[];
}
