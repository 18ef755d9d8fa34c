import { invalidParameter, validationError } from '../errors.ts';

/**
 * CloudWatch Logs' nextToken pagination over a list the caller sees in a
 * fixed order: an opaque token naming where the next page starts. A token
 * the twin did not issue is InvalidParameterException, as AWS answers it.
 */
export function paginate<T>(
  items: readonly T[],
  input: { limit?: number | undefined; nextToken?: string | undefined },
  max: number,
): { page: T[]; nextToken?: string } {
  const size = checkLimit(input.limit, max, max);
  const start = input.nextToken ? decodeToken(input.nextToken) : 0;
  const page = items.slice(start, start + size);
  return start + size < items.length ? { page, nextToken: encodeToken(start + size) } : { page };
}

/** `limit`: 1 to `max`, `fallback` when absent. */
export function checkLimit(limit: number | undefined, max: number, fallback: number): number {
  if (limit === undefined) return fallback;
  if (limit < 1) throw validationError('limit', limit, 'Member must have value greater than or equal to 1');
  if (limit > max)
    throw validationError('limit', limit, `Member must have value less than or equal to ${max}`);
  return limit;
}

export function encodeToken(offset: number, kind = 'n'): string {
  return Buffer.from(`twin:${kind}:${offset}`).toString('base64');
}

export function decodeToken(token: string, kind = 'n'): number {
  const m = /^twin:(\w):(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!m || m[1] !== kind) throw invalidParameter('The specified nextToken is invalid.');
  return Number(m[2]);
}
