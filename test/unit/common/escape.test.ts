import { describe, expect, test } from 'vitest';
import { markup, printable, safeJson, terminalText } from '../../../common/escape.ts';
import { renderHtml } from '../../../reports/html.ts';
import { renderJson } from '../../../reports/json.ts';
import { renderJunit } from '../../../reports/junit.ts';
import { sampleModel, sampleTests } from '../../fixtures/reports/model.ts';

const NASTY = 'App\u001b[2J\u001b[31m-VPC\nmeshcheck: exit 0\u0000\u202Egpj.exe';
const RAW = ['\u0000', '\u001b', '\u202e'];

describe('names are data: one escaper', () => {
  test('control characters, escapes, line breaks and bidi overrides become visible escapes', () => {
    expect(printable(NASTY)).toBe('App\\x1b[2J\\x1b[31m-VPC\\nmeshcheck: exit 0\\0\\u{202E}gpj.exe');
    expect(printable('tab\there\r\u0085\u2066x\u2069')).toBe('tab\\there\\r\\x85\\u{2066}x\\u{2069}');
    expect(printable('plain → ümlaut 名前')).toBe('plain → ümlaut 名前');
  });

  test('with lines, the program’s own line breaks and tabs stay; everything else is still escaped', () => {
    expect(printable('a\n\tb\u001b[0m\u202e', { lines: true })).toBe('a\n\tb\\x1b[0m\\u{202E}');
  });

  test('terminal text: no line a message carries can start at the beginning of a log line', () => {
    const text = terminalText(`meshcheck: no VPC named "${NASTY}"\nmeshcheck: exit 0`);
    expect(text.split('\n').filter((line) => line.startsWith('meshcheck:'))).toHaveLength(1);
    expect(text).toContain('\n  meshcheck: exit 0');
    expect(RAW.filter((c) => text.includes(c))).toEqual([]);
  });

  test('JSON keeps the value and escapes the reordering characters', () => {
    const json = safeJson(JSON.stringify({ name: NASTY }));
    expect(RAW.filter((c) => json.includes(c))).toEqual([]);
    expect(JSON.parse(json).name).toBe(NASTY);
  });

  test('JUnit, HTML and results.json show the name escaped', () => {
    const tests = sampleTests();
    tests[0]!.name = `N1 ${NASTY} is 10.0.0.0/16`;
    tests[0]!.message = `no VPC named ${NASTY}`;
    const model = sampleModel({ tests });
    for (const text of [renderJunit(model), renderHtml(model), renderJson(model)])
      expect(RAW.filter((c) => text.includes(c))).toEqual([]);
    expect(renderJunit(model)).toContain(
      'N1 App\\x1b[2J\\x1b[31m-VPC\\nmeshcheck: exit 0\\0\\u{202E}gpj.exe',
    );
    expect(renderHtml(model)).toContain('\\u{202E}gpj.exe');
  });
});

describe('markup: the one XML/HTML escaper (reports and the twin wire)', () => {
  test('the five markup characters become XML’s predefined entities', () => {
    expect(markup(`<Code>Tom & "Jerry's"</Code>`)).toBe(
      '&lt;Code&gt;Tom &amp; &quot;Jerry&apos;s&quot;&lt;/Code&gt;',
    );
  });

  test('characters XML 1.0 cannot carry are dropped, the rest of the text stays', () => {
    expect(markup('a\u0000b\uFFFEc\ud800d é 🙂')).toBe('abcd é 🙂');
    expect(markup('line\nnext\ttab')).toBe('line\nnext\ttab');
  });

  test('an escaped value parses back to itself', async () => {
    const { XMLParser } = await import('fast-xml-parser');
    const text = `Value (10.0.1.5/16) for parameter cidrBlock is invalid. "It's" <not> & done`;
    const parsed = new XMLParser().parse(`<Message>${markup(text)}</Message>`);
    expect(parsed.Message).toBe(text);
  });
});
