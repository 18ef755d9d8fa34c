import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { z } from 'zod';
import { noRegionHint, sdkRegion } from '../aws-settings.ts';
import { TargetsError } from '../errors.ts';
import { duplicateKeys } from './json-keys.ts';
import { type Targets, targetsSchema } from './schema.ts';

/**
 * Reads and validates a targets file. Nothing here calls AWS: a bad file
 * stops the run before any request, naming each field and why.
 *
 * @example
 *   const targets = await loadTargets('targets.example.json');
 */
export async function loadTargets(
  path: string,
  options: { region?: string | undefined } = {},
): Promise<Targets> {
  const text = await readTargetsText(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TargetsError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const duplicates = duplicateKeys(text);
  if (duplicates.length)
    throw new TargetsError(`${path} is not a valid targets file:\n  ${duplicates.join('\n  ')}`, duplicates);
  // As in the AWS CLI: --region overrides; without it the file's region, else the SDK's own chain
  // (AWS_REGION, the profile's region). Read only when needed: on an EC2 host the chain asks the instance.
  const absent = isObject(json) && json.region === undefined;
  return parseTargets(json, path, options.region ?? (absent ? await sdkRegion() : undefined));
}

function isObject(json: unknown): json is Record<string, unknown> {
  return typeof json === 'object' && json !== null && !Array.isArray(json);
}

/** Far more than any lab needs; a larger file is a mistake, not targets. */
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * Reads the file without ever waiting on a writer: a FIFO, a socket, a
 * terminal or a device would block a read (a FIFO with no writer blocks
 * open(2) itself), so anything but a regular file is refused before it is
 * opened, and opened with O_NONBLOCK and checked again in case it was
 * swapped in between.
 */
async function readTargetsText(path: string): Promise<string> {
  const cannot = (why: string) => new TargetsError(`cannot read targets file ${path}: ${why}`);
  const kind = await stat(path).catch((error: Error) => Promise.reject(cannot(error.message)));
  if (!kind.isFile()) throw cannot(`${describeKind(kind)}, not a regular file`);
  const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: Error) =>
    Promise.reject(cannot(error.message)),
  );
  try {
    const opened = await file.stat();
    if (!opened.isFile()) throw cannot(`${describeKind(opened)}, not a regular file`);
    if (opened.size > MAX_BYTES) throw cannot(`${opened.size} bytes; a targets file is at most ${MAX_BYTES}`);
    return await file.readFile('utf8');
  } finally {
    await file.close();
  }
}

function describeKind(s: import('node:fs').Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe), which would block until something writes to it';
  if (s.isSocket()) return 'a socket';
  // All stat(2) can still answer (it follows symbolic links): a character or a block device.
  return 'a device';
}

/** Validates parsed JSON as targets; `region`, when given, replaces the file's (`--region`, the SDK's chain). */
export function parseTargets(json: unknown, source = 'targets', region?: string): Targets {
  const input = region && isObject(json) ? { ...json, region } : json;
  const result = targetsSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(describeIssue);
  // The schema names a missing region only once the rest of the file's shape is right: name it first anyway.
  if (isObject(input) && input.region === undefined && !problems.some((p) => p.startsWith('region: ')))
    problems.unshift(`region: no region: ${noRegionHint()}`);
  throw new TargetsError(`${source} is not a valid targets file:\n  ${problems.join('\n  ')}`, problems);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length
    ? issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        // The file is an object, so a path starts with a key: drop that key's dot.
        .slice(1)
    : '(root)';
  return `${path}: ${issue.message}`;
}
