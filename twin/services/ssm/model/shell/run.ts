import { builtins } from './builtins.ts';
import type { Outcome, Program, RunAt, ShellHost } from './host.ts';
import { nc } from './nc.ts';
import { LAST_STATUS, type ListItem, parseLine } from './parse.ts';
import { ping } from './ping.ts';

/**
 * Runs an AWS-RunShellScript script the way the agent does: the commands
 * joined into one script file, run by the shell line by line; a failing
 * line does not stop the next ones; the script's exit status is the last
 * command's, or `exit N`'s.
 */
export interface ScriptResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Real duration of the script in ms. */
  realMs: number;
  /** The script was still running when its execution timeout came. */
  timedOut: boolean;
}

const programs: Record<string, Program> = { ...builtins, ping, nc, ncat: nc };

function execute(host: ShellHost, argv: string[], at: RunAt): Outcome {
  const name = argv[0]!.split('/').pop()!;
  const program = programs[name];
  if (program) return program(host, argv, at);
  // bash names the script file and line: "…/_script.sh: line 3: curl: command not found"
  return {
    stdout: '',
    stderr: `${host.scriptPath}: line ${at.line}: ${argv[0]}: command not found\n`,
    exitCode: 127,
    realMs: 1,
  };
}

/** Where a command's output goes, after its redirections. */
function redirect(item: ListItem, result: Outcome): { stdout: string; stderr: string } {
  const c = item.command;
  if (c.stdoutToNull && c.stderrToStdout) return { stdout: '', stderr: '' };
  const stdout = c.stdoutToNull ? '' : result.stdout;
  if (c.stderrToNull) return { stdout, stderr: '' };
  return c.stderrToStdout
    ? { stdout: stdout + result.stderr, stderr: '' }
    : { stdout, stderr: result.stderr };
}

/** `exit [N]`: bash keeps the low 8 bits; a non-number is an error with status 2. */
function exitStatus(
  host: ShellHost,
  argv: string[],
  line: number,
  last: number,
): { code: number; stderr: string } {
  if (argv[1] === undefined) return { code: last, stderr: '' };
  if (!/^-?\d+$/.test(argv[1]))
    return {
      code: 2,
      stderr: `${host.scriptPath}: line ${line}: exit: ${argv[1]}: numeric argument required\n`,
    };
  return { code: ((Number(argv[1]) % 256) + 256) % 256, stderr: '' };
}

/**
 * Runs `commands` (the Parameters.commands list) on `host`, cutting it off
 * at `executionTimeoutMs`.
 *
 * @example runScript(host, ['ping -c 3 10.0.0.1'], 3_600_000).exitCode // 0 or 1
 */
export function runScript(host: ShellHost, commands: string[], executionTimeoutMs: number): ScriptResult {
  const result: ScriptResult = { stdout: '', stderr: '', exitCode: 0, realMs: 0, timedOut: false };
  const lines = commands.join('\n').split('\n');
  for (const [index, text] of lines.entries()) {
    const line = index + 1;
    const parsed = parseLine(text);
    if ('unsupported' in parsed) {
      result.stderr += `${host.scriptPath}: line ${line}: '${parsed.unsupported}' is not interpreted by the twin's shell\n`;
      result.exitCode = 2;
      continue;
    }
    for (const item of parsed.items) {
      if ((item.joiner === '&&' && result.exitCode !== 0) || (item.joiner === '||' && result.exitCode === 0))
        continue;
      const argv = item.command.argv.map((w) => w.replaceAll(LAST_STATUS, String(result.exitCode)));
      if (argv[0] === 'exit') {
        const { code, stderr } = exitStatus(host, argv, line, result.exitCode);
        return { ...result, stderr: result.stderr + stderr, exitCode: code };
      }
      const ran = execute(host, argv, {
        offsetMs: result.realMs,
        remainingMs: executionTimeoutMs - result.realMs,
        line,
      });
      const out = redirect(item, ran);
      result.stdout += out.stdout;
      result.stderr += out.stderr;
      result.exitCode = ran.exitCode;
      result.realMs += ran.realMs;
      if (result.realMs >= executionTimeoutMs)
        return { ...result, realMs: executionTimeoutMs, timedOut: true };
    }
  }
  return result;
}
