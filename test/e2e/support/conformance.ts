import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createVitest, type TestSpecification, type Vitest } from 'vitest/node';
import { AREA_NAMES, type AreaName, areaOfLetter } from '../../../common/areas.ts';
import { forgetClients } from '../../../helpers/clients.ts';
import { newRunId, useRunId } from '../../../helpers/run.ts';
import { loadTargets, type ResolvedTargets, resolveTargets } from '../../../helpers/targets/index.ts';
import { ROOT, type ValidateRun } from './validate.ts';

/** The checklist areas `meshcheck validate --only` takes, one suite folder each, in checklist order. */
export const AREAS = AREA_NAMES;
export type Area = AreaName;

/**
 * The areas a drift's declared checks belong to: the only suite files that
 * can show whether it fails exactly them. An id whose area is not known
 * here runs every area, so a new slice is never checked less, only slower.
 */
export function areasOf(breaks: readonly { id: string; row?: string }[]): Area[] {
  if (!breaks.length) return [...AREAS];
  const areas = new Set<Area>();
  for (const b of breaks) {
    const area = areaOfLetter(/^([A-Z]+)\d+$/.exec(b.id)?.[1] ?? '');
    if (!area) return [...AREAS];
    areas.add(area);
  }
  return AREAS.filter((a) => areas.has(a));
}

/**
 * A copy of a targets file with waits sized for the twin's fast profile: a
 * drift that stops the pipeline is proved by receipts and CloudTrail events
 * that do not come, which takes the whole bound. A receipt takes 1–2 s on
 * an idle machine; 15 s leaves room for two matrices sharing two cores in CI.
 */
export async function withMatrixWaits(targetsFile: string): Promise<string> {
  const file = JSON.parse(await readFile(targetsFile, 'utf8'));
  if (file.dataProtection)
    Object.assign(file.dataProtection, { receiptTimeoutSeconds: 15, cloudTrailTimeoutSeconds: 15 });
  // Data events and flow-log records arrive within a second or two on the fast profile; a drift that stops them takes the bound.
  if (file.observability)
    Object.assign(file.observability, { dataEventTimeoutSeconds: 15, recordTimeoutSeconds: 15 });
  // The writer's evidence is there at once on the fast profile; a drift that stops it takes the bound.
  if (file.application?.writer) Object.assign(file.application.writer, { timeoutSeconds: 15 });
  const copy = join(await mkdtemp(join(tmpdir(), 'meshcheck-matrix-')), 'targets.json');
  await writeFile(copy, JSON.stringify(file));
  return copy;
}

/**
 * The conformance project run in this process, the way `meshcheck
 * validate --targets` runs it (cli/validate.ts: resolve the targets, hand
 * them over, one vitest run with the meshcheck reporter, exit code from
 * results.json), but kept open between runs: vitest, its Vite server and
 * its transforms are made once, not once per drift, and no `tsx` process
 * starts per run. Each run still gets a fresh test worker, so no module
 * state leaks from one run into the next.
 *
 * What it leaves out of validate: the sweep (the twin is reset before each
 * run) and the signal takeover (this is a test, not the CLI).
 */
export class Conformance {
  private constructor(
    private readonly vitest: Vitest,
    private readonly work: string,
  ) {}

  static async open(): Promise<Conformance> {
    const work = await mkdtemp(join(tmpdir(), 'meshcheck-conformance-'));
    const before = new Map(HANDLED.map((event) => [event, process.listeners(event)]));
    const vitest = await createVitest(
      'test',
      {
        root: ROOT,
        project: 'conformance',
        watch: false,
        // One worker, shared by the run's files (isolate: false), where validate starts four: a drift's
        // run is one area of two to four files, and each worker loads the SDK and the suite anew, so four
        // cost the drift matrix about 40 % more CPU (measured: 41–45 s against 26 s for one run of each
        // area) on two cores already saturated by the other test files. A run's waits are in one file of
        // its area, so running its files one after another costs little time.
        maxWorkers: 1,
        reporters: [[join(ROOT, 'reports/reporter.ts'), { outputDir: join(work, 'reports'), silent: true }]],
      },
      {},
      { stdout: devNull, stderr: devNull },
    );
    // Vitest's logger answers SIGINT, SIGTERM and an unhandled rejection with process.exit();
    // in here they belong to the vitest running this test file, which reports them.
    for (const event of HANDLED)
      for (const listener of process.listeners(event))
        if (!before.get(event)!.includes(listener)) process.off(event, listener as () => void);
    return new Conformance(vitest, work);
  }

  /**
   * Resolves `targetsFile` against what `env` reaches, then runs the suite
   * files of `areas` (all of them when empty) against it.
   */
  async run(
    targetsFile: string,
    env: Record<string, string>,
    areas: readonly Area[] = [],
  ): Promise<ValidateRun> {
    const reportsDir = join(this.work, 'reports');
    await rm(reportsDir, { recursive: true, force: true });
    // A fresh run id per run, as each `meshcheck validate` process has: resolveTargets stamps it.
    useRunId(newRunId());
    Object.assign(process.env, env);
    forgetClients();
    const resolved = await resolveTargets(await loadTargets(targetsFile));
    this.handOver(resolved, `twin (${env.AWS_ENDPOINT_URL})`);
    const filters = (areas.length ? areas : AREAS).map((area) => `suites/${area}/`);
    const specs: TestSpecification[] = await this.vitest.globTestSpecifications(filters);
    // A failing run sets process.exitCode; the failures are this test's to judge, not the worker's.
    const exitCode = process.exitCode;
    await this.vitest.runTestSpecifications(specs, true);
    process.exitCode = exitCode;
    const run: ValidateRun = { code: -1, stdout: '', stderr: '', reportsDir };
    try {
      run.results = JSON.parse(await readFile(join(reportsDir, 'results.json'), 'utf8'));
      run.code = run.results!.exitCode;
    } catch (error) {
      run.stderr = `no results.json: ${(error as Error).message}`;
    }
    return run;
  }

  /** The resolved targets and the run's labels reach the tests and the reporter as validate hands them over. */
  private handOver(resolved: ResolvedTargets, target: string): void {
    this.vitest.provide('targets', resolved);
    this.vitest.provide('run', { runId: resolved.runId, target, profile: 'nightly' });
  }

  async close(): Promise<void> {
    await this.vitest.close();
    await rm(this.work, { recursive: true, force: true });
  }
}

const HANDLED: NodeJS.Signals[] & string[] = ['SIGINT', 'SIGTERM', 'unhandledRejection' as NodeJS.Signals];

/** The nested run's own output: its verdicts are read from results.json. */
const devNull = new Writable({ write: (_chunk, _encoding, done) => done() });
