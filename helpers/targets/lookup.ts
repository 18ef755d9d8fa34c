import type { Filter, Tag } from '@aws-sdk/client-ec2';
import { reading } from '../errors.ts';

/**
 * Looking up what targets name: by Name tag or by id, every page read, the
 * one live match picked or the problem named for the run's exit-2 list.
 */

export interface Found {
  id: string;
  tags?: Tag[];
  /** The name the resource answered to when not a tag (a security group's GroupName). */
  name?: string;
  /** Gone but still described (a deleted peering): loses to a live namesake. */
  gone?: boolean;
}

export const ID = /^(vpc|subnet|i|tgw|tgw-attach|tgw-rtb|pcx)-[0-9a-f]+$/;

/**
 * Every page of a describe call. Without MaxResults EC2 may still answer in
 * pages, and a filtered page can even be empty while the next holds the
 * match ("NextToken: The token to include in another request to get the next
 * page of items. This value is null when there are no more items to return",
 * EC2 API Reference, DescribeVpcs and the other Describe* calls): reading
 * only the first would call a resource absent, or one name unambiguous.
 */
export async function allPages<P extends { NextToken?: string }>(
  page: (token?: string) => Promise<P>,
): Promise<P[]> {
  const pages: P[] = [];
  let token: string | undefined;
  do {
    const next = await page(token);
    pages.push(next);
    token = next.NextToken;
  } while (token);
  return pages;
}

/** Describes by id when the reference looks like one, else by `Name` tag. */
export async function describe(
  prefix: string,
  ref: string,
  run: (filters: Filter[]) => Promise<Found[]>,
): Promise<Found[]> {
  const byId = ID.test(ref) && ref.startsWith(`${prefix}-`);
  const filters: Filter[] = byId
    ? [{ Name: idFilter(prefix), Values: [ref] }]
    : [{ Name: 'tag:Name', Values: [ref] }];
  const found = await reading(`look up ${ref}`, () => run(filters));
  return byId ? found : found.filter((f) => exactlyNamed(f, ref));
}

/**
 * EC2 filter values are patterns (`*`, `?`, `\\` escapes: EC2 API Reference,
 * Filter), and the schema refuses names holding them; keeping only resources
 * whose Name tag is the name, character for character, makes the look-up
 * literal whatever the filter matched.
 */
export function exactlyNamed(found: Found, ref: string): boolean {
  if (found.name !== undefined) return found.name === ref;
  return found.tags?.some((t) => t.Key === 'Name' && t.Value === ref) ?? false;
}

export function idFilter(prefix: string): string {
  return (
    {
      vpc: 'vpc-id',
      subnet: 'subnet-id',
      i: 'instance-id',
      tgw: 'transit-gateway-id',
      'tgw-attach': 'transit-gateway-attachment-id',
      'tgw-rtb': 'transit-gateway-route-table-id',
      pcx: 'vpc-peering-connection-id',
    } as Record<string, string>
  )[prefix]!;
}

/** The one resource a look-up found, a live one winning over namesakes that are gone; none when not one. */
export function soleCandidate(found: Found[]): Found | undefined {
  const live = found.filter((f) => !f.gone);
  const candidates = live.length ? live : found;
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** A look-up started now and awaited later: its failure is taken when awaited, not reported as unhandled. */
export function started<T>(lookup: Promise<T>): Promise<T> {
  lookup.catch(() => undefined);
  return lookup;
}

export function picker(problems: string[], accountIds: Record<string, string>, region: string) {
  return (field: string, what: string, ref: string, account: string, found: Found[]): string | undefined => {
    const where = `in account ${accountIds[account]} (${region})`;
    const sole = soleCandidate(found);
    if (sole) return sole.id;
    const live = found.filter((f) => !f.gone);
    const candidates = live.length ? live : found;
    if (!candidates.length) problems.push(`${field}: no ${what} named "${ref}" ${where}`);
    else
      problems.push(
        `${field}: ${candidates.length} ${what}s are named "${ref}" ${where} (${candidates.map((c) => c.id).join(', ')}); name one by id`,
      );
    return undefined;
  };
}
