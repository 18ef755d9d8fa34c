import type { Filter } from '@aws-sdk/client-ec2';
import { AwsError } from '../../core/errors.ts';
import type { Tags } from './model/state.ts';

/**
 * EC2 describe filters (docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html#Filtering):
 * values OR within a filter, filters AND across; `*` and `?` are wildcards;
 * `tag:Key`, `tag-key` and `tag-value` work on every tagged resource. An
 * unknown filter name is an error, as in AWS.
 */
export type FilterValue =
  | string
  | number
  | boolean
  | undefined
  | null
  | readonly (string | number | boolean | undefined | null)[];
export type Accessors<T> = Record<string, (item: T) => FilterValue>;

/**
 * A filter value as a matcher. Wildcards are matched in linear time, not by
 * a regular expression: `a*a*a*…b` made V8's backtracking take exponential
 * time, stalling every caller of the twin, and a long value made the
 * expression too large to compile (an internal error).
 */
function pattern(value: string): { test(s: string): boolean } {
  return { test: (s) => globMatch(value, s) };
}

/**
 * `*` any run, `anyOne` (EC2: `?`; none for CloudWatch Logs) one character;
 * greedy with one backtrack point (the last `*`), so linear in practice.
 */
export function globMatch(glob: string, s: string, anyOne: string | null = '?'): boolean {
  let g = 0;
  let i = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    if (g < glob.length && glob[g] !== '*' && (glob[g] === anyOne || glob[g] === s[i])) {
      g += 1;
      i += 1;
    } else if (g < glob.length && glob[g] === '*') {
      star = g;
      mark = i;
      g += 1;
    } else if (star !== -1) {
      g = star + 1;
      mark += 1;
      i = mark;
    } else return false;
  }
  while (g < glob.length && glob[g] === '*') g += 1;
  return g === glob.length;
}

function valuesOf(v: FilterValue): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined && x !== null).map(String);
}

export function applyFilters<T>(
  items: T[],
  filters: Filter[] | undefined,
  accessors: Accessors<T>,
  tagsOf: (item: T) => Tags,
): T[] {
  if (!filters?.length) return items;
  const tests = filters.map((f) => {
    const name = f.Name ?? '';
    const wanted = (f.Values ?? []).map(pattern);
    const matches = (have: string[]) => have.some((h) => wanted.some((w) => w.test(h)));
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      return (item: T) => {
        const v = tagsOf(item)[key];
        return v !== undefined && matches([v]);
      };
    }
    if (name === 'tag-key') return (item: T) => matches(Object.keys(tagsOf(item)));
    if (name === 'tag-value') return (item: T) => matches(Object.values(tagsOf(item)));
    const accessor = accessors[name];
    if (!accessor) throw new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`);
    return (item: T) => matches(valuesOf(accessor(item)));
  });
  return items.filter((item) => tests.every((t) => t(item)));
}

/**
 * One page of results. NextToken is opaque to callers (an offset here);
 * describe calls return everything when MaxResults is absent.
 */
export function paginate<T>(
  items: T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { page: T[]; nextToken?: string } {
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString('utf8')) : 0;
  if (Number.isNaN(start))
    throw new AwsError('InvalidPaginationToken', `Invalid pagination token: ${nextToken}`);
  if (!maxResults) return { page: items.slice(start) };
  const end = start + maxResults;
  const page = items.slice(start, end);
  return end < items.length ? { page, nextToken: Buffer.from(String(end)).toString('base64url') } : { page };
}

/** Tags as the SDK shapes them. */
export function renderTags(tags: Tags): { Key: string; Value: string }[] | undefined {
  const list = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return list.length ? list : undefined;
}

/** Tags given at creation (`TagSpecifications`) for one resource type. */
export function tagsFromSpecifications(
  specs: { ResourceType?: string; Tags?: { Key?: string; Value?: string }[] }[] | undefined,
  resourceType: string,
): Tags {
  const tags: Tags = {};
  for (const spec of specs ?? []) {
    if (spec.ResourceType && spec.ResourceType !== resourceType) continue;
    for (const t of spec.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  }
  return tags;
}
