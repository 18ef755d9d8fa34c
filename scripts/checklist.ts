import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createVitest, type TestCase, type TestModule, type TestSuite } from 'vitest/node';
import { forgetClients } from '../helpers/clients.ts';
import { loadTargets, type ResolvedTargets, resolveTargets } from '../helpers/targets/index.ts';
import { drifts } from '../lab/drifts/index.ts';
import type { Break } from '../lab/drifts/types.ts';
import { type CheckMeta, checkOf } from '../reports/check-meta.ts';
import { SEEDS } from '../suites/setup/seeds.ts';
import { serveReferenceLab } from '../test/e2e/support/reference-twin.ts';
import { twinEnv } from '../test/e2e/support/validate.ts';

/**
 * CHECKLIST.md: the checklist a person can read without running anything,
 * generated from the suite itself. The suite is collected (not run) by
 * vitest against the reference lab on a twin, so every test comes with the
 * id, row, words and seed it carries as task meta and with its file and
 * line; each drift of the catalogue says, for that lab, which checks it
 * breaks. The drifts are the proof that a check can fail.
 */

const ROOT = join(import.meta.dirname, '..');

/** One collected test of the suite: a check's row (or the check itself, when it is not per row). */
export interface CollectedTest extends CheckMeta {
  name: string;
  section: string;
  file: string;
  line: number;
  tags: string[];
}

export interface SuiteAndDrifts {
  tests: CollectedTest[];
  /** Each drift that applies to the reference lab, and what it declares it breaks there. */
  breaks: { drift: string; says: string; breaks: Break[] }[];
}

/** The suite's tests and the drift catalogue's declarations, both on the reference lab. */
export async function collectReferenceChecklist(): Promise<SuiteAndDrifts> {
  const lab = await serveReferenceLab();
  const saved = { ...process.env };
  try {
    // Resolve as the runner would: the SDK's default settings point at the twin.
    Object.assign(process.env, twinEnv(lab.endpoint, lab.runner()));
    forgetClients();
    const targets = await resolveTargets(await loadTargets(join(ROOT, 'targets.example.json')));
    const operator = lab.operator(targets);
    const breaks = [];
    for (const drift of drifts.filter((d) => d.appliesTo(targets)))
      breaks.push({ drift: drift.id, says: drift.says, breaks: await drift.breaks(targets, operator) });
    return { tests: await collectSuite(targets), breaks };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    forgetClients();
    await lab.close();
  }
}

/** The conformance project's tests as vitest collects them for `targets`, without running any. */
export async function collectSuite(targets: ResolvedTargets): Promise<CollectedTest[]> {
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const before = new Map(HANDLED.map((event) => [event, process.listeners(event)]));
  const vitest = await createVitest(
    'test',
    { root: ROOT, project: 'conformance', watch: false, includeTaskLocation: true, reporters: [] },
    {},
    { stdout: quiet, stderr: quiet },
  );
  // Handed over as validate does.
  vitest.provide('targets', targets);
  // Vitest's logger answers signals with process.exit(); here they belong to whoever runs this.
  for (const event of HANDLED)
    for (const listener of process.listeners(event))
      if (!before.get(event)!.includes(listener)) process.off(event, listener as () => void);
  try {
    const { testModules, unhandledErrors } = await vitest.collect();
    const broken = testModules.flatMap((m) => m.errors().map((e) => `${m.moduleId}: ${e.message}`));
    if (unhandledErrors.length || broken.length)
      throw new Error(`the suite did not collect: ${[...broken, ...unhandledErrors.map(String)].join('\n')}`);
    return [...testModules]
      .sort((a, b) => a.relativeModuleId.localeCompare(b.relativeModuleId))
      .flatMap((module) => [...module.children.allTests()].map(collected));
  } finally {
    await vitest.close();
  }
}

const HANDLED: NodeJS.Signals[] & string[] = ['SIGINT', 'SIGTERM', 'unhandledRejection' as NodeJS.Signals];

