import type { Twin } from '../twin.ts';
import type { RequestContext } from './context.ts';
import type { AwsError } from './errors.ts';

export type ProtocolName = 'ec2Query' | 'awsQuery' | 'awsJson1_0' | 'awsJson1_1' | 'restJson1' | 'restXml';

/** What an operation acts on, for the authorize step of the chain. */
export interface AuthorizationRequest {
  /** e.g. `s3:GetObject` (not always `prefix:Operation`: ListObjectsV2 is `s3:ListBucket`). */
  action: string;
  /** ARN of the resource, or `*` for actions without resource-level permissions. */
  resource: string;
  /** The resource's own policy (bucket, key, topic, queue, function), if it has one. */
  resourcePolicy?: string | undefined;
  /** Account that owns the resource; a cross-account call needs both sides to allow. */
  resourceAccount?: string | undefined;
  /**
   * True where the resource policy alone decides who may use IAM at all:
   * KMS key policies and role trust policies. Without a statement allowing
   * the principal (or delegating to its account), IAM policies grant nothing.
   */
  resourcePolicyRequired?: boolean;
  /** Service-specific condition keys (`s3:x-amz-server-side-encryption`, `kms:ViaService`, …). */
  context?: Record<string, string | string[] | boolean | number | undefined>;
}

// biome-ignore lint/suspicious/noExplicitAny: handler inputs are the SDK's request types, narrowed in each handler's own signature
export type Handler<M> = (model: M, input: any, ctx: RequestContext<M>) => unknown;

/**
 * A service of the twin: its wire binding (protocol + the SDK module whose
 * schemas drive parsing and serialization) and its handlers keyed by the
 * exact AWS operation name, so a search for `SendMessage` lands here.
 */
export interface ServiceDefinition<M> {
  /** SigV4 signing name, as found in the credential scope (`ec2`, `logs`, `s3`). */
  signingName: string;
  /** IAM action prefix (`ec2`, `logs`, `s3`). */
  iamPrefix: string;
  protocol: ProtocolName;
  /** SQS also serves legacy awsQuery clients such as AWS CLI 2.9. */
  alsoSpeaks?: ProtocolName[];
  /** The SDK client module (e.g. `import * as sdk from '@aws-sdk/client-ec2'`): source of `Op$` schemas. */
  sdk: Record<string, unknown>;
  /** Smithy namespace of the service (`com.amazonaws.ec2`). */
  namespace: string;
  /** XML namespace for query and restXml responses. */
  xmlNamespace?: string;
  /** API version for query protocols (`2016-11-15`). */
  version?: string;
  /** `X-Amz-Target` prefix for awsJson (`TrentService`). */
  targetPrefix?: string;
  /** IAM and S3's bucket namespace are global; their models live in one region. */
  global?: boolean;
  createModel(twin: Twin, accountId: string, region: string): M;
  handlers: Record<string, Handler<M>>;
  /**
   * The authorization the chain checks before dispatch. Return `undefined` for
   * the default (`prefix:Operation` on `*`), or `'in-handler'` where the
   * handler must read state first (a key id inside a ciphertext blob).
   */
  authorization?(
    operation: string,
    input: Record<string, unknown>,
    ctx: RequestContext,
  ): AuthorizationRequest | 'in-handler' | undefined;
  /** The service's own access-denied error. */
  accessDenied(message: string): AwsError;
  /** What CloudTrail records of a call, where the default (input in lowerCamelCase, no resources) is not enough. */
  audit?(
    operation: string,
    input: Record<string, unknown>,
    output: unknown,
    ctx: RequestContext,
  ): {
    requestParameters?: Record<string, unknown> | null;
    responseElements?: Record<string, unknown> | null;
    resources?: { type: string; arn: string }[];
    recipientAccountId?: string;
  };
  /** Operations recorded as CloudTrail data events, not management events. */
  dataEvents?: ReadonlySet<string>;
}

export function defineService<M>(def: ServiceDefinition<M>): ServiceDefinition<M> {
  return def;
}
