import { randomBytes } from 'node:crypto';

/**
 * The lines the Lambda platform itself writes around an invocation, and
 * the names it gives a function's log stream (Lambda Developer Guide,
 * "Log and monitor Node.js Lambda functions": `START RequestId: … Version:
 * $LATEST`, `END RequestId: …`, `REPORT RequestId: … Duration: … ms Billed
 * Duration: … ms Memory Size: … MB Max Memory Used: … MB Init Duration: …
 * ms`; streams `2019/06/07/[$LATEST]e6f4a0c4241adcd70c262d34c0bbc85c`).
 */
export interface LogEvent {
  timestamp: number;
  message: string;
}

/** `YYYY/MM/DD/[$LATEST]<32 hex>`: one stream per execution environment. */
export function logStreamName(now: number, version = '$LATEST'): string {
  const d = new Date(now);
  const date = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  return `${date}/[${version}]${randomBytes(16).toString('hex')}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function startLine(requestId: string, version = '$LATEST'): string {
  return `START RequestId: ${requestId} Version: ${version}\n`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
}

export interface Report {
  requestId: string;
  durationMs: number;
  memorySize: number;
  maxMemoryUsedMb: number;
  /** Set on a cold start. */
  initDurationMs?: number | undefined;
  status?: 'timeout' | 'error' | undefined;
  errorType?: string | undefined;
}

/**
 * The REPORT line. Billing is per millisecond, and since August 2025 the
 * init phase of on-demand functions is billed too, so a cold start's
 * Billed Duration includes its Init Duration (AWS Compute Blog, "AWS
 * Lambda standardizes billing for INIT Phase").
 */
export function reportLine(r: Report): string {
  const billed = Math.ceil(r.durationMs + (r.initDurationMs ?? 0));
  const parts = [
    `REPORT RequestId: ${r.requestId}`,
    `Duration: ${r.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billed} ms`,
    `Memory Size: ${r.memorySize} MB`,
    `Max Memory Used: ${Math.min(r.maxMemoryUsedMb, r.memorySize)} MB`,
  ];
  if (r.initDurationMs !== undefined) parts.push(`Init Duration: ${r.initDurationMs.toFixed(2)} ms`);
  if (r.status) parts.push(`Status: ${r.status}`);
  if (r.errorType) parts.push(`Error Type: ${r.errorType}`);
  return `${parts.join('\t')}\t\n`;
}

/** `2024-01-01T00:00:03.012Z <id> Task timed out after 3.01 seconds`, the log line and the error message alike. */
export function timedOutText(now: number, requestId: string, elapsedMs: number): string {
  return `${new Date(now).toISOString()} ${requestId} Task timed out after ${(elapsedMs / 1000).toFixed(2)} seconds`;
}

/** "LogResult: The last 4 KB of the execution log, which is base64-encoded" (API reference, Invoke). */
export function logTail(events: readonly LogEvent[]): string {
  const text = Buffer.from(events.map((e) => e.message).join(''), 'utf8');
  return text.subarray(Math.max(0, text.length - 4096)).toString('base64');
}
