/**
 * The part of POSIX shell syntax Run Command scripts for connectivity
 * checks use: words with quotes and escapes, `$?`, `;`, `&&`, `||`,
 * comments, and the redirections `2>&1`, `>/dev/null`, `2>/dev/null`,
 * `&>/dev/null`. Pipes, background jobs and redirections to files are
 * refused (see LIMITATIONS in ../../api.ts).
 */
export interface SimpleCommand {
  /** Words; `$?` is left as LAST_STATUS for expansion when the command runs. */
  argv: string[];
  stderrToStdout: boolean;
  stdoutToNull: boolean;
  stderrToNull: boolean;
}

/** How a command joins the one before it. */
export type Joiner = ';' | '&&' | '||';

export interface ListItem {
  joiner: Joiner;
  command: SimpleCommand;
}

export type ParsedLine = { items: ListItem[] } | { unsupported: string };

/** Marks an unquoted or double-quoted `$?`, expanded when the command runs. */
export const LAST_STATUS = '\u0000?';

const REDIRECTS: Record<string, Partial<SimpleCommand>> = {
  '2>&1': { stderrToStdout: true },
  '>/dev/null': { stdoutToNull: true },
  '1>/dev/null': { stdoutToNull: true },
  '2>/dev/null': { stderrToNull: true },
  '&>/dev/null': { stdoutToNull: true, stderrToNull: true },
};

type Token = { word: string } | { op: string } | { redirect: string };

const ENVIRONMENT: Record<string, string> = {
  HOME: '/root',
  USER: 'root',
  SHELL: '/bin/sh',
  PWD: '/usr/bin',
};

/** `$?`, `${?}`, `$NAME`, `${NAME}` at `i`: its text (unset variables are empty) and where it ends. */
function expandVariable(line: string, i: number): { text: string; next: number } {
  if (line[i + 1] === '?') return { text: LAST_STATUS, next: i + 2 };
  if (line.startsWith('$' + '{?}', i)) return { text: LAST_STATUS, next: i + 4 };
  const name = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/.exec(line.slice(i));
  if (!name) return { text: '$', next: i + 1 };
  return { text: ENVIRONMENT[name[1] ?? name[2]!] ?? '', next: i + name[0].length };
}

/** A double-quoted string starting after the opening quote: escapes and variables, up to the closing quote. */
function readDoubleQuoted(line: string, start: number): { text: string; next: number } {
  let text = '';
  let i = start;
  while (i < line.length && line[i] !== '"') {
    if (line[i] === '\\' && /["\\$`]/.test(line[i + 1] ?? '')) {
      text += line[i + 1];
      i += 2;
    } else if (line[i] === '$') {
      const v = expandVariable(line, i);
      text += v.text;
      i = v.next;
    } else {
      text += line[i];
      i += 1;
    }
  }
  return { text, next: i + 1 };
}

/** One word starting at `start`, quotes joined, up to an unquoted blank or operator. */
function readWord(line: string, start: number): { word: string; next: number } {
  let word = '';
  let i = start;
  while (i < line.length && !/[\s;&|]/.test(line[i]!)) {
    const c = line[i]!;
    let part: { text: string; next: number };
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      part = { text: line.slice(i + 1, end < 0 ? line.length : end), next: end < 0 ? line.length : end + 1 };
    } else if (c === '"') part = readDoubleQuoted(line, i + 1);
    else if (c === '\\') part = { text: line[i + 1] ?? '', next: i + 2 };
    else if (c === '$') part = expandVariable(line, i);
    else part = { text: c, next: i + 1 };
    word += part.text;
    i = part.next;
  }
  return { word, next: i };
}

const REDIRECT = /^(?:[12]?>&[12]|&>\s*[^\s;&|]+|[12]?>>?\s*[^\s;&|]+|<\s*[^\s;&|]+)/;

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const rest = line.slice(i);
    const redirect = REDIRECT.exec(rest);
    if (/^\s/.test(rest)) i += 1;
    else if (rest.startsWith('#')) break;
    else if (redirect) {
      tokens.push({ redirect: redirect[0].replace(/\s+/g, '') });
      i += redirect[0].length;
    } else if (/^(&&|\|\|)/.test(rest)) {
      tokens.push({ op: rest.slice(0, 2) });
      i += 2;
    } else if (/^[;|&]/.test(rest)) {
      tokens.push({ op: rest[0]! });
      i += 1;
    } else {
      const w = readWord(line, i);
      tokens.push({ word: w.word });
      i = w.next;
    }
  }
  return tokens;
}

function emptyCommand(): SimpleCommand {
  return { argv: [], stderrToStdout: false, stdoutToNull: false, stderrToNull: false };
}

/**
 * Parses one line of a script into commands joined by `;`, `&&`, `||`.
 *
 * @example parseLine('ping -c 1 10.0.0.1 && echo ok') // { items: [{ joiner: ';', … }, { joiner: '&&', … }] }
 */
export function parseLine(line: string): ParsedLine {
  const items: ListItem[] = [];
  let joiner: Joiner = ';';
  let current = emptyCommand();
  const flush = () => {
    if (current.argv.length) items.push({ joiner, command: current });
    current = emptyCommand();
  };
  for (const token of tokenize(line)) {
    if ('word' in token) current.argv.push(token.word);
    else if ('redirect' in token) {
      const effect = REDIRECTS[token.redirect];
      if (!effect) return { unsupported: token.redirect };
      Object.assign(current, effect);
    } else if (token.op === ';' || token.op === '&&' || token.op === '||') {
      flush();
      joiner = token.op;
    } else return { unsupported: token.op };
  }
  flush();
  return { items };
}
