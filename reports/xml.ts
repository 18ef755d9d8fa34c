/**
 * Just enough XML writing for JUnit: escaping that keeps any input valid
 * XML 1.0, and a tiny element builder.
 */
import { markup, printable } from '../common/escape.ts';

/** Text safe for element content: control and reordering characters made visible (one escaper), markup escaped. */
export function xmlText(value: string): string {
  return markup(printable(value, { lines: true }));
}

/**
 * Text safe inside a double-quoted attribute. Attribute values are one line (names, messages, property
 * values), so a line break in one is data and shown as `\n`, never a line of its own.
 */
export function xmlAttr(value: string | number): string {
  return markup(printable(String(value)));
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
