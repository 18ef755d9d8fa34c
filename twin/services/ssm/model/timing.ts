import type { LatencyProfile } from '../../../state/profile.ts';

/**
 * How long a command's real duration lasts on the twin's clock. In the
 * `fast` profile a real second is a twin millisecond, so `ping -c 3` still
 * takes longer than `echo` but tests do not wait; `realistic` keeps real
 * seconds, scaled by the profile.
 *
 * @example modelledMs(2003, profileNamed('fast')) // 3
 */
export function modelledMs(realMs: number, profile: LatencyProfile): number {
  if (realMs <= 0) return 0;
  return profile.name === 'fast' ? Math.ceil(realMs / 1000) : Math.round(realMs * profile.scale);
}

/** ISO-8601 duration as SSM writes ExecutionElapsedTime: `PT0.044S`, `PT2.003S`. */
export function isoDuration(ms: number): string {
  return `PT${(ms / 1000).toFixed(3)}S`;
}

/** SSM's string timestamps (ExecutionStartDateTime): `2026-01-01T00:00:02.003Z`. */
export function ssmTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
