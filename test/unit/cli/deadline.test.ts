import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runDeadlineMs } from '../../../cli/pending.ts';
import type { ResolvedTargets } from '../../../helpers/targets/index.ts';
import { parseTargets } from '../../../helpers/targets/load.ts';

const example = parseTargets(
  JSON.parse(readFileSync('targets.example.json', 'utf8')),
) as unknown as ResolvedTargets;

describe('the run deadline comes from the bounds', () => {
  test('gate leaves the CloudTrail wait out; nightly adds it', () => {
    const gate = runDeadlineMs(example, 'gate');
    const nightly = runDeadlineMs(example, 'nightly');
    expect(gate).toBeLessThan(10 * 60_000);
    expect(nightly).toBeGreaterThan(gate + example.dataProtection!.cloudTrailTimeoutSeconds * 1000 - 60_000);
  });

  test('a longer receipt bound moves the deadline by as much', () => {
    const dataOnly = structuredClone(example);
    delete dataOnly.observability;
    const longer = structuredClone(dataOnly);
    longer.dataProtection!.receiptTimeoutSeconds += 600;
    expect(runDeadlineMs(longer, 'nightly') - runDeadlineMs(dataOnly, 'nightly')).toBe(600_000);
  });

  test('a longer flow-log record bound moves the nightly deadline by as much, and not the gate', () => {
    const longer = structuredClone(example);
    longer.observability!.recordTimeoutSeconds += 600;
    expect(runDeadlineMs(longer, 'nightly') - runDeadlineMs(example, 'nightly')).toBe(600_000);
    expect(runDeadlineMs(longer, 'gate')).toBe(runDeadlineMs(example, 'gate'));
  });

  test('without data protection and observability the network and probe checks bound it', () => {
    const network = structuredClone(example);
    delete network.dataProtection;
    delete network.observability;
    expect(runDeadlineMs(network, 'nightly')).toBe(runDeadlineMs(network, 'gate'));
    expect(runDeadlineMs(network, 'nightly')).toBeLessThanOrEqual(runDeadlineMs(example, 'gate'));
  });

  test('the event writer’s bound (S10–S12) counts: past the other checks, a longer one moves the gate deadline by as much', () => {
    const long = structuredClone(example);
    long.application!.writer!.timeoutSeconds = 600;
    const longer = structuredClone(long);
    longer.application!.writer!.timeoutSeconds = 900;
    expect(runDeadlineMs(long, 'gate')).toBeGreaterThan(runDeadlineMs(example, 'gate'));
    expect(runDeadlineMs(longer, 'gate') - runDeadlineMs(long, 'gate')).toBe(300_000);
  });
});
