import {
  DescribeManagedPrefixListsCommand,
  DescribePrefixListsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

let twin: TestTwin;
let sdk: EC2Client;
beforeAll(async () => {
  twin = await startTestTwin();
  sdk = new EC2Client(twin.clientConfig());
});
afterAll(() => twin.close());

// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON is read field by field
type Json = any;

describe('AWS-managed prefix lists through the SDK', () => {
  test('DescribePrefixLists, DescribeManagedPrefixLists and GetManagedPrefixListEntries agree', async () => {
    const { PrefixLists } = await sdk.send(
      new DescribePrefixListsCommand({ PrefixListIds: ['pl-63a5400a'] }),
    );
    expect(PrefixLists).toEqual([
      expect.objectContaining({ PrefixListId: 'pl-63a5400a', PrefixListName: 'com.amazonaws.us-east-1.s3' }),
    ]);
    const managed = await sdk.send(
      new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'owner-id', Values: ['AWS'] }] }),
    );
    expect(managed.PrefixLists!.map((p) => p.PrefixListName)).toEqual([
      'com.amazonaws.us-east-1.s3',
      'com.amazonaws.us-east-1.dynamodb',
    ]);
    const { Entries } = await sdk.send(
      new GetManagedPrefixListEntriesCommand({ PrefixListId: 'pl-63a5400a' }),
    );
    expect(Entries!.map((e) => e.Cidr)).toEqual(PrefixLists![0]!.Cidrs);
  });
});

describe.runIf(hasAwsCli)('AWS-managed prefix lists through the AWS CLI', () => {
  test('describe-prefix-lists --filters by name', async () => {
    const out = await aws(twin, [
      'ec2',
      'describe-prefix-lists',
      '--filters',
      'Name=prefix-list-name,Values=com.amazonaws.us-east-1.dynamodb',
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect((out.json as Json).PrefixLists.map((p: Json) => p.PrefixListId)).toEqual(['pl-02cd2c6b']);
  });
});
