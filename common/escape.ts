/**
 * Names are data: a VPC, bucket or function name from targets or from AWS
 * may carry terminal escapes (`\x1b[2J`), a line break that forges a
 * `meshcheck: exit 0` line in a CI log, a NUL, or a right-to-left override
 * that makes `exe.txt` read as `txt.exe`. The one escaper: every such
 * character becomes a visible `\x1b` / `\n` / `\u{202E}`, so a person sees
 * what is there and nothing is executed, reordered or hidden. The terminal,
 * JUnit (reports/xml.ts) and HTML (reports/html-evidence.ts) all go through
 * it, then through {@link markup}, the one XML/HTML escaper, which the
 * twin's wire (twin/protocols/xml.ts) uses too: that is why this file lives
 * in common/, which the suite and the twin may both import.
 */

/**
 * C0 controls and DEL, C1 controls, and the Unicode format characters that
 * reorder or hide text: bidi embeddings, overrides and isolates (U+202A–E,
 * U+2066–9), marks (U+200E/F, U+061C), zero-width and line/paragraph
 * separators, the BOM (https://www.unicode.org/reports/tr9/#Explicit_Directional_Formatting_Characters).
 */
const REORDERING = '\\u061c\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff';
const UNSAFE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${REORDERING}]`, 'gu');
const UNSAFE_BUT_LINES = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${REORDERING}]`, 'gu');

const NAMED: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u001b': '\\x1b',
  '\0': '\\0',
};

function visible(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.codePointAt(0) ?? 0;
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u{${code.toString(16).toUpperCase()}}`;
}

/**
 * Text made safe to show: every control and text-reordering character made
 * visible. With `lines`, line breaks and tabs stay (multi-line text whose
 * lines are the program's own, as JUnit's `<system-out>` or an HTML `<pre>`).
 */
export function printable(value: unknown, options: { lines?: boolean } = {}): string {
  const text = typeof value === 'string' ? value : String(value ?? '');
  return text.replace(options.lines ? UNSAFE_BUT_LINES : UNSAFE, visible);
}

/**
 * A message for the terminal or a CI log, one line per line of the program's
 * own text: each line made {@link printable}, and every line after the first
 * indented, so no text a message carries can start a line of its own — a
 * forged `meshcheck: exit 0` can never stand at the start of a log line.
 */
export function terminalText(message: string): string {
  return message
    .split(/\r?\n/)
    .map((line, i) => (i === 0 || /^\s/.test(line) ? printable(line) : `  ${printable(line)}`))
    .join('\n');
}

/** JSON with the text-reordering characters as `\uXXXX` escapes: the same value, read safely. */
export function safeJson(json: string): string {
  return json.replace(
    new RegExp(`[\\u0080-\\u009f${REORDERING}]`, 'gu'),
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** Characters XML 1.0 cannot carry at all, even escaped (https://www.w3.org/TR/xml/#charsets). */
const INVALID_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Text safe as XML or HTML element content or a quoted attribute value: the
 * five characters markup gives meaning to become XML's predefined entities
 * (which HTML5 knows too), and characters XML 1.0 cannot carry at all are
 * dropped. It escapes markup only; text for a person goes through
 * {@link printable} first.
 *
 * @example markup(`<a href="x">Tom & Jerry's</a>`) // '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;'
 */
export function markup(text: string): string {
  return text.replace(INVALID_XML, '').replace(/[&<>"']/g, (c) => ENTITY[c]!);
}
