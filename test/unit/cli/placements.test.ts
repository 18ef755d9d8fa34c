import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { placementsToProbe } from '../../../cli/placements.ts';
import type { ResolvedTargets } from '../../../helpers/targets/index.ts';
import { parseTargets } from '../../../helpers/targets/load.ts';

/**
 * Which probes validate creates before the checks start: those of the placements the run's areas will
 * invoke, and no other (a probe no check invokes is a Lambda function and an ENI for nothing). That the
 * early create happens before the checks is proven end to end (test/e2e/early-probe.test.ts); which
 * placements it takes is this function.
 */
const example = parseTargets(
  JSON.parse(readFileSync('targets.example.json', 'utf8')),
) as unknown as ResolvedTargets;

function withPlacements(
  names: string[],
  dynamodb: string[],
  reach: string[],
  unresolved: string[],
): ResolvedTargets {
  const t = structuredClone(example);
  const [first] = t.endpoints!.probe!.placements;
  t.endpoints!.probe!.placements = names.map((name) => ({ ...first!, name }));
  t.application!.dynamodb!.placements = dynamodb.map((placement) => ({
    ...t.application!.dynamodb!.placements[0]!,
    placement,
  }));
  Object.assign(t.privateLink!.services[0]!.live!, { reach, unresolved });
  return t;
}

describe('the probes validate creates early', () => {
  const lab = withPlacements(['a', 'b', 'c', 'd'], ['b'], ['c'], ['d']);

  test.for<[string, string[], string[]]>([
    ['every area', [], ['a', 'b', 'c', 'd']],
    ['the endpoint checks (E6 invokes every placement)', ['endpoints'], ['a', 'b', 'c', 'd']],
    ['the application checks: S13’s DynamoDB placements', ['application'], ['b']],
    ['the PrivateLink checks: P9–P11’s reach and unresolved placements', ['privatelink'], ['c', 'd']],
    ['application and privatelink together', ['application', 'privatelink'], ['b', 'c', 'd']],
    ['the network checks: none', ['network'], []],
    ['data protection and observability: none', ['data-protection', 'observability'], []],
  ])('%s', ([, only, placements]) => {
    expect(placementsToProbe(lab, only)).toEqual(placements);
  });

  test('a lab without a probe section creates none, whatever runs', () => {
    const none = structuredClone(example);
    delete none.endpoints!.probe;
    expect(placementsToProbe(none, [])).toEqual([]);
  });

  test('the reference targets: prod and dev for every area that invokes probes', () => {
    expect(placementsToProbe(example, ['application'])).toEqual(['prod', 'dev']);
    expect(placementsToProbe(example, ['privatelink'])).toEqual(['prod', 'dev']);
  });
});
