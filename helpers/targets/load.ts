import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { TargetsError } from '../errors.ts';
import { type Targets, targetsSchema } from './schema.ts';

/**
 * Reads and validates a targets file. Nothing here calls AWS: a bad file
 * stops the run before any request, naming each field and why.
 *
 * @example
 *   const targets = await loadTargets('targets.example.json');
 */
export async function loadTargets(path: string): Promise<Targets> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TargetsError(`cannot read targets file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TargetsError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseTargets(json, path);
}

export function parseTargets(json: unknown, source = 'targets'): Targets {
  const result = targetsSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map(describeIssue);
  throw new TargetsError(`${source} is not a valid targets file:\n  ${problems.join('\n  ')}`, problems);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length
    ? issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '')
    : '(root)';
  return `${path}: ${issue.message}`;
}
