import { describe, expect, test } from 'vitest';
import { isOutcome, OUTCOMES, outcomeLine } from '../../../common/outcome.ts';

describe('one outcome for every reach attempt', () => {
  test.each([
    [
      { what: 's3 get', outcome: 'denied', detail: 'AccessDenied', latencyMs: 12 },
      's3 get: denied (AccessDenied) in 12 ms',
    ],
    [
      { what: 'a → b (ICMP)', outcome: 'ok', detail: '3/3 replies from 10.0.0.5' },
      'a → b (ICMP): ok (3/3 replies from 10.0.0.5)',
    ],
    [{ what: 'internet', outcome: 'timeout', latencyMs: 0 }, 'internet: timeout in 0 ms'],
    [{ what: 'dns', outcome: 'dns-failure' }, 'dns: dns-failure'],
  ] as const)('%o reads %s', (reached, line) => {
    expect(outcomeLine(reached)).toBe(line);
  });

  test('isOutcome knows exactly the five outcomes', () => {
    expect(OUTCOMES).toEqual(['ok', 'denied', 'timeout', 'dns-failure', 'error']);
    for (const outcome of OUTCOMES) expect(isOutcome(outcome)).toBe(true);
    for (const other of ['answered', 'OK', '', undefined, 1]) expect(isOutcome(other)).toBe(false);
  });
});