function collected(test: TestCase): CollectedTest {
  const check = checkOf(test.meta());
  const file = test.module.relativeModuleId.replace(/\\/g, '/');
  if (!check) throw new Error(`${file}: "${test.name}" carries no checklist id (use eachRow or check)`);
  let outer: TestSuite | TestModule = test.parent;
  while (outer.type === 'suite' && outer.parent.type === 'suite') outer = outer.parent;
  return {
    ...check,
    name: test.name,
    section: outer.type === 'suite' ? outer.name : file,
    file,
    line: test.location?.line ?? 0,
    tags: [...(test.tags ?? [])],
  };
}

/** Whether a drift's declared break names this test: by id and row, never by words. */
export function names(declared: Break, test: Pick<CheckMeta, 'id' | 'row'>): boolean {
  return declared.id === test.id && (declared.row === undefined || declared.row === test.row);
}

/**
 * The gate profile leaves out checks tagged `delivery` (cli/validate.ts passes
 * `tagsFilter: ['!delivery']`); nightly runs everything.
 */
function profilesOf(tags: readonly string[]): string {
  return tags.includes('delivery') ? 'nightly' : 'gate, nightly';
}

/** One entry per check id: where it is defined, how many rows it has, which drifts prove it. */
interface CheckEntry {
  first: CollectedTest;
  rows: number;
  drifts: string[];
}

export function checksOf({ tests, breaks }: SuiteAndDrifts): CheckEntry[] {
  const byId = new Map<string, CheckEntry>();
  for (const test of tests) {
    const entry = byId.get(test.id) ?? { first: test, rows: 0, drifts: [] };
    entry.rows += 1;
    byId.set(test.id, entry);
  }
  for (const { drift, breaks: declared } of breaks)
    for (const entry of byId.values())
      if (declared.some((b) => b.id === entry.first.id) && !entry.drifts.includes(drift))
        entry.drifts.push(drift);
  return [...byId.values()];
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** CHECKLIST.md, as `npm run generate` writes it. */
export function checklistMarkdown(data: SuiteAndDrifts): string {
  const checks = checksOf(data);
  const lines = [
    '# The checklist',
    '',
    'Generated by `npm run generate` (scripts/checklist.ts) from the suite (`suites/<area>/*.test.ts`, each',
    'check’s id, words, tags and seed item are its task meta) and the drift catalogue, on the reference',
    'lab (`targets.example.json`); a project test fails when it is stale. Do not edit it by hand.',
    '',
    '- **rows**: how many tests the check makes on the reference lab (one per row of targets: a VPC,',
    '  a host pair, a fruit…); `$field` in its words is filled from that row.',
    '- **profiles**: `gate` leaves out checks that wait for delivered evidence (`delivery`); `nightly`',
    '  runs them all.',
    '- **proved by**: the drifts (`lab/drifts/`) that make exactly this check, among others, fail',
    '  on the reference lab; the drift matrix (`test/e2e/drift-matrix-*.test.ts`) proves each one.',
    '- **seed**: the item of the source material the check comes from (documents listed at the end).',
    '',
    `${checks.length} checks, ${data.tests.length} tests on the reference lab, ${data.breaks.length} drifts.`,
  ];
  let section = '';
  for (const { first, rows, drifts: proof } of checks) {
    if (first.section !== section) {
      section = first.section;
      lines.push(
        '',
        `## ${section}`,
        '',
        '| id | check | rows | tags | profiles | where | proved by | seed |',
      );
      lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    }
    const row = [
      `**${first.id}**`,
      cell(first.words),
      String(rows),
      first.tags.join(', '),
      profilesOf(first.tags),
      `[${first.file}:${first.line}](${first.file}#L${first.line})`,
      proof.length ? proof.map((d) => `\`${d}\``).join(', ') : '**none**',
      cell(`${first.seed.doc}: ${first.seed.item}`),
    ];
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('', '## Seed documents', '');
  for (const [key, title] of Object.entries(SEEDS)) lines.push(`- **${key}**: ${title}`);
  return `${lines.join('\n')}\n`;
}
