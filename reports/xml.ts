/**
 * Just enough XML writing for JUnit: escaping that keeps any input valid
 * XML 1.0, and a tiny element builder.
 */
import { printable } from './escape.ts';

/** Characters XML 1.0 cannot carry at all, even escaped (https://www.w3.org/TR/xml/#charsets). */
const INVALID_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe for element content: control and reordering characters made visible (one escaper), markup escaped. */
export function xmlText(value: string): string {
  return printable(value, { lines: true })
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Text safe inside a double-quoted attribute; line breaks survive as character references. */
export function xmlAttr(value: string | number): string {
  return xmlText(String(value))
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

export type Attrs = Record<string, string | number | undefined>;

/** `<name a="…">children</name>`, or self-closing without children; undefined attributes are left out. */
export function element(name: string, attrs: Attrs, children: readonly string[] = []): string {
  const pairs = Object.entries(attrs)
    .filter((pair): pair is [string, string | number] => pair[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttr(value)}"`)
    .join('');
  if (children.length === 0) return `<${name}${pairs}/>`;
  return `<${name}${pairs}>${children.join('')}</${name}>`;
}
