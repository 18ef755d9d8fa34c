/** A request as the server read it, before any protocol looked at it. */
export interface WireRequest {
  method: string;
  /** Raw path, still percent-encoded, without the query. */
  path: string;
  /** Raw query string without `?`. */
  rawQuery: string;
  /** Lower-case header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** Query parameters decoded, keeping repeats (`?a=1&a=2`) and value-less keys (`?policy`). */
export function queryParams(raw: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!raw) return out;
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decode(part.slice(eq + 1));
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

function decode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

export const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';
