import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { describeDriftMatrix, type ServedLab } from './support/drift-matrix.ts';
import { serveSecondLab } from './support/second-lab-twin.ts';
import { ROOT, runValidate, twinEnv } from './support/validate.ts';

/**
 * The twin holds any lab: a second lab, different in region, ranges,
 * topology, names, keys and fruit, built from nothing through the SDK,
 * passes the whole suite from its own targets, and its drifts are caught.
 */
const targetsFile = join(ROOT, 'lab/second/targets.json');

describe('the second lab, clean', () => {
  let lab: ServedLab;
  beforeAll(async () => {
    lab = await serveSecondLab();
  });
  afterAll(() => lab.close());

  test('passes every check that applies to it, and says why the rest do not', async ({ expect }) => {
    const run = await runValidate(['--targets', targetsFile], twinEnv(lab.endpoint, lab.runner()));
    expect(run.results, run.stderr.slice(-1500)).toBeDefined();
    const { tests, summary } = run.results!;
    expect(
      tests
        .filter((t) => t.verdict === 'fail' || t.verdict === 'error')
        .map((t) => `${t.name}: ${t.message}`),
    ).toEqual([]);
    // It has no peering, its trail no log group, its application no operator and its one account no
    // account its service refuses: those items are skipped, saying so; everything else ran.
    expect(tests.filter((t) => t.verdict === 'skip').map((t) => t.message)).toEqual([
      'no operators in application.operators',
      'no operators in application.operators',
      'no network.peerings in targets',
      'trail platform-audit delivers to no log group in targets',
      'no privateLink service with live.refusedAccounts in targets',
    ]);
    // Every host pair, probe placement and fruit of its targets was checked.
    expect(tests.filter((t) => t.id === 'N13').length).toBe(11);
    expect(
      tests.filter((t) => t.id === 'D7' && /^(kiwi|lychee|papaya|fig|quince)$/.test(t.row ?? '')).length,
    ).toBe(5);
    expect(tests.filter((t) => t.id === 'E6' && /^(payments|sandbox)$/.test(t.row ?? '')).length).toBe(2);
    expect(tests.filter((t) => /^S1[0-5]$/.test(t.id) && t.verdict === 'pass').length).toBeGreaterThan(5);
    expect(summary.passed).toBe(summary.total - 5);
    expect(run.code).toBe(0);
  });
});

/**
 * A sample of the catalogue on the second lab, where its shape differs from the reference's: a hub's
 * association and a spoke's propagation, S3 through a gateway endpoint, its own processor and keys, a trail
 * under a prefix, a subnet's flow log to its own bucket, and a function's egress (a prefix list and an
 * endpoint group, in a VPC of its own), and its PrivateLink service's alias record and instance target on a
 * port of its own. The reference matrix runs every drift; this one proves the checks are not written for the
 * reference lab, with ten drifts of the catalogue.
 */
describeDriftMatrix('the drift matrix on the second lab', {
  targetsFile,
  serve: serveSecondLab,
  only: [
    'net-tgw-propagation-leak',
    'net-tgw-hub-association-removed',
    'ep-s3-gateway-route-removed',
    'dp-processor-loses-generate-data-key',
    'dp-receipt-key-decrypt-for-another-role',
    'obs-trail-bucket-drops-cloudtrail-write',
    'obs-flow-log-accept-only',
    'app-processor-egress-open',
    'pl-record-elsewhere',
    'pl-target-deregistered',
  ],
});
