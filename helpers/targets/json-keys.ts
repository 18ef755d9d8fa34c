/**
 * Duplicate keys in a JSON text. JSON.parse keeps the last of two equal keys
 * silently ("The names within an object SHOULD be unique", RFC 8259 §4), so
 * a file saying two things would be checked for one of them. No installed
 * package reports duplicates (json5 keeps the last too; no jsonc or
 * source-map parser is a dependency), so this small scanner walks the text
 * once JSON.parse has accepted it: it only has to find strings, brackets,
 * colons and commas, never to validate.
 *
 * @example
 *   duplicateKeys('{"a": 1, "a": 2}') // → ['a: duplicate key (JSON keeps the last one)']
 */
export function duplicateKeys(text: string): string[] {
  type Frame =
    | { kind: 'object'; keys: Set<string>; key?: string; path: string }
    | { kind: 'array'; index: number; path: string };
  const stack: Frame[] = [];
  const found: string[] = [];
  let expectKey = false;
  const here = (): string => {
    const top = stack.at(-1);
    if (!top) return '';
    return top.kind === 'array' ? `${top.path}[${top.index}]` : join(top.path, top.key ?? '');
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = endOfString(text, i);
      const top = stack.at(-1);
      if (expectKey && top?.kind === 'object') {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) found.push(`${join(top.path, key)}: duplicate key (JSON keeps the last one)`);
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = end;
    } else if (c === '{') {
      stack.push({ kind: 'object', keys: new Set(), path: here() });
      expectKey = true;
    } else if (c === '[') {
      stack.push({ kind: 'array', index: 0, path: here() });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack.at(-1);
      if (top?.kind === 'array') top.index += 1;
      else expectKey = true;
    }
  }
  return found;
}

function join(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/** Index of the quote closing the string that opens at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}
