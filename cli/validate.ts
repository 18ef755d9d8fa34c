import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVitest } from 'vitest/node';
import { CannotTellError, TargetsError } from '../helpers/errors.ts';
import { runId } from '../helpers/run.ts';
import { type Swept, sweepAll } from '../helpers/sweep.ts';
import { loadTargets, type ResolvedTargets, resolveTargets, type Targets } from '../helpers/targets/index.ts';
import { clientsForTargets } from '../helpers/targets/resolve.ts';
import { readResults } from '../reports/index.ts';
import type { EmbeddedTwin } from './embedded.ts';

export interface ValidateOptions {
  targets: string | undefined;
  profile: 'gate' | 'nightly';
  reportsDir: string;
  twinProfile: 'fast' | 'realistic';
  scale: number;
  /** Areas of the checklist to run (`network`, `endpoints`, `data-protection`); all when empty. */
  only: string[];
}

const root = fileURLToPath(new URL('..', import.meta.url));
export const EXAMPLE_TARGETS = join(root, 'targets.example.json');

/**
 * Runs the conformance suite. Without targets it serves the reference lab
 * on an embedded twin and checks it with targets.example.json; with
 * `--targets` it checks whatever the SDK's default settings reach.
 * A bad targets file exits 2 before any AWS call.
 */
export async function validate(options: ValidateOptions): Promise<number> {
  const embedded = !options.targets;
  let targets: Targets;
  try {
    targets = await loadTargets(options.targets ?? EXAMPLE_TARGETS);
  } catch (error) {
    if (error instanceof TargetsError) return report(error.message, 2);
    throw error;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Only a run without targets loads the twin: a run against an account never does.
  let twin: EmbeddedTwin | undefined;
  if (embedded) {
    const { pointSdkAt, startEmbeddedTwin } = await import('./embedded.ts');
    twin = await startEmbeddedTwin(options.twinProfile, options.scale);
    pointSdkAt(twin.env);
    console.log(
      `meshcheck: no --targets given: checking the reference lab on the embedded twin at ${twin.server.endpoint} (${options.twinProfile} profile)`,
    );
  }
  const work = await mkdtemp(join(tmpdir(), 'meshcheck-'));
  try {
    const resolved = await resolveTargets(targets);
    const resolvedPath = join(work, 'resolved-targets.json');
    await writeFile(resolvedPath, JSON.stringify(resolved, null, 2));
    Object.assign(process.env, {
      MESHCHECK_RUN_ID: runId(),
      MESHCHECK_RESOLVED_TARGETS: resolvedPath,
      MESHCHECK_CALLS_DIR: join(work, 'calls'),
      MESHCHECK_TARGET_LABEL: embedded
        ? `embedded twin (${twin!.server.endpoint})`
        : `account ${resolved.accountIds.lab} (${resolved.region})`,
      MESHCHECK_PROFILE: options.profile,
    });
    const outputDir = resolve(options.reportsDir);
    const vitest = await createVitest('test', {
      root,
      project: 'conformance',
      run: true,
      watch: false,
      // The checks wait on AWS, not on the CPU: more files at once than cores.
      maxWorkers: 4,
      reporters: ['default', [join(root, 'reports/reporter.ts'), { outputDir }]],
      ...(options.profile === 'gate' && { tagsFilter: ['!delivery'] }),
    });
    // Interrupted or not, what the run created is removed before we exit.
    let interrupted = false;
    const interrupt = () => {
      interrupted = true;
      console.error('meshcheck: interrupted — stopping the checks and removing what this run created');
      void vitest.cancelCurrentRun('keyboard-input');
    };
    // Vitest's logger answers SIGINT/SIGTERM with process.exit() a millisecond later, which would
    // cut the sweep short; the CLI owns these signals, so it takes them over.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal)) process.off(signal, listener);
      process.once(signal, interrupt);
    }
    try {
      await vitest.start(options.only.map((area) => `suites/${area}.test.ts`));
    } finally {
      await vitest.close();
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      await sweepRun(resolved);
    }
    if (interrupted) return 130;
    const results = await readResults(join(outputDir, 'results.json'));
    console.log(`meshcheck: reports in ${outputDir} (junit.xml, report.html, results.json)`);
    return results.exitCode;
  } catch (error) {
    if (error instanceof TargetsError) return report(error.message, 2);
    if (error instanceof CannotTellError)
      return report(`meshcheck could not reach the lab: ${error.message}`, 3);
    throw error;
  } finally {
    await twin?.server.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** Removes the probes and objects this run made, wherever it stopped. */
async function sweepRun(targets: ResolvedTargets): Promise<void> {
  const clients = clientsForTargets(targets)('lab');
  const swept: Swept[] = [];
  try {
    swept.push(...(await sweepAll(clients, targets, { runId: targets.runId })));
  } catch (error) {
    console.error(
      `meshcheck: could not remove everything run ${targets.runId} created (${(error as Error).message}); \`meshcheck cleanup\` will`,
    );
  }
  if (swept.length)
    console.log(
      `meshcheck: removed ${swept.length} leftovers of run ${targets.runId}: ${swept.map((s) => s.id).join(', ')}`,
    );
}

function report(message: string, code: number): number {
  console.error(`meshcheck: ${message}`);
  return code;
}
