#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { AREA_NAMES } from '../common/areas.ts';
import { terminalText } from '../common/escape.ts';
import { VERSION } from '../helpers/version.ts';

// Each command imports what it needs when it runs: a run against an account never loads the twin.

/**
 * meshcheck's command line: `validate` (the suite; the embedded twin when no
 * targets are given), `twin` (the twin alone), `cleanup` (sweep what crashed
 * runs left). Exit codes: 0 conformant, 1 conformance failures, 2 bad input,
 * 3 the suite could not tell (infrastructure errors, a run past its deadline,
 * a crash), 130 / 143 interrupted by SIGINT / SIGTERM.
 */
const usage = `usage:
  meshcheck validate [--targets FILE] [--profile gate|nightly] [--reports DIR] [--twin-profile fast|realistic] [--scale N] [--only AREA] [--deadline SECONDS] [--baseline PREVIOUS/results.json]
  meshcheck twin [--port N] [--empty] [--profile fast|realistic] [--scale N]
  meshcheck cleanup --targets FILE [--older-than-hours N (default 2)]
  meshcheck probe-zip --out FILE
  meshcheck --version`;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    console.log(usage);
    return 0;
  }
  if (argv[0] === '--version') {
    console.log(VERSION);
    return 0;
  }
  const [command, ...rest] = argv;
  const values = options(rest);
  if (typeof values === 'string') {
    console.error(`${terminalText(`meshcheck: ${values}`)}\n${usage}`);
    return 2;
  }
  if (values.help || !command) {
    console.log(usage);
    return command ? 0 : 2;
  }
  const bad = badChoice(command, values);
  if (bad) {
    console.error(`${terminalText(`meshcheck: ${bad}`)}\n${usage}`);
    return 2;
  }
  switch (command) {
    case 'validate':
      return (await import('./validate.ts')).validate({
        targets: values.targets,
        profile: (values.profile ?? 'nightly') as 'gate' | 'nightly',
        reportsDir: values.reports ?? 'reports/out',
        twinProfile: (values['twin-profile'] ?? 'fast') as 'fast' | 'realistic',
        scale: values.scale ? Number(values.scale) : 1,
        only: values.only ?? [],
        deadlineSeconds: values.deadline ? Number(values.deadline) : undefined,
        baseline: values.baseline,
      });
    case 'twin':
      return (await import('./twin.ts')).serveTwin({
        port: values.port ? Number(values.port) : 0,
        empty: Boolean(values.empty),
        profile: (values.profile ?? 'fast') as 'fast' | 'realistic',
        scale: values.scale ? Number(values.scale) : 1,
      });
    case 'cleanup':
      return (await import('./cleanup.ts')).cleanup({
        targets: values.targets,
        olderThanHours: Number(values['older-than-hours'] ?? DEFAULT_CLEANUP_HOURS),
      });
    case 'probe-zip': {
      // The reach probe's deployment package, for a lab that keeps a probe deployed (placement `deployed`).
      if (!values.out) {
        console.error(`meshcheck probe-zip needs --out FILE\n${usage}`);
        return 2;
      }
      const { bundleProbe } = await import('../probes/bundle.ts');
      const { writeFile } = await import('node:fs/promises');
      await writeFile(values.out, await bundleProbe('s3-reach'));
      console.log(
        `meshcheck: wrote the reach probe to ${values.out} (runtime nodejs22.x, handler index.handler)`,
      );
      return 0;
    }
    default:
      console.error(`${terminalText(`meshcheck: unknown command ${command}`)}\n${usage}`);
      return 2;
  }
}

/** The options, or what is wrong with them (an unknown option, a missing value: bad input, exit 2). */
function options(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        targets: { type: 'string' },
        profile: { type: 'string' },
        reports: { type: 'string' },
        'twin-profile': { type: 'string' },
        only: { type: 'string', multiple: true },
        scale: { type: 'string' },
        port: { type: 'string' },
        empty: { type: 'boolean' },
        'older-than-hours': { type: 'string' },
        out: { type: 'string' },
        deadline: { type: 'string' },
        baseline: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return (error as Error).message;
    throw error;
  }
}

/** Long enough for any run still in progress elsewhere (a nightly run waits up to 20 min for CloudTrail). */
const DEFAULT_CLEANUP_HOURS = 2;

const CHOICES: Record<string, readonly string[]> = {
  only: AREA_NAMES,
  'twin-profile': ['fast', 'realistic'],
};

/** An option value outside its choices, named; before anything runs (exit 2). */
function badChoice(command: string, values: Record<string, unknown>): string | undefined {
  const choices = {
    ...CHOICES,
    profile: command === 'validate' ? ['gate', 'nightly'] : ['fast', 'realistic'],
  };
  for (const [option, allowed] of Object.entries(choices)) {
    for (const value of [values[option] ?? []].flat() as string[])
      if (!allowed.includes(value)) return `--${option} ${value}: expected one of ${allowed.join(', ')}`;
  }
  for (const option of ['scale', 'port', 'older-than-hours', 'deadline'])
    if (values[option] !== undefined && !/^\d+(\.\d+)?$/.test(String(values[option])))
      return `--${option} ${values[option]}: expected a number, 0 or more`;
  return undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exit(code);
  },
  (error) => {
    // Something the CLI did not foresee: the suite could not tell (3). Never 2, which tells a
    // pipeline its targets file is wrong.
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${terminalText(`meshcheck: crashed — could not tell (exit 3): ${text}`)}\n`);
    process.exit(3);
  },
);
