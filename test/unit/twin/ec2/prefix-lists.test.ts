import { describe, expect, test } from 'vitest';
import { prefixListFor } from '../../../../twin/services/ec2/model/prefix-lists.ts';
import { networkTwin } from './network-fixture.ts';

describe('AWS-managed prefix lists', () => {
  test('DescribePrefixLists shows the S3 and DynamoDB lists with their real us-east-1 ids', async () => {
    const t = networkTwin();
    const { PrefixLists } = await t.call('DescribePrefixLists', {});
    expect(
      PrefixLists.map((p: { PrefixListId: string; PrefixListName: string }) => [
        p.PrefixListId,
        p.PrefixListName,
      ]),
    ).toEqual([
      ['pl-63a5400a', 'com.amazonaws.us-east-1.s3'],
      ['pl-02cd2c6b', 'com.amazonaws.us-east-1.dynamodb'],
    ]);
    expect(PrefixLists[0].Cidrs).toContain('52.216.0.0/15');
    const byName = await t.call('DescribePrefixLists', {
      Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.us-east-1.dynamodb'] }],
    });
    expect(byName.PrefixLists.map((p: { PrefixListId: string }) => p.PrefixListId)).toEqual(['pl-02cd2c6b']);
  });

  test('each region has its own lists', async () => {
    const t = networkTwin();
    const { PrefixLists } = await t.call('DescribePrefixLists', {}, undefined, 'eu-west-1');
    expect(PrefixLists.map((p: { PrefixListId: string }) => p.PrefixListId)).toEqual([
      'pl-6da54004',
      'pl-6fa54006',
    ]);
  });

  test('DescribeManagedPrefixLists: owned by AWS, no version or size; entries through GetManagedPrefixListEntries', async () => {
    const t = networkTwin();
    const { PrefixLists } = await t.call('DescribeManagedPrefixLists', { PrefixListIds: ['pl-63a5400a'] });
    expect(PrefixLists).toEqual([
      {
        PrefixListId: 'pl-63a5400a',
        AddressFamily: 'IPv4',
        State: 'create-complete',
        PrefixListArn: 'arn:aws:ec2:us-east-1:aws:prefix-list/pl-63a5400a',
        PrefixListName: 'com.amazonaws.us-east-1.s3',
        Tags: [],
        OwnerId: 'AWS',
      },
    ]);
    const { Entries } = await t.call('GetManagedPrefixListEntries', { PrefixListId: 'pl-63a5400a' });
    expect(Entries.map((e: { Cidr: string }) => e.Cidr)).toEqual(prefixListFor('us-east-1', 's3')!.cidrs);
    await expect(
      t.call('GetManagedPrefixListEntries', { PrefixListId: 'pl-00000000' }),
    ).rejects.toMatchObject({ code: 'InvalidPrefixListID.NotFound' });
    await expect(
      t.call('DescribeManagedPrefixLists', { PrefixListIds: ['pl-00000000'] }),
    ).rejects.toMatchObject({ code: 'InvalidPrefixListID.NotFound' });
  });

  test('prefixListFor takes the short or full service name; other services have none', () => {
    expect(prefixListFor('us-east-1', 's3')?.id).toBe('pl-63a5400a');
    expect(prefixListFor('us-east-1', 'com.amazonaws.us-east-1.dynamodb')?.id).toBe('pl-02cd2c6b');
    expect(prefixListFor('ap-south-2', 's3')?.id).toMatch(/^pl-[0-9a-f]{8}$/);
    expect(prefixListFor('us-east-1', 'ssm')).toBeUndefined();
  });
});
