import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface ValidateRun {
  code: number;
  stdout: string;
  stderr: string;
  reportsDir: string;
  results?: {
    exitCode: number;
    run: { runId: string; target: string; profile: string };
    calls: Record<string, number>;
    summary: { passed: number; failed: number; errored: number; skipped: number; total: number };
    tests: {
      id: string;
      row?: string;
      name: string;
      verdict: 'pass' | 'fail' | 'error' | 'skip';
      message?: string;
      errorType?: string;
      /** How it moved since `--baseline`, when the run had one. */
      change?: string;
      evidence?: { kind: string; summary: string; value: unknown }[];
    }[];
  };
}

/**
 * Runs `meshcheck validate` as a user would, in its own process, and reads
 * what it wrote. The environment decides what it checks (a twin the test
 * serves, through AWS_ENDPOINT_URL and the runner's credentials).
 */
export async function runValidate(args: string[], env: Record<string, string>): Promise<ValidateRun> {
  const reportsDir = await mkdtemp(join(tmpdir(), 'meshcheck-reports-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'cli/main.ts'), 'validate', '--reports', reportsDir, ...args],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // Two test workers where validate starts four (vitest's own setting, which wins over validate's),
        // one for a run of one area: against a twin on this machine the checks wait on the CPU, not on
        // AWS, and each worker loads the SDK and the suite anew (measured, a network run: 10.3 s of CPU
        // with one worker, 14 s with two); npm test starts some twenty of these runs beside the matrix.
        VITEST_MAX_WORKERS: args.filter((a) => a === '--only').length === 1 ? '1' : '2',
        ...env,
      },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const run: ValidateRun = { code, stdout, stderr, reportsDir };
  try {
    run.results = JSON.parse(await readFile(join(reportsDir, 'results.json'), 'utf8'));
  } catch {
    // no results: the run stopped before the suite (bad input) — the exit code says why
  }
  return run;
}

/** The environment that makes the SDK talk to a twin as the given credentials. */
export function twinEnv(
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined },
): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken && { AWS_SESSION_TOKEN: credentials.sessionToken }),
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}
