import { invalidNextToken, validationError } from '../errors.ts';

/**
 * SSM's NextToken pagination: an opaque token naming where the next page
 * starts. A token the twin did not issue is InvalidNextToken.
 */
export function paginate<T>(
  items: readonly T[],
  input: { MaxResults?: number; NextToken?: string },
  limits: { min: number; max: number; fallback: number },
): { page: T[]; NextToken?: string } {
  const size = input.MaxResults ?? limits.fallback;
  if (size < limits.min)
    validationFail(size, `Member must have value greater than or equal to ${limits.min}`);
  if (size > limits.max) validationFail(size, `Member must have value less than or equal to ${limits.max}`);
  let start = 0;
  if (input.NextToken) {
    const decoded = /^twin:(\d+)$/.exec(Buffer.from(input.NextToken, 'base64').toString('utf8'));
    if (!decoded) throw invalidNextToken();
    start = Number(decoded[1]);
  }
  const page = items.slice(start, start + size);
  const next =
    start + size < items.length ? Buffer.from(`twin:${start + size}`).toString('base64') : undefined;
  return { page, ...(next && { NextToken: next }) };
}

function validationFail(value: number, constraint: string): never {
  throw validationError('maxResults', value, constraint);
}
