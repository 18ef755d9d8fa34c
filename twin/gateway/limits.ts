import { AwsError } from '../core/errors.ts';

/**
 * Limits AWS puts on input before any operation runs, enforced by the gateway
 * so that no handler meets input AWS would have refused. Each cites what AWS
 * answers; a service's own per-field rules stay in its handlers.
 */
type Limit = (operation: string, input: Record<string, unknown>) => void;

/**
 * EC2 describe filters: at most 200 filter values in one call, each at most
 * 255 characters. AWS answers `FilterLimitExceeded` (400) with "The maximum
 * number of filter values specified on a single call is 200" and "The maximum
 * length for a filter value is 255 characters" (as botocore and the Go SDK
 * print them: ansible/ansible#84327, gjbae1212/gossm#47); the code is listed
 * in "Error codes for the Amazon EC2 API" (the request uses too many filters
 * or too many filter values).
 */
export const EC2_FILTER_VALUE_MAX_LENGTH = 255;
export const EC2_FILTER_VALUES_MAX = 200;

const ec2Filters: Limit = (_operation, input) => {
  const filters = input.Filters;
  if (!Array.isArray(filters)) return;
  let count = 0;
  for (const filter of filters as { Values?: unknown }[]) {
    const values = Array.isArray(filter?.Values) ? (filter.Values as unknown[]) : [];
    count += values.length;
    for (const v of values)
      if (typeof v === 'string' && v.length > EC2_FILTER_VALUE_MAX_LENGTH)
        throw new AwsError(
          'FilterLimitExceeded',
          `The maximum length for a filter value is ${EC2_FILTER_VALUE_MAX_LENGTH} characters`,
          { status: 400 },
        );
  }
  if (count > EC2_FILTER_VALUES_MAX)
    throw new AwsError(
      'FilterLimitExceeded',
      `The maximum number of filter values specified on a single call is ${EC2_FILTER_VALUES_MAX}`,
      { status: 400 },
    );
};

const limitsBySigningName: Record<string, Limit[]> = {
  ec2: [ec2Filters],
};

export function enforceLimits(signingName: string, operation: string, input: Record<string, unknown>): void {
  for (const limit of limitsBySigningName[signingName] ?? []) limit(operation, input);
}
