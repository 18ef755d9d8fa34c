import type { Twin } from '../../../twin.ts';
import { validationError } from '../errors.ts';
import type { InstanceProfileState, ManagedPolicyState, RoleState, UserState } from './state.ts';

/**
 * IAM state of one account. Operations live beside it, one file per
 * resource family (model/roles.ts, model/policies.ts, …), as plain
 * functions of the model. Names are unique regardless of case ("Role names
 * are not distinguished by case"), so maps are keyed by the lower-cased name.
 */
export class IamModel {
  readonly roles = new Map<string, RoleState>();
  readonly users = new Map<string, UserState>();
  /** Customer managed policies by ARN. */
  readonly policies = new Map<string, ManagedPolicyState>();
  readonly instanceProfiles = new Map<string, InstanceProfileState>();

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
    /** The IAM model of another account (trust policies name principals of other accounts). */
    readonly peer: (accountId: string) => IamModel,
  ) {}

  now(): number {
    return this.twin.clock.now();
  }

  /** `arn:aws:iam::ACCOUNT:role/PATH/NAME` */
  arn(kind: 'role' | 'user' | 'policy' | 'instance-profile', path: string, name: string): string {
    return `arn:aws:iam::${this.accountId}:${kind}${path}${name}`;
  }
}

/**
 * Checks a Path parameter: "/" by default, else it must begin and end with
 * a slash (IAM API Reference, CreateRole: Path, pattern `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`).
 */
export function checkPath(path: string | undefined): string {
  const p = path ?? '/';
  if (p === '/' || /^\/[\x21-\x7E]+\/$/.test(p)) return p;
  throw validationError(
    `1 validation error detected: Value '${p}' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)`,
  );
}

/** Checks an entity name: 1–64 (128 for policies) of `[\w+=,.@-]` (IAM API Reference, RoleName). */
export function checkName(name: string | undefined, member: string, max = 64): string {
  if (name && name.length <= max && /^[\w+=,.@-]+$/.test(name)) return name;
  throw validationError(
    `1 validation error detected: Value '${name ?? ''}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
  );
}

/**
 * One page of a list, IAM style: `MaxItems` (default 100) and an opaque
 * `Marker` to continue from (IAM API Reference, "Marker", "IsTruncated").
 */
export function page<T>(items: T[], marker: string | undefined, maxItems: number | undefined) {
  const start = marker ? Number(Buffer.from(marker, 'base64').toString('utf8')) || 0 : 0;
  const size = maxItems && maxItems > 0 ? maxItems : 100;
  const slice = items.slice(start, start + size);
  const next = start + size;
  const truncated = next < items.length;
  return {
    items: slice,
    IsTruncated: truncated,
    ...(truncated && { Marker: Buffer.from(String(next)).toString('base64') }),
  };
}
