import { describe, expect, test } from 'vitest';
import { BlockedError, CannotTellError } from '../../../../helpers/errors.ts';
import {
  attemptNames,
  connectionDeviations,
  privateLinkAttempts,
  resolutionDeviations,
  unresolvedDeviations,
  visibilityDeviations,
} from '../../../../helpers/privatelink/live.ts';
import type { AttemptResult } from '../../../../probes/s3-reach/attempts.ts';

const record = 'api.svc.internal';
const names = attemptNames(record);
const resolved = (...addresses: string[]): AttemptResult => ({
  name: names.dns,
  kind: 'dns',
  outcome: 'ok',
  latencyMs: 3,
  addresses,
});
const nxdomain: AttemptResult = {
  name: names.dns,
  kind: 'dns',
  outcome: 'dns-failure',
  errorCode: 'ENOTFOUND',
  latencyMs: 3,
};
const servfail: AttemptResult = { ...nxdomain, errorCode: 'EAI_AGAIN' };
const tcp = (over: Partial<AttemptResult>): AttemptResult => ({
  name: names.tcp,
  kind: 'tcp',
  outcome: 'ok',
  latencyMs: 5,
  detail: 'connected to api.svc.internal:443',
  ...over,
});
const endpoint = { endpointId: 'vpce-1', addresses: ['10.0.1.10', '10.0.2.10'] };

describe('what the probe tries', () => {
  test('a reach placement looks the record up and connects on the port; an unresolved one only looks', () => {
    expect(privateLinkAttempts(record, 443)).toEqual([
      { name: names.dns, kind: 'dns', hostname: record },
      { name: names.tcp, kind: 'tcp', host: record, port: 443 },
    ]);
    expect(privateLinkAttempts(record)).toEqual([{ name: names.dns, kind: 'dns', hostname: record }]);
  });
});

describe('P9 the record resolves to the endpoint', () => {
  test("the endpoint's addresses (all or some of them) pass", () => {
    expect(resolutionDeviations(resolved('10.0.1.10', '10.0.2.10'), endpoint, 'prod')).toEqual([]);
    expect(resolutionDeviations(resolved('10.0.2.10'), endpoint, 'prod')).toEqual([]);
  });

  test('another address fails, naming it and the endpoint', () => {
    const [line] = resolutionDeviations(resolved('10.0.1.10', '10.2.1.7'), endpoint, 'prod');
    expect(line).toContain('10.2.1.7');
    expect(line).not.toMatch(/resolves to 10\.0\.1\.10/);
    expect(line).toContain('vpce-1');
  });

  test('NXDOMAIN fails, named; a resolver that does not answer fails too', () => {
    expect(resolutionDeviations(nxdomain, endpoint, 'prod')).toEqual([
      'does not resolve from prod (NXDOMAIN, ENOTFOUND)',
    ]);
    expect(resolutionDeviations(servfail, endpoint, 'prod')[0]).toMatch(/did not answer, EAI_AGAIN/);
  });

  test('an answer when the intended endpoint is gone fails', () => {
    expect(
      resolutionDeviations(resolved('10.0.1.10'), { endpointId: undefined, addresses: [] }, 'prod')[0],
    ).toMatch(/no intended endpoint/);
  });

  test('a probe that could not settle the lookup cannot tell', () => {
    const slow: AttemptResult = { ...nxdomain, outcome: 'error', errorCode: 'SlowAnswer', unsettled: true };
    expect(() => resolutionDeviations(slow, endpoint, 'prod')).toThrow(CannotTellError);
  });
});

