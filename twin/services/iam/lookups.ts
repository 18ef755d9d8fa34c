import type { Twin } from '../../twin.ts';

/**
 * What other services need to know of IAM, without reaching into its model:
 * the role behind an instance profile (the SSM agent and instance
 * credentials run as it). Placeholder until the IAM service lands: knows no
 * profiles.
 */
export function findInstanceProfileRole(
  _twin: Twin,
  _instanceProfileArn: string,
): { roleArn: string; roleId: string; roleName: string } | undefined {
  return undefined;
}
