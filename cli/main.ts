#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { AREA_NAMES } from '../common/areas.ts';
import { terminalText } from '../common/escape.ts';
import { VERSION } from '../helpers/version.ts';
import { exitThreeOnCrash, exitWith } from './exit.mjs';

// Each command imports what it needs when it runs: a run against an account never loads the twin.

/**
 * meshcheck's command line: `validate` (the suite; the embedded twin when no
 * targets are given), `twin` (the twin alone), `cleanup` (sweep what crashed
 * runs left). Exit codes: 0 conformant, 1 conformance failures, 2 bad input,
 * 3 the suite could not tell (infrastructure errors, a run past its deadline,
 * a crash), 130 / 143 interrupted by SIGINT / SIGTERM.
 *
 * The AWS options mean what they mean in the AWS CLI: `--profile NAME` is a
 * profile of the shared config and credentials files, `--region` overrides
 * every other source of the region. What runs is `--mode`; the twin's pace,
 * which is not AWS, is `--twin-profile`.
 */
const usage = `usage:
  meshcheck validate [--targets FILE] [--mode gate|nightly] [--profile NAME] [--region REGION]
                     [--only AREA]... [--reports DIR] [--deadline SECONDS]
                     [--twin-profile fast|realistic] [--scale N] [--baseline PREVIOUS/results.json]
  meshcheck twin [--port N] [--empty] [--twin-profile fast|realistic] [--scale N]
  meshcheck cleanup --targets FILE [--profile NAME] [--region REGION] [--older-than-hours N]
  meshcheck probe-zip --out FILE
  meshcheck --version

validate checks the lab the targets file describes, through the AWS SDK's default settings (credentials,
endpoint, retries); without --targets, the reference lab on an embedded twin.

  --targets FILE        the lab's targets file (targets.schema.json describes it)
  --mode gate|nightly   what runs: nightly (default) every check; gate leaves out the checks that wait for
                        delivered evidence (tag delivery: CloudTrail, flow logs), reported as skipped
  --profile NAME        the AWS profile (shared config and credentials files) whose credentials, region and
                        retry settings to use, as in the AWS CLI (it sets AWS_PROFILE); roles in
                        accounts.<key>.assumeRoleArn are assumed from it
  --region REGION       the lab's region: overrides the targets' region, AWS_REGION and the profile's
  --only AREA           a slice of the checklist, repeatable: network, endpoints, data-protection,
                        observability, application, privatelink
  --reports DIR         where junit.xml, report.html and results.json go (default reports/out)
  --deadline SECONDS    the run's deadline (default: from the bounds in targets)
  --baseline FILE       a previous run's results.json: each check is marked newly failing, still failing,
                        fixed or unchanged (console, JUnit, first in report.html)
  --twin-profile fast|realistic, --scale N
                        the embedded twin's pace (default fast; realistic adds AWS-like delays, times N).
                        The twin is not AWS: its pace is not a --profile
  --older-than-hours N  cleanup: sweep what runs left more than N hours ago (default 2)

Retries are the SDK's: AWS_MAX_ATTEMPTS and AWS_RETRY_MODE, or the profile's max_attempts and retry_mode
(5 attempts, standard mode when none is set).

Exit codes: 0 conforms, 1 conformance failures, 2 bad input (targets or command line; no check ran),
3 could not tell (credentials, AccessDenied, throttling, deadline, a crash), 130/143 interrupted.`;

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
  const bad = badChoice(command, values) ?? (await badAwsOptions(command, values));
  if (bad) {
    console.error(`${terminalText(`meshcheck: ${bad}`)}\n${usage}`);
    return 2;
  }
  // Before any client exists: the SDK reads the profile for credentials, region and retries, and the
  // credential chain then skips the environment's keys, as the AWS CLI's --profile does.
  if (values.profile) process.env.AWS_PROFILE = values.profile;
  switch (command) {
    case 'validate':
      return (await import('./validate.ts')).validate({
        targets: values.targets,
        mode: (values.mode ?? 'nightly') as 'gate' | 'nightly',
        region: values.region,
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
        profile: (values['twin-profile'] ?? 'fast') as 'fast' | 'realistic',
        scale: values.scale ? Number(values.scale) : 1,
      });
    case 'cleanup':
      return (await import('./cleanup.ts')).cleanup({
        targets: values.targets,
        region: values.region,
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
        mode: { type: 'string' },
        profile: { type: 'string' },
        region: { type: 'string' },
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

/**
 * `--profile` once chose what ran (`validate --profile gate|nightly`) and the twin's pace (`twin --profile
 * fast|realistic`); it now names an AWS profile. Those old values are refused with the new spelling rather
 * than read either way: taken as the old option, a team's AWS profile named `gate` could never be used;
 * taken as an AWS profile, a pipeline written for the old option would silently run nightly with other
 * credentials, or fail later on an unknown profile with a message that does not say why. An AWS profile
 * of one of those names still works through AWS_PROFILE.
 */
function movedProfile(command: string, profile: unknown): string | undefined {
  if (typeof profile !== 'string') return undefined;
  if (command === 'twin')
    return `--profile ${profile}: the twin is not AWS and has no AWS profile; its pace is --twin-profile fast|realistic`;
  if (command === 'validate' && (profile === 'gate' || profile === 'nightly'))
    return `--profile ${profile}: --profile now names an AWS profile, as in the AWS CLI; choose what runs with --mode ${profile} (an AWS profile named "${profile}" works through AWS_PROFILE=${profile})`;
  return undefined;
}

/** The AWS CLI's region names (the targets schema's pattern). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * --profile and --region for a command that reaches AWS, before any call: a region that is not one, a
 * profile the shared files do not define (the AWS CLI refuses it; the SDK would go on down its chain to
 * whatever identity the machine has), or either of them on a run of the embedded twin, which they would
 * not reach.
 */
async function badAwsOptions(command: string, values: Record<string, unknown>): Promise<string | undefined> {
  const given = (['profile', 'region'] as const).filter((o) => values[o] !== undefined);
  if (!given.length) return undefined;
  const option = `--${given[0]}`;
  if (command !== 'validate' && command !== 'cleanup')
    return `${option} applies to validate and cleanup, which reach AWS; not to ${command}`;
  if (command === 'validate' && !values.targets)
    return `${option} applies to a run against an account (--targets FILE); without --targets meshcheck checks the reference lab on its embedded twin`;
  const region = values.region as string | undefined;
  if (region !== undefined && !REGION.test(region))
    return `--region ${region}: expected an AWS region such as us-east-1`;
  const profile = values.profile as string | undefined;
  if (profile !== undefined) {
    const { profileExists } = await import('../helpers/aws-settings.ts');
    if (!(await profileExists(profile)))
      return `--profile ${profile}: no such profile in the AWS config or credentials file (${process.env.AWS_CONFIG_FILE ?? '~/.aws/config'}, ${process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'})`;
  }
  return undefined;
}

/** Long enough for any run still in progress elsewhere (a nightly run waits up to 20 min for CloudTrail). */
const DEFAULT_CLEANUP_HOURS = 2;

const CHOICES: Record<string, readonly string[]> = {
  only: AREA_NAMES,
  mode: ['gate', 'nightly'],
  'twin-profile': ['fast', 'realistic'],
};

/** An option value outside its choices, named; before anything runs (exit 2). */
function badChoice(command: string, values: Record<string, unknown>): string | undefined {
  const old = movedProfile(command, values.profile);
  if (old) return old;
  for (const [option, allowed] of Object.entries(CHOICES)) {
    for (const value of [values[option] ?? []].flat() as string[])
      if (!allowed.includes(value)) return `--${option} ${value}: expected one of ${allowed.join(', ')}`;
  }
  for (const option of ['scale', 'port', 'older-than-hours', 'deadline'])
    if (values[option] !== undefined && !/^\d+(\.\d+)?$/.test(String(values[option])))
      return `--${option} ${values[option]}: expected a number, 0 or more`;
  return undefined;
}

exitThreeOnCrash();

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) exitWith(code);
  },
  (error) => {
    // Something the CLI did not foresee: the suite could not tell (3). Never 2, which tells a
    // pipeline its targets file is wrong.
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${terminalText(`meshcheck: crashed — could not tell (exit 3): ${text}`)}\n`);
    exitWith(3);
  },
);
