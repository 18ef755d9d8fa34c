/**
 * Domain names as Route 53 keeps them: lower case, fully qualified with the
 * trailing dot, `*` written `\052` in answers ("DNS domain name format",
 * Route 53 Developer Guide: "Route 53 … returns names … in lowercase" and
 * escapes characters other than a–z, 0–9, - and . as three-digit octal).
 */

/** `Api.Example.COM` → `api.example.com.`; `\052` read back as `*`. */
export function normalizeName(name: string): string {
  const lower = name
    .trim()
    .toLowerCase()
    .replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** The name as Route 53 answers it: `*` escaped as `\052`. */
export function displayName(name: string): string {
  return name.replace(/\*/g, '\\052');
}

/**
 * A DNS name Route 53 accepts: labels of 1–63 characters, at most 255 in
 * all ("DNS domain name format": "the total length … can't exceed 255
 * bytes, including the dots"; "each label can be up to 63 bytes long").
 */
export function isValidDomainName(name: string): boolean {
  if (name.length > 255 || name === '.') return false;
  return name
    .slice(0, -1)
    .split('.')
    .every((label) => label.length >= 1 && label.length <= 63 && /^[\x21-\x7e]+$/.test(label));
}

/** Whether `name` is `zone` or inside it. */
export function isWithin(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/**
 * The key ListResourceRecordSets and ListHostedZonesByName sort by: "by DNS
 * name with the labels reversed, for example: com.example.www." (Route 53
 * API Reference, ListResourceRecordSets, "Sort order"), compared as ASCII.
 */
export function reversedLabels(name: string): string {
  return `${name.slice(0, -1).split('.').reverse().join('.')}.`;
}

/** ASCII order, as Route 53's listing compares names (not locale order). */
export function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
