import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';

/**
 * The pipelines in examples/ci are copied by teams as they are: a workflow
 * GitHub rejects, a gate that lets exit 1 through, or reports that vanish
 * when the run fails would be found on the night it matters. GitHub's own
 * parser (@actions/workflow-parser, the one behind the Actions language
 * service) reads the workflows; the GitLab file is read as YAML and its
 * structure checked against what GitLab's CI/CD YAML reference requires.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLES = join(ROOT, 'examples/ci/');
const read = (name: string) => readFileSync(join(EXAMPLES, name), 'utf8');

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

interface Workflow {
  /** What GitHub's parser and converter report as wrong. */
  errors: string[];
  /** The converted template's triggers (`schedule`, `workflow_call` with its inputs…). */
  events: Record<string, Plain>;
  /** The `if` GitHub evaluates for each step of the one job, from the converted template (`success()` by default). */
  conditions: string[];
  /** The whole file as plain values (expressions as `${{ … }}`): what the template leaves out (permissions, `with`). */
  tree: { [key: string]: Plain };
}

/**
 * The parser loads its schema with a JSON import that carries no `with { type: 'json' }`, which Node (and
 * so vitest's externalized modules) refuses; tsx's loader accepts it. It runs in a child process, once.
 */
const PARSE = `
import { readFileSync } from 'node:fs';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
const out = {};
for (const path of process.argv.slice(1)) {
  const parsed = parseWorkflow({ name: path, content: readFileSync(path, 'utf8') }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  const template = parsed.value ? await convertWorkflowTemplate(parsed.context, parsed.value) : undefined;
  errors.push(...(template?.errors ?? []).map((e) => e.Message));
  const job = template?.jobs[0];
  out[path] = {
    errors,
    events: JSON.parse(JSON.stringify(template?.events ?? {})),
    conditions: job?.type === 'job' ? job.steps.map((s) => s.if?.expression ?? '') : [],
    tree: JSON.parse(JSON.stringify(parsed.value ?? null)),
  };
}
process.stdout.write(JSON.stringify(out));
`;

async function parseWorkflows(): Promise<Record<string, Workflow>> {
  const names = ['github-nightly.yml', 'github-gate.yml'];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', PARSE, ...names.map((n) => join(EXAMPLES, n))],
    { cwd: ROOT },
  );
  const out = JSON.parse(stdout) as Record<string, Workflow>;
  return Object.fromEntries(names.map((n) => [n, out[join(EXAMPLES, n)]!]));
}

let parsedWorkflows: Record<string, Workflow>;

// A child process with tsx takes seconds on a loaded machine: once, before the tests, under the hook's bound.
beforeAll(async () => {
  parsedWorkflows = await parseWorkflows();
}, 120_000);

/** A workflow as GitHub's parser reads it, failing on any error it reports. */
async function workflow(name: string): Promise<Workflow> {
  const wf = parsedWorkflows[name]!;
  expect(wf.errors).toEqual([]);
  return { ...wf, tree: plain(wf.tree) as Workflow['tree'] };
}

/** The parser's serialized tokens as plain values. */
function plain(token: unknown): Plain {
  if (token === null || typeof token !== 'object') return token as Plain;
  const t = token as { map?: { Key: unknown; Value: unknown }[]; seq?: unknown[]; expr?: string };
  if (t.map) return Object.fromEntries(t.map.map(({ Key, Value }) => [String(plain(Key)), plain(Value)]));
  if (t.seq) return t.seq.map(plain);
  if (t.expr !== undefined) return expression(t.expr);
  return token as Plain;
}

/** An expression as a workflow file writes it. */
const expression = (expr: string) => `\${{ ${expr} }}`;

type Step = { uses?: string; run?: string; if?: string; id?: string; with?: Record<string, Plain> };

/** The steps of the workflow's one job, from the file (the template drops `with`). */
function stepsOf(wf: Workflow): { job: Record<string, Plain>; steps: Step[] } {
  const jobs = wf.tree.jobs as Record<string, Record<string, Plain>>;
  expect(Object.keys(jobs)).toHaveLength(1);
  const job = Object.values(jobs)[0]!;
  return { job, steps: job.steps as Step[] };
}

const uses = (step: Step, action: string) => (step.uses ?? '').split('@')[0] === action;

