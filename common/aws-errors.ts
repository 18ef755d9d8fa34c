/**
 * The one table of AWS (and Node socket) error names and codes, by what
 * they mean. helpers/errors.ts classifies the suite's own calls with it and
 * the reach probe (probes/s3-reach/classify.ts) its attempts, so the two
 * can never disagree on what a denial is. It lives in common/ because the
 * probe is bundled by esbuild into a Lambda zip: this file imports nothing,
 * so the bundle gains no SDK and no helper from it.
 *
 * Matching is on the error's `name` (the SDK's exception class) and on its
 * `Code` / `code` (the wire code, or Node's socket code); never on message
 * text. A service that speaks the query protocol may name one error twice:
 * its SDK class (`KmsAccessDenied`) and its wire code
 * (`KMS.AccessDeniedException`); the table lists both.
 */

/** What an error name or code says happened. */
export type ErrorMeaning = 'denied' | 'credentials' | 'throttled' | 'timeout' | 'connection' | 'dns-failure';

const TABLE: Record<ErrorMeaning, readonly string[]> = {
  denied: [
    'AccessDenied',
    'AccessDeniedException',
    'UnauthorizedOperation',
    'AuthorizationError',
    'AuthorizationErrorException',
    'Forbidden',
    // A KMS refusal as another service reports it (the caller may not use the key):
    // SQS: class KmsAccessDenied, wire code KMS.AccessDeniedException ("An error occurred
    //   (KMS.AccessDeniedException) when calling the SendMessage operation", AWS re:Post
    //   "sqs-accessdenied-errors"; the SDK's schema: awsQueryError KMS.AccessDeniedException).
    'KmsAccessDenied',
    'KMS.AccessDeniedException',
    // SNS Publish: class KMSAccessDeniedException, wire code KMSAccessDenied (SNS API Reference,
    //   Publish errors); Lambda and Kinesis: KMSAccessDeniedException; Step Functions:
    //   KmsAccessDeniedException. KMS's own API answers AccessDeniedException.
    'KMSAccessDeniedException',
    'KMSAccessDenied',
    'KmsAccessDeniedException',
  ],
  credentials: [
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'ExpiredToken',
    'ExpiredTokenException',
    'AuthFailure',
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'InvalidSignatureException',
    'CredentialsProviderError',
    'MissingAuthenticationTokenException',
  ],
  // The SDK's own throttling list (twin-protocols.md §3).
  throttled: [
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'RequestThrottledException',
    'TooManyRequestsException',
    'ProvisionedThroughputExceededException',
    'TransactionInProgressException',
    'RequestLimitExceeded',
    'BandwidthLimitExceeded',
    'LimitExceededException',
    'RequestThrottled',
    'SlowDown',
    'PriorRequestNotComplete',
    'EC2ThrottledException',
  ],
  // The SDK's and Node's names for a call that ran out of time.
  timeout: [
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
    'AbortError',
    'ConnectTimeoutError',
    'ETIMEDOUT',
    'ESOCKETTIMEDOUT',
  ],
  // A connection that was refused or dropped: an answer from nobody, not from the service.
  connection: ['ECONNRESET', 'ECONNREFUSED'],
  'dns-failure': ['ENOTFOUND', 'EAI_AGAIN', 'ENODATA'],
};

const MEANING = new Map<string, ErrorMeaning>(
  (Object.entries(TABLE) as [ErrorMeaning, readonly string[]][]).flatMap(([meaning, names]) =>
    names.map((name) => [name, meaning] as const),
  ),
);

/** The parts of a thrown error that classification reads. */
export interface ErrorFacts {
  name?: string;
  Code?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/**
 * What the table says of an error, by its name first, then its code; or
 * undefined when neither is in the table.
 *
 * @example meaningOf({ name: 'KmsAccessDenied', Code: 'KMS.AccessDeniedException' }) // 'denied'
 */
export function meaningOf(error: unknown): ErrorMeaning | undefined {
  const e = (error ?? {}) as ErrorFacts;
  return MEANING.get(e.name ?? '') ?? MEANING.get(e.Code ?? e.code ?? '');
}

/** The names and codes the table gives one meaning (for tests and documentation). */
export function namesMeaning(meaning: ErrorMeaning): readonly string[] {
  return TABLE[meaning];
}
