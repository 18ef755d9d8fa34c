/**
 * Where each statement of a policy document starts and ends in its text
 * (line and column, 1-based; the end is just past the closing brace), as
 * IAM's policy simulator reports matched statements
 * (`Statement.StartPosition` / `EndPosition`).
 */
export interface Position {
  Line: number;
  Column: number;
}

export interface Span {
  start: Position;
  end: Position;
}

/** Index just past the string starting at `i` (a `"`). */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
  return text.length;
}

/** Index of the bracket closing the one at `i`. */
function closing(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const ch = text[j];
    if (ch === '"') j = skipString(text, j) - 1;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return text.length - 1;
}

/** Index of the value of the top-level `Statement` key. */
function statementValue(text: string): number | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  let depth = 0;
  for (let j = start; j < text.length; j++) {
    const ch = text[j]!;
    if (ch === '"') {
      const end = skipString(text, j);
      const after = text.slice(end).match(/^\s*:\s*/);
      if (depth === 1 && text.slice(j + 1, end - 1) === 'Statement' && after) return end + after[0].length;
      j = end - 1;
    } else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return undefined;
}

function position(text: string, index: number): Position {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { Line: line, Column: index - before.lastIndexOf('\n') };
}

function span(text: string, open: number): Span {
  const close = closing(text, open);
  return { start: position(text, open), end: position(text, close + 1) };
}

/** Spans of the statements of `text`, in order; empty when the text cannot be scanned. */
export function statementSpans(text: string): Span[] {
  const at = statementValue(text);
  if (at === undefined) return [];
  if (text[at] === '{') return [span(text, at)];
  if (text[at] !== '[') return [];
  const spans: Span[] = [];
  const end = closing(text, at);
  for (let j = at + 1; j < end; j++) {
    const ch = text[j];
    if (ch === '"') j = skipString(text, j) - 1;
    else if (ch === '{') {
      spans.push(span(text, j));
      j = closing(text, j);
    } else if (ch === '[') j = closing(text, j);
  }
  return spans;
}
