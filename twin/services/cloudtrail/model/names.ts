import { invalidTrailName } from '../errors.ts';

/**
 * Trail name rules (API_CreateTrail, Name): "Contain only ASCII letters
 * (a-z, A-Z), numbers (0-9), periods (.), underscores (_), or dashes (-);
 * Start with a letter or number, and end with a letter or number; Be
 * between 3 and 128 characters; Have no adjacent periods, underscores or
 * dashes …; Not be in IP address format". Messages as moto records them.
 */
export function checkTrailName(name: string | undefined): string {
  const n = name ?? '';
  if (n.length < 3)
    throw invalidTrailName(
      `Trail name too short. Minimum allowed length: 3 characters. Specified name length: ${n.length} characters.`,
    );
  if (n.length > 128)
    throw invalidTrailName(
      `Trail name too long. Maximum allowed length: 128 characters. Specified name length: ${n.length} characters.`,
    );
  if (!/^[0-9a-zA-Z]/.test(n)) throw invalidTrailName('Trail name must starts with a letter or number.');
  if (!/[0-9a-zA-Z]$/.test(n)) throw invalidTrailName('Trail name must ends with a letter or number.');
  if (!/^[.\-_0-9a-zA-Z]+$/.test(n) || /[._-]{2}/.test(n) || /^\d+\.\d+\.\d+\.\d+$/.test(n)) {
    throw invalidTrailName(
      'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).',
    );
  }
  return n;
}

const TRAIL_ARN = /^arn:aws[\w-]*:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

export function parseTrailArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const m = TRAIL_ARN.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : undefined;
}

export function trailArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
}
