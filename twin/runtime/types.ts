import type { CallerPosition, Credential, Principal } from '../core/principal.ts';
import type { LogEvent } from './log-lines.ts';

/**
 * What the runtime needs to run a function: everything the Lambda service
 * knows of one version of it. The runtime knows no Lambda model.
 */
export interface FunctionSpec {
  /** Warm environments are reused only for the same key (function ARN, code and configuration revision). */
  key: string;
  functionArn: string;
  functionName: string;
  accountId: string;
  region: string;
  /** `file.export`, as CreateFunction's Handler. */
  handler: string;
  runtime: string;
  memorySize: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  code: { zip: Uint8Array; sha256: string };
  logGroupName: string;
  /** One of the function's Hyperplane ENIs; undefined outside a VPC. */
  position: CallerPosition | undefined;
  /** Mints the execution role's session for a new environment. */
  credentials(): Credential;
}

export interface RunRequest {
  requestId: string;
  /** The event, as JSON text. */
  payload: string;
  clientContext?: string | undefined;
}

/** Node.js runtimes answer `trace`; Python runtimes `requestId` and `stackTrace` (each runtime's own shape). */
export interface ErrorPayload {
  errorType?: string;
  errorMessage: string;
  trace?: string[];
  requestId?: string;
  stackTrace?: string[];
}

export interface RunResult {
  requestId: string;
  /** The response body: the handler's result as JSON, or the error payload. */
  payload: Buffer;
  functionError?: 'Unhandled';
  /** Everything the invocation wrote, init lines (on a cold start) through REPORT. */
  logEvents: LogEvent[];
  logStreamName: string;
  coldStart: boolean;
  durationMs: number;
  initDurationMs?: number;
  timedOut: boolean;
  /** The execution role's session the environment runs as (log delivery is judged as it). */
  principal: Principal;
}

/** No execution environment is free and the concurrency limit is reached (TooManyRequestsException). */
export class ConcurrencyLimitError extends Error {
  constructor(readonly limit: number) {
    super(`Rate Exceeded. The twin runs at most ${limit} function invocations at once.`);
  }
}

/** A Python function, and no local python3 with boto3 to run it (python/interpreter.ts). */
export class PythonMissingError extends Error {}
