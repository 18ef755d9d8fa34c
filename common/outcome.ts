/**
 * What one attempt to reach something came to, whoever made it: a ping or a
 * TCP connect from a lab host (helpers/ping.ts), or a call the reach probe
 * made from inside the lab (probes/s3-reach/). Evidence, never a verdict:
 * the check compares it with what targets expect. In common/ because the
 * probe bundle imports it and must not pull in helpers/.
 *
 * - `ok`: it answered (a reply, a connection, a service response);
 * - `denied`: something answered no (an AWS denial, a host refusing the port);
 * - `timeout`: nothing answered within the bound (no path);
 * - `dns-failure`: the name did not resolve;
 * - `error`: it ran, and proved nothing either way.
 */
export const OUTCOMES = ['ok', 'denied', 'timeout', 'dns-failure', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Whether a value read back (a probe's JSON report) is an outcome. */
export function isOutcome(value: unknown): value is Outcome {
  return (OUTCOMES as readonly unknown[]).includes(value);
}

/** One attempt and its outcome, as the one-line summary shows it. */
export interface Reached {
  /** What was tried: `app-a → app-b (ICMP)`, `s3 list`. */
  what: string;
  outcome: Outcome;
  /** The reading behind the outcome: `3/3 replies`, `AccessDenied`, `refused`. */
  detail?: string | undefined;
  latencyMs?: number | undefined;
}

/**
 * The one-line summary of an attempt, for evidence and failure messages.
 *
 * @example outcomeLine({ what: 's3 get', outcome: 'denied', detail: 'AccessDenied', latencyMs: 12 }) // 's3 get: denied (AccessDenied) in 12 ms'
 */
export function outcomeLine(r: Reached): string {
  const detail = r.detail ? ` (${r.detail})` : '';
  const latency = r.latencyMs === undefined ? '' : ` in ${r.latencyMs} ms`;
  return `${r.what}: ${r.outcome}${detail}${latency}`;
}
