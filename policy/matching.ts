/**
 * Matching a request's action and resource against a statement's patterns.
 *
 * - Action: "case-insensitive … can include a multi-character match
 *   wildcard (*) or a single-character match wildcard (?)" (IAM JSON policy
 *   elements: Action).
 * - Resource / ArnLike: "Each of the six colon-delimited components of the
 *   ARN is checked separately and each can include multi-character match
 *   wildcards (*) or single-character match wildcards (?)", case-sensitive
 *   (Resource; Condition operators, ARN). A pattern with fewer segments is
 *   padded with `*`, as IAM itself reads `arn:b:cadfsdf` as
 *   `arn:b:cadfsdf:*:*:*` in its MalformedPolicyDocument messages.
 * - Policy variables (`${aws:username}`) are substituted first, only in
 *   `2012-10-17` policies ("Policy variables"); a variable with no value in
 *   the request makes the element match nothing.
 */
import { type Lookup, substitute, type Template } from './variables.ts';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function templateToRegExp(parts: Template, flags: string): RegExp {
  const body = parts
    .map((p) =>
      'literal' in p
        ? escapeRegExp(p.literal)
        : p.glob
            .split('')
            .map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : escapeRegExp(c)))
            .join(''),
    )
    .join('');
  return new RegExp(`^${body}$`, flags);
}

/**
 * Matches `value` against a glob `pattern` (`*`, `?`), with policy variables
 * resolved through `vars` when given. `false` when a variable is missing.
 */
export function globMatch(
  pattern: string,
  value: string,
  options: { vars?: Lookup; ignoreCase?: boolean } = {},
): boolean {
  const parts = substitute(pattern, options.vars);
  if (!parts) return false;
  return templateToRegExp(parts, options.ignoreCase ? 'i' : '').test(value);
}

/** `s3:GetObject` against `s3:Get*`, `*`, `S3:getobject`. */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern, action, { ignoreCase: true });
}

/** Splits an ARN into its six parts; the last keeps any further colons. */
export function arnParts(arn: string): string[] {
  const parts = arn.split(':');
  const head = parts.slice(0, 5);
  while (head.length < 5) head.push('*');
  const rest = parts.length > 5 ? parts.slice(5).join(':') : '*';
  return [...head, rest];
}

/** ArnEquals / ArnLike / the Resource element: segment by segment. */
export function arnMatches(pattern: string, arn: string, vars?: Lookup): boolean {
  if (pattern === '*') return true;
  if (!pattern.startsWith('arn:') || !arn.startsWith('arn:'))
    return globMatch(pattern, arn, vars ? { vars } : {});
  const want = arnParts(pattern);
  const have = arnParts(arn);
  if (arn.split(':').length < 6) return globMatch(pattern, arn, vars ? { vars } : {});
  return want.every((p, i) => globMatch(p, have[i]!, vars ? { vars } : {}));
}

/** The Resource element: `*` matches everything, including requests on `*`. */
export function resourceMatches(pattern: string, resource: string, vars?: Lookup): boolean {
  if (pattern === '*') return true;
  if (resource === '*') return false;
  return arnMatches(pattern, resource, vars);
}

/** The account in an ARN (`arn:aws:iam::123456789012:role/x` → `123456789012`), if it has one. */
export function arnAccount(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}