/** What a run step passes to `meshcheck validate`, parsed: `--mode`, `--reports`… */
function validateArgs(script: string): Record<string, string> {
  const line = script.split('\n').find((l) => /\bmeshcheck validate\b/.test(l));
  expect(line, 'a step runs meshcheck validate').toBeDefined();
  const args: Record<string, string> = {};
  for (const m of line!.matchAll(/--([a-z-]+)[ =]("[^"]*"|\S+)/g)) args[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  return args;
}

function expectOidcRole(steps: Step[], roleFrom: RegExp): void {
  const credentials = steps.filter((s) => uses(s, 'aws-actions/configure-aws-credentials'));
  expect(credentials).toHaveLength(1);
  expect(String(credentials[0]!.with?.['role-to-assume'])).toMatch(roleFrom);
  // No stored keys: the role comes from the OIDC token alone.
  expect(credentials[0]!.with).not.toHaveProperty('aws-access-key-id');
  expect(credentials[0]!.with).not.toHaveProperty('aws-secret-access-key');
  const validate = steps.findIndex((s) => /meshcheck validate/.test(s.run ?? ''));
  expect(steps.indexOf(credentials[0]!)).toBeLessThan(validate);
}

function expectArtifactsAlways(wf: Workflow, steps: Step[], reports: string): void {
  const ifs = wf.conditions;
  const uploads = steps
    .map((step, i) => ({ step, if: ifs[i]! }))
    .filter(({ step }) => uses(step, 'actions/upload-artifact'));
  const paths = uploads.map(({ step }) => String(step.with?.path ?? ''));
  expect(paths.some((p) => p.split('\n').includes(`${reports}/junit.xml`))).toBe(true);
  expect(paths.some((p) => p.split('\n').includes(`${reports}/report.html`))).toBe(true);
  // A failed or could-not-tell run is the one whose reports are read.
  for (const upload of uploads) expect(upload.if).toBe('always()');
}

function expectNode22(steps: Step[]): void {
  const node = steps.find((s) => uses(s, 'actions/setup-node'));
  expect(String(node?.with?.['node-version'])).toBe('22');
}

describe('examples/ci/github-nightly.yml', () => {
  test('GitHub parses it; it runs on a schedule and on demand', async () => {
    const wf = await workflow('github-nightly.yml');
    expect((wf.events.schedule as Plain[] | undefined)?.length).toBeGreaterThan(0);
    expect((wf.events.schedule as { cron: string }[])[0]!.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(wf.events).toHaveProperty('workflow_dispatch');
  });

  test('it assumes a role through OIDC, from a repository variable, with no stored keys', async () => {
    const wf = await workflow('github-nightly.yml');
    expect(wf.tree.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expectOidcRole(stepsOf(wf).steps, /^\$\{\{ vars\.[A-Z_]+ \}\}$/);
  });

  test('it validates in the nightly mode on Node 22 and uploads JUnit and HTML even when the run fails', async () => {
    const wf = await workflow('github-nightly.yml');
    const { steps } = stepsOf(wf);
    expectNode22(steps);
    const args = validateArgs(steps.map((s) => s.run ?? '').join('\n'));
    expect(args.mode).toBe('nightly');
    expect(args.targets).toBeTruthy();
    expectArtifactsAlways(wf, steps, args.reports!);
  });

  test('the job summary points at the report, whatever the verdict', async () => {
    const wf = await workflow('github-nightly.yml');
    const { steps } = stepsOf(wf);
    const ifs = wf.conditions;
    const summary = steps.findIndex((s) => /GITHUB_STEP_SUMMARY/.test(s.run ?? ''));
    expect(summary).toBeGreaterThanOrEqual(0);
    expect(ifs[summary]).toBe('always()');
  });
});

describe('examples/ci/github-gate.yml', () => {
  test('GitHub parses it; it is a reusable workflow with a blocking switch for "could not tell"', async () => {
    const wf = await workflow('github-gate.yml');
    const call = wf.events.workflow_call as { inputs?: Record<string, Plain> } | undefined;
    expect(call?.inputs?.['block-on-could-not-tell']).toMatchObject({ type: 'boolean' });
    expect(call?.inputs?.targets).toMatchObject({ required: true });
    const on = wf.tree.on as Record<string, Record<string, Record<string, Plain>>>;
    expect(Object.keys(on.workflow_call!.outputs!)).toEqual(expect.arrayContaining(['verdict', 'exit-code']));
    expect(wf.tree.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expectOidcRole(stepsOf(wf).steps, /^\$\{\{ inputs\.role-to-assume \}\}$/);
  });

  test('it validates in the gate mode and uploads JUnit and HTML even when the gate fails', async () => {
    const wf = await workflow('github-gate.yml');
    const { steps } = stepsOf(wf);
    expectNode22(steps);
    const gate = steps.find((s) => /meshcheck validate/.test(s.run ?? ''))!;
    const args = validateArgs(gate.run!);
    expect(args.mode).toBe('gate');
    expectArtifactsAlways(wf, steps, args.reports!);
  });

  test('exit 1 fails the job; exit 3 is "could not tell" — an output and a warning — and blocks only when asked', async () => {
    const wf = await workflow('github-gate.yml');
    const { job, steps } = stepsOf(wf);
    const gate = steps.find((s) => /meshcheck validate/.test(s.run ?? ''))!;
    expect(gate.id).toBe('gate');
    expect((job.outputs as Record<string, string>).verdict).toBe(expression('steps.gate.outputs.verdict'));
    const branches = caseBranches(gate.run!);
    expect(branches['1']).toMatch(/^\s*exit 1\s*$/m);
    expect(branches['3']).toMatch(/verdict=could-not-tell.*GITHUB_OUTPUT/);
    expect(branches['3']).toMatch(/^\s*echo "::warning[^"]*could not tell/m);
    expect(branches['3']).not.toMatch(/^\s*exit 3\s*$/m);
    expect(branches['3']).toMatch(/if \[ "\$BLOCK_ON_COULD_NOT_TELL" = "true" \]; then exit 3; fi/);
    expect(String((gate as { env?: Record<string, Plain> }).env?.BLOCK_ON_COULD_NOT_TELL)).toBe(
      expression('inputs.block-on-could-not-tell'),
    );
    // GitHub runs bash with -e: without catching the code, a failing validate would end the step before the case.
    expect(gate.run).toMatch(/meshcheck validate [^\n]*\|\| code=\$\?/);
    expect(branches['2']).toMatch(/exit 2/);
    expect(branches['*']).toMatch(/exit "\$code"/);
  });
});

/** The body of each branch of the `case "$code" in` of a gate script. */
function caseBranches(script: string): Record<string, string> {
  const body = /case "\$code" in\n([\s\S]*?)\n\s*esac/.exec(script)?.[1];
  expect(body, 'a case over the exit code').toBeDefined();
  const branches: Record<string, string> = {};
  for (const m of body!.matchAll(/^\s*([0-9*|]+)\)\n([\s\S]*?);;/gm)) branches[m[1]!] = m[2]!;
  return branches;
}

describe('examples/ci/gitlab-ci.yml', () => {
  type Job = Record<string, Plain> & { extends?: string; script?: string[] };
  const file = parse(read('gitlab-ci.yml')) as Record<string, Job>;
  /** A job with its `extends` applied, as GitLab merges them (hashes deeply, the job's own keys win). */
  const resolved = (name: string): Job => {
    const job = file[name]!;
    return job.extends ? (merge(resolved(job.extends), job) as Job) : job;
  };
  const runnable = Object.keys(file).filter(
    (name) => !name.startsWith('.') && typeof file[name] === 'object' && 'script' in resolved(name),
  );

  test('it has a nightly and a gate job, each running meshcheck validate in its mode', () => {
    const modes = runnable.map((name) => validateArgs(resolved(name).script!.join('\n')).mode);
    expect(modes.sort()).toEqual(['gate', 'nightly']);
  });

  test.for(['gate', 'nightly'])(
    'the %s job gets AWS credentials from a GitLab ID token with an audience',
    (mode) => {
      const job = resolved(runnable.find((n) => validateArgs(resolved(n).script!.join('\n')).mode === mode)!);
      const tokens = job.id_tokens as Record<string, { aud?: Plain }>;
      const [name, token] = Object.entries(tokens)[0]!;
      expect(token.aud).toBeTruthy();
      const variables = job.variables as Record<string, string>;
      expect(variables.AWS_ROLE_ARN).toBeTruthy();
      // The SDK's default chain trades the file's token for the role (AssumeRoleWithWebIdentity): the file must hold this token.
      const file = variables.AWS_WEB_IDENTITY_TOKEN_FILE!;
      expect(file).toBeTruthy();
      const setUp = [...((job.before_script as string[]) ?? []), ...job.script!].join('\n');
      expect(setUp).toContain(`"$${name}" > "$AWS_WEB_IDENTITY_TOKEN_FILE"`);
    },
  );

  test.for(['gate', 'nightly'])(
    'the %s job hands GitLab the JUnit file validate writes, and keeps its reports whatever the result',
    (mode) => {
      const job = resolved(runnable.find((n) => validateArgs(resolved(n).script!.join('\n')).mode === mode)!);
      const reports = validateArgs(job.script!.join('\n')).reports!;
      const artifacts = job.artifacts as { when?: string; reports?: { junit?: Plain }; paths?: string[] };
      expect([artifacts.reports?.junit].flat()).toContain(`${reports}/junit.xml`);
      expect(artifacts.when).toBe('always');
      expect(artifacts.paths?.some((p) => p.replace(/\/$/, '') === reports)).toBe(true);
    },
  );

  test('the gate fails on exit 1 and lets exit 3 through only as a warning', () => {
    const gate = resolved(
      runnable.find((n) => validateArgs(resolved(n).script!.join('\n')).mode === 'gate')!,
    );
    const allowed = gate.allow_failure as { exit_codes?: number[] } | boolean | undefined;
    expect(allowed).toEqual({ exit_codes: [3] });
  });
});

function merge(base: Plain, over: Plain): Plain {
  if (!isHash(base) || !isHash(over)) return over;
  const out: Record<string, Plain> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = key in base ? merge(base[key]!, value) : value;
  return out;
}

function isHash(value: Plain): value is Record<string, Plain> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
