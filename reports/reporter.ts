/**
 * The meshcheck vitest reporter: at the end of a run, builds the report
 * model and writes `junit.xml`, `report.html` and `results.json`.
 *
 * ```ts
 * // vitest.config.ts
 * reporters: ['default', ['./reports/reporter.ts', { outputDir: 'reports/out' }]]
 * ```
 *
 * The run's labels (run id, target, profile) come from the reporter's
 * options, else from what the run provides as `run` (`vitest.provide`, read
 * when the run ends, so a harness may change them between runs); API call
 * counts from each test file's task meta (reports/build.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Reporter, SerializedError, TestModule, TestRunEndReason, Vitest } from 'vitest/node';
import { baselineLines, compareWithBaseline } from './baseline.ts';
import { buildModel } from './build.ts';
import { renderHtml } from './html.ts';
import { readResults, renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { exitCodeMeaning, type RunModel } from './model.ts';
import { areaLines } from './text.ts';

export { readResults } from './json.ts';
export { exitCodeOf, type RunModel, type Summary, summarize, type Verdict } from './model.ts';
export { outcomeOf, verdictOf } from './verdict.ts';

/** What a report says about the run it is of. */
export interface RunLabels {
  runId: string;
  /** "embedded twin (…)" or "account 123456789012 (eu-west-1)". */
  target: string;
  /** gate, nightly, … */
  profile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's labels, as `meshcheck validate` provides them. */
    run?: RunLabels;
  }
}

export interface MeshcheckReporterOptions extends Partial<RunLabels> {
  /** Where the three files go, relative to the vitest root. Default `reports/out`. */
  outputDir?: string;
  /** Leave out the one-line "reports written" message. */
  silent?: boolean;
  /** A previous run's results.json to mark each check against (`--baseline`). */
  baseline?: string;
}

/** The paths a run's reports were written to. */
export interface ReportFiles {
  junit: string;
  html: string;
  json: string;
}

export default class MeshcheckReporter implements Reporter {
  private vitest: Vitest | undefined;
  private startedAt = Date.now();

  constructor(private readonly options: MeshcheckReporterOptions = {}) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    this.startedAt = Date.now();
  }

  onTestRunStart(): void {
    this.startedAt = Date.now();
  }

  async onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): Promise<void> {
    const run = this.vitest?.getProvidedContext().run;
    const built = buildModel({
      modules,
      unhandledErrors,
      endReason: reason,
      meta: {
        runId: this.options.runId ?? run?.runId ?? '',
        target: this.options.target ?? run?.target ?? '',
        profile: this.options.profile ?? run?.profile ?? '',
        vitestVersion: this.vitest?.version ?? '',
      },
      startedAt: this.startedAt,
      finishedAt: Date.now(),
      excludedTags: excludedTags(this.vitest?.config.tagsFilter),
    });
    const model = this.compared(built);
    const files = writeReports(model, this.outputDir());
    if (!this.options.silent) this.announce(model, files);
  }

  /**
   * The model marked against the baseline. validate read the file before the run (a bad one is exit 2);
   * if it has gone since, the report says so and goes without the comparison rather than failing.
   */
  private compared(model: RunModel): RunModel {
    const path = this.options.baseline;
    if (!path) return model;
    try {
      return compareWithBaseline(model, readResults(path), path);
    } catch (error) {
      this.log(`meshcheck: no comparison with the baseline: ${(error as Error).message}`);
      return model;
    }
  }

  private log(line: string): void {
    if (this.vitest) this.vitest.logger.log(line);
    else console.log(line);
  }

  private outputDir(): string {
    return resolve(this.vitest?.config.root ?? process.cwd(), this.options.outputDir ?? 'reports/out');
  }

  private announce(model: RunModel, files: ReportFiles): void {
    const near = relative(process.cwd(), files.html);
    const where = near && !near.startsWith('..') ? near : files.html;
    for (const line of baselineLines(model)) this.log(line);
    // One line per area before the verdict: the last lines of a CI log say where the run went wrong.
    for (const line of areaLines(model.tests)) this.log(line);
    this.log(`meshcheck: exit ${model.exitCode} (${exitCodeMeaning(model.exitCode)}); report: ${where}`);
  }
}

/** The tags a `tagsFilter` leaves out: its `!tag` entries. */
export function excludedTags(filter: readonly string[] | undefined): string[] {
  return (filter ?? []).filter((f) => f.startsWith('!')).map((f) => f.slice(1));
}

/** Writes junit.xml, report.html and results.json for a model into `outputDir`. */
export function writeReports(model: RunModel, outputDir: string): ReportFiles {
  mkdirSync(outputDir, { recursive: true });
  const files: ReportFiles = {
    junit: join(outputDir, 'junit.xml'),
    html: join(outputDir, 'report.html'),
    json: join(outputDir, 'results.json'),
  };
  writeFileSync(files.junit, renderJunit(model));
  writeFileSync(files.html, renderHtml(model));
  writeFileSync(files.json, renderJson(model));
  return files;
}
