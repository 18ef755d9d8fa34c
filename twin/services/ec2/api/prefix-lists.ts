import type {
  DescribeManagedPrefixListsRequest,
  DescribeManagedPrefixListsResult,
  DescribePrefixListsRequest,
  DescribePrefixListsResult,
  GetManagedPrefixListEntriesRequest,
  GetManagedPrefixListEntriesResult,
} from '@aws-sdk/client-ec2';
import { notFoundError } from '../errors.ts';
import { paginate } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import { managedPrefixLists, prefixListArn, prefixListById } from '../model/prefix-lists.ts';
import type { PrefixListState } from '../model/state.ts';
import { describe, withDryRun } from './shared.ts';

/**
 * AWS-managed prefix lists (API_DescribePrefixLists.html,
 * API_DescribeManagedPrefixLists.html, API_GetManagedPrefixListEntries.html):
 * the S3 and DynamoDB lists of the region, owned by `AWS`, read-only.
 */
const lists = (model: Ec2Model) => managedPrefixLists(model.region).map((pl) => ({ ...pl, tags: {} }));

const byIdAndName = {
  'prefix-list-id': (pl: PrefixListState) => pl.id,
  'prefix-list-name': (pl: PrefixListState) => pl.name,
};

export const prefixListHandlers = withDryRun({
  DescribePrefixLists(model: Ec2Model, input: DescribePrefixListsRequest): DescribePrefixListsResult {
    const { page, nextToken } = describe(lists(model), input, {
      ids: input.PrefixListIds,
      idOf: (pl) => pl.id,
      missing: (id) => notFoundError('prefixList', id),
      accessors: byIdAndName,
    });
    return {
      PrefixLists: page.map((pl) => ({ PrefixListId: pl.id, PrefixListName: pl.name, Cidrs: pl.cidrs })),
      ...(nextToken && { NextToken: nextToken }),
    };
  },

  DescribeManagedPrefixLists(
    model: Ec2Model,
    input: DescribeManagedPrefixListsRequest,
  ): DescribeManagedPrefixListsResult {
    const { page, nextToken } = describe(lists(model), input, {
      ids: input.PrefixListIds,
      idOf: (pl) => pl.id,
      missing: (id) => notFoundError('prefixList', id),
      accessors: { ...byIdAndName, 'owner-id': () => 'AWS' },
      maxLimit: 100,
    });
    return {
      // AWS-managed lists carry no MaxEntries or Version.
      PrefixLists: page.map((pl) => ({
        PrefixListId: pl.id,
        AddressFamily: 'IPv4',
        State: 'create-complete',
        PrefixListArn: prefixListArn(model.region, pl.id),
        PrefixListName: pl.name,
        Tags: [],
        OwnerId: 'AWS',
      })),
      ...(nextToken && { NextToken: nextToken }),
    };
  },

  GetManagedPrefixListEntries(
    model: Ec2Model,
    input: GetManagedPrefixListEntriesRequest,
  ): GetManagedPrefixListEntriesResult {
    const list = prefixListById(model.region, input.PrefixListId ?? '');
    if (!list) throw notFoundError('prefixList', input.PrefixListId ?? '');
    const { page, nextToken } = paginate(
      list.cidrs.map((Cidr) => ({ Cidr })),
      input.MaxResults,
      input.NextToken,
    );
    return { Entries: page, ...(nextToken && { NextToken: nextToken }) };
  },
});
