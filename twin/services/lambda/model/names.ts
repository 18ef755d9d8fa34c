import { functionNotFound, validationError } from '../errors.ts';

/**
 * A function as callers name it (API reference, Invoke, FunctionName):
 * "Function name – my-function (name-only), my-function:v1 (with alias).
 * Function ARN – arn:aws:lambda:us-west-2:123456789012:function:my-function.
 * Partial ARN – 123456789012:function:my-function." The twin has only
 * $LATEST: any other qualifier names no function.
 */
export interface FunctionRef {
  accountId: string;
  region: string;
  name: string;
  qualifier?: string;
  /** The unqualified ARN. */
  arn: string;
}

const PATTERN =
  /^(?:arn:(aws[a-zA-Z-]*)?:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d{1}):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;

export function checkFunctionName(name: string | undefined, field = 'functionName'): string {
  if (name && name.length <= 64 && /^[a-zA-Z0-9-_]+$/.test(name)) return name;
  throw validationError(
    field,
    name ?? '',
    'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
  );
}

/**
 * Parses `ref` as the caller in `accountId`/`region` means it.
 *
 * @example parseFunctionRef('123456789012:function:probe', '444455556666', 'us-east-1').accountId // '123456789012'
 */
export function parseFunctionRef(ref: string | undefined, accountId: string, region: string): FunctionRef {
  const m = PATTERN.exec(ref ?? '');
  if (!m || (ref?.startsWith('arn:') && !ref.includes(':function:'))) checkFunctionName(undefined);
  const [, , arnRegion, arnAccount, name = '', qualifier] = m!;
  checkFunctionName(name);
  const parsed = {
    accountId: arnAccount ?? accountId,
    region: arnRegion ?? region,
    name,
    arn: `arn:aws:lambda:${arnRegion ?? region}:${arnAccount ?? accountId}:function:${name}`,
  };
  if (qualifier !== undefined && qualifier !== '$LATEST')
    throw functionNotFound(`${parsed.arn}:${qualifier}`);
  return qualifier ? { ...parsed, qualifier } : parsed;
}
