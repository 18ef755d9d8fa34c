import type { Attempt, AttemptResult } from '../../probes/s3-reach/attempts.ts';
import { BlockedError, CannotTellError } from '../errors.ts';
import { attemptSummary } from '../probe.ts';

/**
 * How the live PrivateLink checks read the reach probe's answers: P9 (the
 * record resolves to the endpoint's addresses), P10 (a TCP connection to
 * it opens), P11 (outside the zone's VPCs it does not resolve — an absence,
 * proven only against this run's own resolution from a `reach` placement)
 * and P12 (a refused account cannot see the service — proven only once an
 * allowed consumer sees it). Each returns what deviates, one line each, or
 * throws CannotTellError / BlockedError; none decides by itself that an
 * absence is fine.
 */

/** The probe attempt names for a record: one lookup, one connection. */
export const attemptNames = (record: string) => ({ dns: `pl dns ${record}`, tcp: `pl tcp ${record}` });

/**
 * What a probe in a `reach` placement tries (a lookup of the record and a TCP connection to it on the
 * service port, side by side), or in an `unresolved` one (only the lookup).
 *
 * @example privateLinkAttempts('api.svc.internal', 443) // [{ kind: 'dns', … }, { kind: 'tcp', port: 443, … }]
 */
export function privateLinkAttempts(record: string, port?: number): Attempt[] {
  const names = attemptNames(record);
  const dns: Attempt = { name: names.dns, kind: 'dns', hostname: record };
  return port === undefined ? [dns] : [dns, { name: names.tcp, kind: 'tcp', host: record, port }];
}

/** Codes of a lookup that got an answer saying the name does not exist (getaddrinfo's EAI_NONAME/NXDOMAIN). */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA']);

/** A probe answer the probe itself could not settle, or one that says nothing about the name. */
function undecided(r: AttemptResult, what: string): CannotTellError {
  return new CannotTellError(
    `the probe could not tell whether ${what}: ${attemptSummary(r)}${r.unsettled ? ` after ${r.tries} tries` : ''}${r.message ? ` — ${r.message}` : ''}`,
  );
}

/**
 * P9: the lookup must answer, and only with addresses of the intended endpoint's network interfaces.
 * NXDOMAIN (or a resolver that does not answer) is a failure: the name does not resolve there.
 *
 * @example resolutionDeviations(dns, { endpointId: 'vpce-1', addresses: ['10.0.1.5'] }) // []
 */
export function resolutionDeviations(
  dns: AttemptResult,
  endpoint: { endpointId: string | undefined; addresses: string[] },
  where: string,
): string[] {
  if (dns.unsettled || dns.outcome === 'timeout' || dns.outcome === 'error' || dns.outcome === 'denied')
    throw undecided(dns, `the name resolves from ${where}`);
  if (dns.outcome === 'dns-failure')
    return [
      `does not resolve from ${where} (${NO_SUCH_NAME.has(dns.errorCode ?? '') ? `NXDOMAIN, ${dns.errorCode}` : `the resolver did not answer, ${dns.errorCode}`})`,
    ];
  const answered = dns.addresses ?? [];
  if (!answered.length) return [`resolves from ${where} to no address`];
  if (!endpoint.endpointId)
    return [`resolves to ${answered.join(', ')}, but there is no intended endpoint to match`];
  const foreign = answered.filter((a) => !endpoint.addresses.includes(a));
  return foreign.length
    ? [
        `resolves to ${foreign.join(', ')}, not addresses of ${endpoint.endpointId}'s network interfaces (${endpoint.addresses.join(', ') || 'none'})`,
      ]
    : [];
}

/**
 * P10: the TCP connection must open within the probe's bound. A connect that never completes is "no
 * path"; a refused one reached something that does not listen. When P9's lookup from the same probe
 * did not resolve, there is nothing to connect to: blocked by P9.
 *
 * @example connectionDeviations(tcp, dns, 'prod', 443) // []
 */
