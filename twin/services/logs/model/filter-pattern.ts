import { globMatch } from '../../ec2/filters.ts';
import { invalidParameter } from '../errors.ts';

/**
 * CloudWatch Logs filter patterns for unstructured and JSON events
 * ("Filter pattern syntax for metric filters, subscription filters, filter
 * log events, and Live Tail", CloudWatch Logs User Guide):
 * - terms separated by spaces must all appear ("ERROR Exception"); a term
 *   in double quotes is an exact phrase and may hold any character;
 * - `?term ?term` matches events holding any of the terms;
 * - `-term` excludes events holding the term;
 * - `%regex%` is a regular expression;
 * - `{ $.field = value }` compares a JSON field (`=`, `!=`, `<`, `<=`, `>`,
 *   `>=`; `*` wildcards in strings), joined with `&&` or `||`.
 * Matching is case-sensitive. Space-delimited patterns (`[a, b]`) are not
 * interpreted (declared in LIMITATIONS).
 */
export type Matcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const text = (pattern ?? '').trim();
  if (!text) return () => true;
  if (text.startsWith('{')) return jsonMatcher(text);
  if (text.startsWith('['))
    throw invalidParameter('The twin does not interpret space-delimited filter patterns.');
  if (/^%.*%$/s.test(text)) return regexMatcher(text.slice(1, -1));
  return termMatcher(tokenize(text));
}

function regexMatcher(source: string): Matcher {
  try {
    const re = new RegExp(source);
    return (m) => re.test(m);
  } catch {
    throw invalidParameter('Invalid character(s) in term');
  }
}

/** Splits on spaces, keeping `"quoted phrases"` (and their `?`/`-` prefix) whole. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /([?-]?)"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of text.matchAll(re)) {
    tokens.push(m[3] ?? `${m[1]}\u0000${m[2]!.replace(/\\(.)/g, '$1')}`);
  }
  return tokens;
}

function termMatcher(tokens: string[]): Matcher {
  const optional: string[] = [];
  const required: string[] = [];
  const excluded: string[] = [];
  for (const token of tokens) {
    const quoted = token.includes('\u0000');
    const [sign, term] = quoted ? (token.split('\u0000') as [string, string]) : splitSign(token);
    if (!quoted && !/^[\w.:/@#=,;-]+$/.test(term)) {
      throw invalidParameter('Invalid character(s) in term');
    }
    (sign === '?' ? optional : sign === '-' ? excluded : required).push(term);
  }
  return (message) =>
    required.every((t) => message.includes(t)) &&
    !excluded.some((t) => message.includes(t)) &&
    (optional.length === 0 || optional.some((t) => message.includes(t)));
}

function splitSign(token: string): [string, string] {
  return token.length > 1 && (token[0] === '?' || token[0] === '-')
    ? [token[0], token.slice(1)]
    : ['', token];
}

type Comparison = { path: string[]; op: string; value: string | number };

function jsonMatcher(text: string): Matcher {
  const body = /^\{(.*)\}$/s.exec(text)?.[1]?.trim();
  if (!body) throw invalidParameter('Invalid filter pattern');
  const or = body.includes('||');
  const parts = body.split(or ? '||' : '&&').map((p) => parseComparison(p.trim()));
  return (message) => {
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    const results = parts.map((c) => compare(c, doc));
    return or ? results.some(Boolean) : results.every(Boolean);
  };
}

function parseComparison(text: string): Comparison {
  const m = /^\$\.([\w.[\]-]+)\s*(=|!=|<=|>=|<|>)\s*(.+)$/.exec(text);
  if (!m) throw invalidParameter(`Invalid filter pattern near: ${text}`);
  const raw = m[3]!.trim();
  const quoted = /^"(.*)"$/.exec(raw);
  const value = quoted ? quoted[1]! : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  return { path: m[1]!.replace(/\[(\d+)\]/g, '.$1').split('.'), op: m[2]!, value };
}

function compare(c: Comparison, doc: unknown): boolean {
  let v: unknown = doc;
  for (const key of c.path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  if (v === undefined) return false;
  if (typeof c.value === 'number') {
    const n = Number(v);
    if (Number.isNaN(n)) return false;
    return {
      '=': n === c.value,
      '!=': n !== c.value,
      '<': n < c.value,
      '<=': n <= c.value,
      '>': n > c.value,
      '>=': n >= c.value,
    }[c.op]!;
  }
  // Wildcards matched in linear time: a `.*` regular expression backtracked exponentially on `a*a*…b`.
  const equal = globMatch(c.value, String(v), null);
  return c.op === '!=' ? !equal : c.op === '=' ? equal : false;
}
