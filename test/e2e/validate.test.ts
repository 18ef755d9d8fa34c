import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { AREA_NAMES, areaOfLetter, checklistRank } from '../../common/areas.ts';
import { rootCredential } from '../../twin/twin.ts';
import { hasAwsCli } from '../support/twin.ts';
import { listLeftovers, waitForNoLeftovers } from './support/leftovers.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { CHROMIUM, renderReport } from './support/report-in-browser.ts';
import { ROOT, runValidate, twinEnv, type ValidateRun } from './support/validate.ts';

let lab: ReferenceTwin;
beforeAll(async () => {
  lab = await serveReferenceLab();
});
afterAll(() => lab.server.close());

const example = join(ROOT, 'targets.example.json');

/**
 * The README's `npm run validate`, as a GitHub Actions job runs it: one run, shared by the tests that
 * read its reports, its log and its job summary (a run is the costliest thing npm test does).
 */
let embedded: Promise<ValidateRun & { stepSummary: string }> | undefined;
const embeddedRun = () => {
  embedded ??= (async () => {
    const stepSummary = join(await mkdtemp(join(tmpdir(), 'meshcheck-ci-')), 'summary.md');
    await writeFile(stepSummary, '');
    const run = await runValidate([], {
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_STEP_SUMMARY: stepSummary,
    });
    return { ...run, stepSummary };
  })();
  return embedded;
};
const byChecklist = (a: string, b: string) => checklistRank(`${a}1`) - checklistRank(`${b}1`);