export function connectionDeviations(
  tcp: AttemptResult,
  dns: AttemptResult,
  where: string,
  port: number,
): string[] {
  if (dns.outcome !== 'ok' || !dns.addresses?.length)
    throw new BlockedError(`P9 ${where}`, `the name did not resolve from ${where} in this run`);
  // A probe older than the `tcp` attempt answers it `ok` without trying (a lab's deployed probe may be):
  // only the probe's own "connected to" says a connection opened.
  if (tcp.outcome === 'ok' && !tcp.detail?.startsWith('connected to '))
    throw new CannotTellError(
      `the probe answered ${tcp.name} without saying it connected (${tcp.detail ?? 'no detail'}): a probe older than TCP attempts? redeploy it`,
    );
  if (tcp.outcome === 'ok') return [];
  if (tcp.unsettled) throw undecided(tcp, `a connection opens from ${where}`);
  if (tcp.outcome === 'timeout')
    return [`no path from ${where} on port ${port}: the connection never opened (${attemptSummary(tcp)})`];
  if (tcp.outcome === 'error' && tcp.errorCode === 'ECONNREFUSED')
    return [`refused from ${where} on port ${port}: nothing accepts the connection (${attemptSummary(tcp)})`];
  throw undecided(tcp, `a connection opens from ${where}`);
}

/** What the `reach` placements' lookups showed in this run: P11's positive control. */
export interface ResolutionControl {
  placement: string;
  /** The lookup's answer, or why the placement's probe gave none. */
  dns: AttemptResult | { failed: string };
}

/**
 * P11: from outside the zone's VPCs the lookup must say the name does not exist; an answer fails at
 * once. The absence counts only once a `reach` placement's probe resolved the same name in this run
 * (else the name may not exist anywhere, or the probes may resolve nothing): without a reach
 * placement the suite cannot tell; with reach placements none of which resolved it, the check is
 * blocked by P9.
 *
 * @example unresolvedDeviations(dns, [{ placement: 'prod', dns: resolved }], 'dev') // []
 */
export function unresolvedDeviations(
  dns: AttemptResult,
  controls: ResolutionControl[],
  where: string,
): string[] {
  // An answer is evidence by itself; only the absence of one needs the control.
  if (dns.outcome === 'ok')
    return [`resolves from ${where} to ${(dns.addresses ?? []).join(', ') || 'no address'}`];
  if (!controls.length)
    throw new CannotTellError(
      `no reach placement in targets resolves the name in this run, so its absence from ${where} proves nothing`,
    );
  const resolvedBy = controls.find(
    (c) => 'outcome' in c.dns && c.dns.outcome === 'ok' && !!c.dns.addresses?.length,
  );
  if (!resolvedBy)
    throw new BlockedError(
      `P9 ${controls.map((c) => c.placement).join(', ')}`,
      `the name did not resolve from any reach placement in this run (${controls.map((c) => `${c.placement}: ${'outcome' in c.dns ? attemptSummary(c.dns) : c.dns.failed}`).join('; ')})`,
    );
  if (dns.outcome === 'dns-failure' && NO_SUCH_NAME.has(dns.errorCode ?? '')) return [];
  throw undecided(dns, `the name resolves from ${where}`);
}

/**
 * P12: the refused account must not see the service; seeing it fails at once. Not seeing it counts
 * only once the allowed consumer's runner saw it listed in this run (else the name may be wrong, or nobody sees it).
 *
 * @example visibilityDeviations({ account: 'other', seen: false }, { account: 'lab', seen: true }, svc) // []
 */
export function visibilityDeviations(
  refused: { account: string; seen: boolean },
  control: { account: string; seen: boolean } | { account: string; failed: string },
  serviceName: string,
): string[] {
  // Being seen is evidence by itself; only not being seen needs the control.
  if (refused.seen) return [`${refused.account} sees ${serviceName} and could request an endpoint to it`];
  if ('failed' in control)
    throw new CannotTellError(
      `the allowed consumer ${control.account} could not look for ${serviceName} in this run (${control.failed}), so its absence from ${refused.account} proves nothing`,
    );
  if (!control.seen)
    throw new CannotTellError(
      `the allowed consumer ${control.account} does not see ${serviceName} either in this run, so its absence from ${refused.account} proves nothing`,
    );
  return [];
}
