/**
 * Domain names as Route 53 keeps them: case-insensitive (stored lower
 * case), fully qualified with the trailing dot, and `*` returned as the
 * octal escape `\052` (Route 53 Developer Guide, "DNS domain name
 * format": API actions return characters other than a–z, 0–9, - and _ as
 * escape codes in the format \three-digit octal code).
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
 * A DNS name Route 53 accepts: at most 255 bytes in all, dots included,
 * and labels of at most 63 (same page, "Formatting domain names").
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
 * The key ListResourceRecordSets and ListHostedZonesByName sort by: "by
 * name with the labels reversed. For example: com.example.www." and
 * "alphabetized using the escaped value" (API Reference,
 * ListHostedZonesByName), so `*` sorts as `\052`.
 */
export function reversedLabels(name: string): string {
  return `${displayName(name).slice(0, -1).split('.').reverse().join('.')}.`;
}

/** ASCII order, as Route 53's listing compares names (not locale order). */
export function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
