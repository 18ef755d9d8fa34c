import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Debian's AWS CLI: its `aws` is a Python script that runs `awscli.clidriver.main()` with this interpreter. */
export const AWS_CLI = '/usr/bin/aws';
const PYTHON = '/usr/bin/python3';
const SESSION = fileURLToPath(new URL('./aws-cli-session.py', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one AWS CLI command line with `env` as its whole environment, as
 * `execFile('/usr/bin/aws', args, { env })` would, but in a CLI session that
 * this test worker keeps (aws-cli-session.py says why): each command still
 * gets a fresh CLI driver and botocore session from its own environment.
 * Commands run one at a time, in the order they are given.
 */
export function runAwsCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  session ??= new CliSession();
  return session.run(args, env);
}

let session: CliSession | undefined;

class CliSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve(r: CliResult): void; reject(e: Error): void }[] = [];
  private stderr = '';

  constructor() {
    this.child = spawn(PYTHON, [SESSION], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.waiting.shift()?.resolve(JSON.parse(line) as CliResult);
      if (!this.waiting.length) this.idle();
    });
    this.child.stderr.on('data', (d) => (this.stderr = (this.stderr + d).slice(-2000)));
    this.child.on('exit', (code) => {
      if (session === this) session = undefined;
      const error = new Error(`the AWS CLI session ended (exit ${code}): ${this.stderr}`);
      for (const w of this.waiting.splice(0)) w.reject(error);
    });
    // The session must not keep the worker alive between commands, nor outlive it.
    process.once('exit', () => this.child.kill());
    this.idle();
  }

  run(args: string[], env: Record<string, string>): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.busy();
      this.child.stdin.write(`${JSON.stringify({ args, env })}\n`);
    });
  }

  private busy(): void {
    this.child.ref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as { ref?(): void }).ref?.();
  }

  private idle(): void {
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr])
      (s as { unref?(): void }).unref?.();
  }
}

/** The `aws` a script under test runs (as its AWS_BIN), with MESHCHECK_AWS_CLI_PORT from listenAwsCli. */
export const AWS_CLI_CLIENT = fileURLToPath(new URL('./aws-cli-client.sh', import.meta.url));

/**
 * A CLI session for a script (lab/cli-lab/build.sh makes some hundred calls):
 * give the script `AWS_BIN=AWS_CLI_CLIENT` and the returned `env`.
 */
export async function listenAwsCli(): Promise<{ env: Record<string, string>; close(): void }> {
  const child = spawn(PYTHON, [SESSION, '--listen'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const close = () => child.kill();
  process.once('exit', close);
  const port = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the AWS CLI session ended (exit ${code})`)));
  });
  return { env: { AWS_BIN: AWS_CLI_CLIENT, MESHCHECK_AWS_CLI_PORT: port }, close };
}
