/**
 * The one error type handlers throw. `code` is the error's shape name in the
 * service model (e.g. `InvalidVpcID.NotFound`, `QueueDoesNotExist`); the
 * protocol layer turns it into the wire form (awsQuery wire codes such as
 * `AWS.SimpleQueueService.NonExistentQueue` come from the SDK's schema).
 *
 * User errors (4xx) and twin faults (5xx) are kept apart by `status`, as
 * miniflare keeps user errors and system errors apart.
 */
export class AwsError extends Error {
  readonly code: string;
  /** HTTP status; when absent the protocol layer reads the model's `httpError` trait, else 400. */
  readonly status: number | undefined;
  /** Extra members of the error shape (e.g. S3 `<Key>`, `<BucketName>`). */
  readonly members: Record<string, string>;
  /** Extra response headers (e.g. `x-amz-retry-after` on throttling). */
  readonly headers: Record<string, string>;

  constructor(
    code: string,
    message: string,
    options: { status?: number; members?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = options.status;
    this.members = options.members ?? {};
    this.headers = options.headers ?? {};
  }
}

/** A request the twin cannot route or parse at all, before any service sees it. */
export class UnknownOperationError extends AwsError {
  constructor(detail: string) {
    super('UnknownOperationException', detail, { status: 400 });
  }
}

/**
 * A fault that is the twin's own bug, rendered as a protocol-shaped 500
 * (`InternalFailure`, AWS's common server error) whose message says plainly
 * that the twin, not AWS, failed, so nobody mistakes it for AWS behaviour.
 * Input AWS would refuse never ends here: the gateway refuses it first.
 */
export class InternalFailure extends AwsError {
  constructor(cause: unknown, requestId?: string) {
    const detail = (cause instanceof Error ? cause.message : String(cause)).slice(0, 300);
    super(
      'InternalFailure',
      `Internal error in the twin (a bug in the twin, not an AWS answer${requestId ? `; request ${requestId}` : ''}): ${detail}`,
      { status: 500 },
    );
  }
}
