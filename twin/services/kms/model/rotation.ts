import { disabled, pendingDeletion, unsupported, validation } from '../errors.ts';
import { keyState } from './keys.ts';
import type { KeyRecord } from './state.ts';

const DAY_MS = 86_400_000;

/**
 * RotationPeriodInDays: "Minimum value of 90. Maximum value of 2560", and
 * without it KMS rotates "one year (approximately 365 days) from the enable
 * date and every year thereafter" (API_EnableKeyRotation).
 */
export const ROTATION_PERIOD_MIN = 90;
export const ROTATION_PERIOD_MAX = 2560;
export const ROTATION_PERIOD_DEFAULT = 365;

/** Input constraints come first, before the key is looked up or authorized. */
export function checkPeriod(days: number): void {
  if (Number.isInteger(days) && days >= ROTATION_PERIOD_MIN && days <= ROTATION_PERIOD_MAX) return;
  throw validation(
    `1 validation error detected: Value '${days}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value ${days < ROTATION_PERIOD_MIN ? `greater than or equal to ${ROTATION_PERIOD_MIN}` : `less than or equal to ${ROTATION_PERIOD_MAX}`}`,
  );
}

/**
 * Enable and DisableKeyRotation change a key that is Enabled only ("Key
 * states of AWS KMS keys": a Disabled key answers DisabledException, a key
 * pending deletion KMSInvalidStateException), and never an AWS managed key:
 * "You cannot enable or disable automatic rotation of AWS managed KMS keys"
 * (API_EnableKeyRotation). Their key policies grant no kms:EnableKeyRotation,
 * so a caller normally meets AccessDenied first.
 */
function requireRotatable(key: KeyRecord): void {
  if (key.manager === 'AWS')
    throw unsupported(`You cannot change the automatic rotation of AWS managed key ${key.arn}.`);
  const state = keyState(key);
  if (state === 'PendingDeletion') throw pendingDeletion(key.arn);
  if (state === 'Disabled') throw disabled(key.arn);
}

/** Enables rotation, or changes the period of a key that rotates already (counted from the enable date). */
export function enableRotation(key: KeyRecord, now: number, periodDays: number | undefined): void {
  if (periodDays !== undefined) checkPeriod(periodDays);
  requireRotatable(key);
  key.rotation = {
    periodDays: periodDays ?? key.rotation?.periodDays ?? ROTATION_PERIOD_DEFAULT,
    enabledAt: key.rotation?.enabledAt ?? now,
  };
}

export function disableRotation(key: KeyRecord): void {
  requireRotatable(key);
  delete key.rotation;
}

export interface RotationStatus {
  enabled: boolean;
  periodDays?: number;
  nextRotation?: number;
}

/**
 * GetKeyRotationStatus: AWS managed keys always rotate, yearly; "While a KMS
 * key is pending deletion, its key rotation status is false", and a disabled
 * key keeps its status ("Key states of AWS KMS keys"; API_GetKeyRotationStatus).
 * The next rotation is the first period boundary after now.
 */
export function rotationStatus(key: KeyRecord, now: number): RotationStatus {
  if (keyState(key) === 'PendingDeletion') return { enabled: false };
  const rotation =
    key.manager === 'AWS' ? { periodDays: ROTATION_PERIOD_DEFAULT, enabledAt: key.createdAt } : key.rotation;
  if (!rotation) return { enabled: false };
  const period = rotation.periodDays * DAY_MS;
  const elapsed = Math.max(0, now - rotation.enabledAt);
  return {
    enabled: true,
    periodDays: rotation.periodDays,
    nextRotation: rotation.enabledAt + (Math.floor(elapsed / period) + 1) * period,
  };
}
