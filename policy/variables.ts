/**
 * Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`,
 * `${aws:username, 'default'}`, and the escapes `${*}`, `${?}`, `${$}` that
 * stand for the literal characters (IAM policy elements: "Variables and
 * tags", docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 * "If there is no value … the policy variable … is not replaced" and the
 * element does not match; a multivalued key cannot be used as a variable.
 */

/** Reads a request context key (case-insensitively); `undefined` when absent. */
export type Lookup = (key: string) => readonly string[] | undefined;

/** Pattern text split into parts that keep their wildcards and parts that are literal. */
export type Template = ({ glob: string } | { literal: string })[];

const VARIABLE = /\$\{([^}]*)\}/g;
const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

function resolve(expr: string, vars: Lookup): string | undefined {
  const trimmed = expr.trim();
  if (trimmed in ESCAPES) return ESCAPES[trimmed];
  const comma = /^([^,]+),\s*'([^']*)'$/.exec(trimmed);
  const key = comma ? comma[1]!.trim() : trimmed;
  const values = vars(key);
  if (values && values.length === 1) return values[0];
  return comma ? comma[2] : undefined;
}

/**
 * Splits `text` into wildcard-bearing and literal parts, resolving variables
 * through `vars`. Without `vars` (policies older than 2012-10-17) `${…}` is
 * plain text. Returns `undefined` when a variable has no value.
 */
export function substitute(text: string, vars: Lookup | undefined): Template | undefined {
  if (!vars || !text.includes('${')) return [{ glob: text }];
  const parts: Template = [];
  let last = 0;
  for (const m of text.matchAll(VARIABLE)) {
    if (m.index > last) parts.push({ glob: text.slice(last, m.index) });
    const value = resolve(m[1]!, vars);
    if (value === undefined) return undefined;
    parts.push({ literal: value });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ glob: text.slice(last) });
  return parts;
}

/** Resolves variables into plain text (for condition values compared exactly). */
export function substituteText(text: string, vars: Lookup | undefined): string | undefined {
  const parts = substitute(text, vars);
  return parts?.map((p) => ('literal' in p ? p.literal : p.glob)).join('');
}
