import type { Outcome } from '../../common/outcome.ts';

/**
 * What the probe is asked to try, and what it reports back. Shared by the
 * probe (which runs inside the lab) and the suite (which reads its report).
 * The probe never decides pass or fail.
 */
export type Attempt = (
  | {
      name: string;
      kind: 's3';
      operation: 'ListObjectsV2' | 'PutObject' | 'GetObject' | 'DeleteObject';
      bucket: string;
      key?: string;
      body?: string;
      region?: string;
    }
  | { name: string; kind: 'sts' }
  /**
   * DynamoDB, through whatever path the VPC has (a gateway endpoint, or none): ListTables (the default),
   * or a put, get or delete of one item of `table` (`item` holds the whole item to put, or its key).
   */
  | {
      name: string;
      kind: 'dynamodb';
      operation?: 'ListTables' | 'PutItem' | 'GetItem' | 'DeleteItem';
      table?: string;
      item?: Record<string, ScalarAttribute>;
    }
  /** A TCP connection to a host on the internet (port 443): reachable or not. */
  | { name: string; kind: 'internet'; host: string; port?: number }
  /**
   * A TCP connection to a named host on a port, resolved from where the probe sits: a private service's
   * name (a PrivateLink record) is not "the internet", and its port is the service's, never a default.
   */
  | { name: string; kind: 'tcp'; host: string; port: number }
  | { name: string; kind: 'dns'; hostname: string }
) & {
  /**
   * Attempts in one lane run in order (put, then get, then delete); lanes run
   * side by side, so a probe with no path waits one timeout per lane step,
   * not one per attempt. Each attempt is its own lane by default.
   */
  lane?: string;
};

/**
 * An item attribute in DynamoDB's JSON (`{ "S": "…" }`); a binary value as base64, which is how the
 * low-level API carries it on the wire (DynamoDB API Reference, AttributeValue: "B — Binary, base64-encoded").
 */
export type ScalarAttribute = { S: string } | { N: string } | { B: string };

export interface AttemptResult {
  name: string;
  kind: Attempt['kind'];
  outcome: Outcome;
  /** The AWS error code or Node error code behind a non-ok outcome. */
  errorCode?: string;
  message?: string;
  latencyMs: number;
  /**
   * Whether a TCP connection to the service ever opened, and how long the
   * last one took: no connection means no path; a connection with a late
   * answer means a slow service.
   */
  connected?: boolean;
  connectMs?: number;
  /** Tries made (a throttled, failed or slow answer is tried again; a connect that never opens is not). */
  tries?: number;
  /** The tries ran out on answers worth retrying (slow, throttled, 5xx): the probe could not tell. */
  unsettled?: boolean;
  /** DNS answers, for `dns` attempts. */
  addresses?: string[];
  /** What came back, for reads (an object's body, a key count). */
  detail?: string;
}

export interface ProbeEvent {
  attempts: Attempt[];
  /** How long a TCP connect may take before it counts as no path (a SYN into a VPC with no route hangs). */
  timeoutMs?: number;
  /** How long an open connection may wait for its answer on the first try; doubled on each retry. */
  answerTimeoutMs?: number;
}

export interface ProbeReport {
  probe: 'meshcheck-s3-reach';
  region: string | undefined;
  results: AttemptResult[];
}