describe('meshcheck validate, end to end against the twin', () => {
  // One whole run proves both: a run is the costliest thing npm test does.
  test('a clean reference lab passes every check, exits 0, and leaves no probe function, object or ENI behind', async ({
    expect,
  }) => {
    const before = (await listLeftovers(lab)).enis;
    const run = await runValidate(['--targets', example], twinEnv(lab.server.endpoint, lab.runner()));
    const bad = run.results?.tests.filter((t) => t.verdict === 'fail' || t.verdict === 'error');
    expect(bad, run.stderr.slice(-2000)).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.results!.summary.passed).toBeGreaterThan(20);
    // What validate provides reaches the report: the run's labels, and the calls every worker made.
    expect(run.results!.run).toMatchObject({
      runId: expect.stringMatching(/^mc-\d{8}-/),
      profile: 'nightly',
    });
    expect(run.results!.run.target).toMatch(/^account \d{12} /);
    expect(run.results!.calls['ec2.DescribeVpcs']).toBeGreaterThan(0);
    expect(run.results!.calls['lambda.Invoke']).toBeGreaterThan(0);
    expect(await waitForNoLeftovers(lab, before)).toEqual({ functions: [], versions: [], enis: [] });
  });

  test('with no targets it checks the embedded twin and writes JUnit and HTML reports', async ({
    expect,
  }) => {
    const run = await embeddedRun();
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(run.stdout).toContain('embedded twin');
    expect(existsSync(join(run.reportsDir, 'junit.xml'))).toBe(true);
    expect(existsSync(join(run.reportsDir, 'report.html'))).toBe(true);
  });

  test('in GitHub Actions, the job summary holds vitest’s report and the verdict with one line per area; the log ends with them', async ({
    expect,
  }) => {
    const run = await embeddedRun();
    const { tests } = run.results!;
    const lines = AREA_NAMES.flatMap((area) => {
      const mine = tests.filter((t) => areaOfLetter(/^[A-Z]+/.exec(t.id)?.[0] ?? '') === area);
      const n = (v: string) => mine.filter((t) => t.verdict === v).length;
      return mine.length
        ? [
            `${area}: ${n('pass')} passed, ${n('fail')} failed, ${n('error')} could not tell, ${n('skip')} skipped`,
          ]
        : [];
    });
    expect(lines.length).toBeGreaterThan(4);
    const written = await readFile(run.stepSummary, 'utf8');
    // Vitest's reporter first (it writes at the end of the checks), then the verdict once the run is over.
    const vitest = written.indexOf('## Vitest Test Report');
    const ours = written.indexOf('## meshcheck: exit 0 — conforms');
    expect(vitest).toBeGreaterThanOrEqual(0);
    expect(ours).toBeGreaterThan(vitest);
    for (const line of lines) {
      expect(written.slice(ours)).toContain(`\n- ${line}\n`);
      expect(run.stdout).toMatch(new RegExp(`^${line}$`, 'm'));
    }
    // The checks' evidence stays in the reports: no notice annotation per check.
    expect(run.stdout).not.toMatch(/^::notice/m);
  });

  test('its HTML report, in a real browser, renders without errors, every link resolves, and its counts, grid and sections agree with results.json', async ({
    expect,
    skip,
  }) => {
    if (!CHROMIUM) return skip('no Chromium at /usr/bin/chromium (apt-get install chromium; .ci/run does)');
    const run = await embeddedRun();
    const page = await renderReport(run.reportsDir);
    expect(page.errors).toEqual([]);
    expect(page.brokenLinks).toEqual([]);
    const { summary, tests } = run.results!;
    expect(page.counts).toEqual([
      `✔ ${summary.passed} passed`,
      `✘ ${summary.failed} failed`,
      `⚠ ${summary.errored} errors`,
      `⊘ ${summary.skipped} skipped`,
      `${summary.total} checks`,
    ]);
    // Every reachability observation of results.json is in its cell, linked to its own check.
    const observed = tests.flatMap((t, i) =>
      (t.evidence ?? [])
        .filter((e) => e.kind === 'reachability')
        .map((e) => {
          const r = e.value as { from: string; to: string; expect?: string; observed?: string };
          return `${r.from} → ${r.to}: ${r.expect ?? '?'} / ${r.observed ?? '?'} #t-${i}`;
        }),
    );
    const shown = page.grid.flatMap((cell) =>
      cell.lines.map((l) => `${cell.from} → ${cell.to}: ${l.text} ${l.href}`),
    );
    expect(observed.length).toBeGreaterThan(0);
    expect(shown.sort()).toEqual(observed.sort());
    expect(page.grid.map((cell) => cell.verdict)).toEqual(page.grid.map(() => 'pass'));
    // The checklist's own order: the network first.
    expect(page.sections[0]).toMatch(/^N · /);
    expect(page.sections.map((s) => s.slice(0, 1))).toEqual(
      [...page.sections.map((s) => s.slice(0, 1))].sort(byChecklist),
    );
  });

  test('a malformed targets file exits 2, names the field, and makes no AWS call', async ({ expect }) => {
    const dir = await mkdtemp(join(tmpdir(), 'meshcheck-bad-'));
    const bad = join(dir, 'targets.json');
    await writeFile(
      bad,
      JSON.stringify({
        region: 'us-east-1',
        accounts: { lab: {} },
        network: { vpcs: [{ name: 'x', cidr: '10.0.0.0/33', subnets: [] }] },
      }),
    );
    const before = lab.server.requestCount;
    const run = await runValidate(['--targets', bad], twinEnv(lab.server.endpoint, lab.runner()));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('network.vpcs[0].cidr');
    expect(run.stderr).toContain('network.vpcs[0].subnets');
    expect(lab.server.requestCount - before, 'requests the twin received').toBe(0);
  });

  test('an option outside its choices exits 2, names it, and makes no AWS call', async ({ expect }) => {
    const before = lab.server.requestCount;
    const run = await runValidate(
      ['--targets', example, '--only', 'nets'],
      twinEnv(lab.server.endpoint, lab.runner()),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--only nets: expected one of network, endpoints, data-protection');
    expect(lab.server.requestCount - before, 'requests the twin received').toBe(0);
  });

  test('a name that matches nothing exits 2 and says which field and name', async ({ expect }) => {
    const dir = await mkdtemp(join(tmpdir(), 'meshcheck-bad-'));
    // Renamed everywhere the file names it: a file consistent in itself, naming what AWS does not have.
    const text = await (await import('node:fs/promises')).readFile(example, 'utf8');
    const targets = JSON.parse(text);
    const subnet: string = targets.network.vpcs[2].subnets[1].name;
    const path = join(dir, 'targets.json');
    await writeFile(path, text.replaceAll(`"${subnet}"`, '"No-Such-Subnet"'));
    const run = await runValidate(['--targets', path], twinEnv(lab.server.endpoint, lab.runner()));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /network\.vpcs\[2\]\.subnets\[1\]\.name: no subnet of .* named "No-Such-Subnet"/,
    );
  });

  test.runIf(hasAwsCli)(
    'a Prod↔Dev TGW route added with the AWS CLI makes validate exit 1 on exactly the items it breaks',
    async ({ expect }) => {
      await lab.server.reset();
      const root = rootCredential('111111111111');
      const aws = (args: string[]) =>
        promisify(execFile)(
          '/usr/bin/aws',
          [...args, '--endpoint-url', lab.server.endpoint, '--output', 'json'],
          {
            env: {
              PATH: process.env.PATH ?? '',
              AWS_ACCESS_KEY_ID: root.accessKeyId,
              AWS_SECRET_ACCESS_KEY: root.secretAccessKey,
              AWS_DEFAULT_REGION: 'us-east-1',
              AWS_CONFIG_FILE: '/dev/null',
            },
          },
        );
      const table = async (name: string) =>
        JSON.parse(
          (
            await aws([
              'ec2',
              'describe-transit-gateway-route-tables',
              '--filters',
              `Name=tag:Name,Values=${name}`,
            ])
          ).stdout,
        ).TransitGatewayRouteTables[0].TransitGatewayRouteTableId;
      const attachment = async (name: string) =>
        JSON.parse(
          (
            await aws([
              'ec2',
              'describe-transit-gateway-attachments',
              '--filters',
              `Name=tag:Name,Values=${name}`,
            ])
          ).stdout,
        ).TransitGatewayAttachments[0].TransitGatewayAttachmentId;
      await aws([
        'ec2',
        'create-transit-gateway-route',
        '--transit-gateway-route-table-id',
        await table('prod-rt'),
        '--destination-cidr-block',
        '10.1.0.0/16',
        '--transit-gateway-attachment-id',
        await attachment('dev-attach'),
      ]);
      await aws([
        'ec2',
        'create-transit-gateway-route',
        '--transit-gateway-route-table-id',
        await table('dev-rt'),
        '--destination-cidr-block',
        '10.0.0.0/16',
        '--transit-gateway-attachment-id',
        await attachment('prod-attach'),
      ]);

      // The network area: a TGW route reaches nothing the other areas look at, and each run costs two cores' seconds.
      const run = await runValidate(
        ['--targets', example, '--only', 'network'],
        twinEnv(lab.server.endpoint, lab.runner()),
      );
      expect(run.code).toBe(1);
      const failed = run
        .results!.tests.filter((t) => t.verdict !== 'pass' && t.verdict !== 'skip')
        .map((t) => t.name);
      expect(failed.sort()).toEqual([
        'N13 dev-app → prod-app (ICMP): deny',
        'N13 prod-app → dev-app (ICMP): deny',
        'N8 TGW route table dev-rt holds exactly its intended routes',
        'N8 TGW route table prod-rt holds exactly its intended routes',
      ]);
      const ping = run.results!.tests.find((t) => t.id === 'N13' && t.row === 'prod-app→dev-app:icmp')!;
      expect(ping.message).toMatch(/must stay silent, but it answered/);

      // The next night, the routes removed: compared with this run, exactly those four are fixed.
      await lab.server.reset();
      const next = await runValidate(
        ['--targets', example, '--only', 'network', '--baseline', join(run.reportsDir, 'results.json')],
        twinEnv(lab.server.endpoint, lab.runner()),
      );
      expect(next.code, next.stderr.slice(-1500)).toBe(0);
      const fixed = next.results!.tests.filter((t) => t.change === 'fixed').map((t) => t.name);
      expect(fixed.sort()).toEqual(failed.sort());
      expect(next.results!.tests.filter((t) => t.change !== 'fixed' && t.change !== 'unchanged')).toEqual([]);
      expect(next.stdout).toMatch(/changed since mc-\S+ .*: 0 newly failing, 4 fixed, 0 still failing/);
    },
  );

  test('a baseline that is no results file exits 2, names it, and makes no AWS call', async ({ expect }) => {
    const dir = await mkdtemp(join(tmpdir(), 'meshcheck-baseline-'));
    const notResults = join(dir, 'results.json');
    await writeFile(notResults, JSON.stringify({ schema: 'something else' }));
    const before = lab.server.requestCount;
    const run = await runValidate(
      ['--targets', example, '--baseline', notResults],
      twinEnv(lab.server.endpoint, lab.runner()),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--baseline ${notResults}: not a meshcheck results file`);
    expect(lab.server.requestCount - before, 'requests the twin received').toBe(0);
  });
});