describe('P10 a TCP connection to the record opens', () => {
  test('an open connection passes', () => {
    expect(connectionDeviations(tcp({}), resolved('10.0.1.10'), 'prod', 443)).toEqual([]);
  });

  test('a connect that never opens is "no path"; a refused one fails too', () => {
    const hung = tcp({ outcome: 'timeout', errorCode: 'ConnectTimeout' });
    expect(connectionDeviations(hung, resolved('10.0.1.10'), 'prod', 443)[0]).toMatch(
      /^no path from prod on port 443/,
    );
    const refused = tcp({ outcome: 'error', errorCode: 'ECONNREFUSED' });
    expect(connectionDeviations(refused, resolved('10.0.1.10'), 'prod', 443)[0]).toMatch(/^refused/);
  });

  test('blocked by P9 when the record did not resolve from that placement, whatever the connection did', () => {
    const error = (() => {
      try {
        connectionDeviations(tcp({ outcome: 'dns-failure', errorCode: 'ENOTFOUND' }), nxdomain, 'prod', 443);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BlockedError);
    expect((error as Error).message).toMatch(/— see P9 prod$/);
  });

  test('an ok from a probe that does not say it connected (one older than tcp attempts) cannot tell', () => {
    const old = tcp({ detail: undefined });
    expect(() => connectionDeviations(old, resolved('10.0.1.10'), 'prod', 443)).toThrow(/redeploy/);
  });

  test('an unsettled or unexplained failure cannot tell', () => {
    const odd = tcp({ outcome: 'error', errorCode: 'EHOSTUNREACH' });
    expect(() => connectionDeviations(odd, resolved('10.0.1.10'), 'prod', 443)).toThrow(CannotTellError);
    const slow = tcp({ outcome: 'error', errorCode: 'SlowAnswer', unsettled: true, tries: 3 });
    expect(() => connectionDeviations(slow, resolved('10.0.1.10'), 'prod', 443)).toThrow(/after 3 tries/);
  });
});

describe('P11 outside the zone the record does not resolve', () => {
  const control = [{ placement: 'prod', dns: resolved('10.0.1.10') }];

  test('NXDOMAIN passes once a reach placement resolved the record in this run', () => {
    expect(unresolvedDeviations(nxdomain, control, 'dev')).toEqual([]);
  });

  test('never passes without the positive control: no reach placement is cannot-tell', () => {
    expect(() => unresolvedDeviations(nxdomain, [], 'dev')).toThrow(CannotTellError);
    expect(() => unresolvedDeviations(nxdomain, [], 'dev')).not.toThrow(BlockedError);
  });

  test('never passes without the positive control: reach placements that did not resolve block it on P9', () => {
    const none = [
      { placement: 'prod', dns: nxdomain },
      { placement: 'prod-b', dns: { failed: 'probe meshcheck-r-prod-b is Failed' } },
    ];
    expect(() => unresolvedDeviations(nxdomain, none, 'dev')).toThrow(BlockedError);
    expect(() => unresolvedDeviations(nxdomain, none, 'dev')).toThrow(/see P9 prod, prod-b$/);
    expect(() => unresolvedDeviations(nxdomain, [{ placement: 'prod', dns: resolved() }], 'dev')).toThrow(
      BlockedError,
    );
  });

  test('an answer fails, naming the addresses, with or without the control (it needs none)', () => {
    expect(unresolvedDeviations(resolved('10.0.1.10'), control, 'dev')).toEqual([
      'resolves from dev to 10.0.1.10',
    ]);
    expect(
      unresolvedDeviations(resolved('10.0.1.10'), [{ placement: 'prod', dns: nxdomain }], 'dev'),
    ).toEqual(['resolves from dev to 10.0.1.10']);
  });

  test('a resolver that does not answer, or a probe that could not tell, is no proof of absence', () => {
    expect(() => unresolvedDeviations(servfail, control, 'dev')).toThrow(CannotTellError);
    const hung: AttemptResult = { ...nxdomain, outcome: 'timeout', errorCode: 'ETIMEOUT' };
    expect(() => unresolvedDeviations(hung, control, 'dev')).toThrow(CannotTellError);
  });
});

describe('P12 a refused account cannot see the service', () => {
  const svc = 'com.amazonaws.vpce.us-east-1.vpce-svc-1';

  test('not listed passes once the allowed consumer saw it in this run', () => {
    expect(
      visibilityDeviations({ account: 'other', seen: false }, { account: 'lab', seen: true }, svc),
    ).toEqual([]);
  });

  test('listed fails, whatever the control saw', () => {
    const line = [`other sees ${svc} and could request an endpoint to it`];
    expect(
      visibilityDeviations({ account: 'other', seen: true }, { account: 'lab', seen: true }, svc),
    ).toEqual(line);
    expect(
      visibilityDeviations({ account: 'other', seen: true }, { account: 'lab', failed: 'x' }, svc),
    ).toEqual(line);
  });

  test('never passes without the control: unseen by the consumer, or unreadable, cannot tell', () => {
    expect(() =>
      visibilityDeviations({ account: 'other', seen: false }, { account: 'lab', seen: false }, svc),
    ).toThrow(CannotTellError);
    expect(() =>
      visibilityDeviations(
        { account: 'other', seen: false },
        { account: 'lab', failed: 'AccessDenied' },
        svc,
      ),
    ).toThrow(/could not look/);
  });
});
