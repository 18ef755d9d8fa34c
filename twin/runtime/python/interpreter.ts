import { execFile } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The local python3 the twin runs Python handlers with: one on PATH that
 * imports boto3, as every Lambda Python runtime includes the SDK for Python
 * (Lambda Developer Guide, "Building Lambda functions with Python",
 * runtime-included SDK versions). Debian's /usr/bin/python3 (with the
 * python3-boto3 package) is preferred over an earlier one on PATH, such as
 * a pyenv shim: it is the interpreter CI installs and the one whose boto3
 * (1.26) the bootstrap is written against. Looked up once per PATH value.
 */
export interface PythonInterpreter {
  /** The interpreter's own executable (sys.executable), never a shim. */
  executable: string;
  version: string;
  boto3: string;
}

/** What Invoke answers when no interpreter is found; the wire tests assert its words. */
export const PYTHON_MISSING =
  'the twin runs Python handlers with a local python3 that has boto3 (Debian: apt-get install python3-boto3); none was found on PATH';

const PREFERRED = ['/usr/bin/python3', '/bin/python3'];
const PROBE =
  'import sys, boto3; print(sys.executable); print(sys.version.split()[0]); print(boto3.__version__)';
const found = new Map<string, Promise<PythonInterpreter | undefined>>();
const run = promisify(execFile);

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every python3 on `path`, in order, Debian's own first when it is among them. */
function candidates(path: string): string[] {
  const onPath = path
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'python3'))
    .filter(executable);
  const real = (file: string): string => {
    try {
      return realpathSync(file);
    } catch {
      return file;
    }
  };
  const debian = onPath.filter((f) => PREFERRED.some((p) => real(p) === real(f)));
  return [...new Set([...debian, ...onPath])];
}

async function probe(file: string): Promise<PythonInterpreter | undefined> {
  try {
    const { stdout } = await run(file, ['-c', PROBE], { encoding: 'utf8', timeout: 60_000 });
    const [exe, version, boto3] = stdout.trim().split('\n');
    return exe && version && boto3 ? { executable: exe, version, boto3 } : undefined;
  } catch {
    return undefined;
  }
}

async function search(path: string): Promise<PythonInterpreter | undefined> {
  for (const file of candidates(path)) {
    const result = await probe(file);
    if (result) return result;
  }
  return undefined;
}

/** The first python3 on `path` that has boto3, or undefined; asked once per PATH value (an import of boto3 takes seconds on a loaded machine). */
export function findPython(path = process.env.PATH ?? ''): Promise<PythonInterpreter | undefined> {
  let known = found.get(path);
  if (!known) {
    known = search(path);
    found.set(path, known);
  }
  return known;
}
