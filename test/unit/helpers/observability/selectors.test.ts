import type { AdvancedFieldSelector } from '@aws-sdk/client-cloudtrail';
import { describe, expect, test } from 'vitest';
import {
  managementEventsOf,
  type Selectors,
  s3DataEventsOf,
} from '../../../../helpers/observability/selectors.ts';

/**
 * A trail's selectors, decided by sample events as CloudTrail decides them:
 * classic and advanced selectors that say the same thing read alike, and
 * the ones that leave something out are caught.
 */
const S3 = 'AWS::S3::Object';

describe('managementEventsOf', () => {
  test('a new trail (no selectors set: one classic selector, all management events) logs All', () => {
    expect(
      managementEventsOf({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }).is,
    ).toBe('All');
  });

  test('ReadWriteType and IncludeManagementEvents decide, classic or advanced alike', () => {
    expect(managementEventsOf({ EventSelectors: [{ ReadWriteType: 'WriteOnly' }] }).is).toBe('WriteOnly');
    expect(managementEventsOf({ EventSelectors: [{ IncludeManagementEvents: false }] }).is).toBe('none');
    const advanced = (extra: AdvancedFieldSelector[]) => ({
      AdvancedEventSelectors: [
        { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, ...extra] },
      ],
    });
    expect(managementEventsOf(advanced([])).is).toBe('All');
    expect(managementEventsOf(advanced([{ Field: 'readOnly', Equals: ['true'] }])).is).toBe('ReadOnly');
    expect(
      managementEventsOf({
        AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }],
      }).is,
    ).toBe('none');
  });

  test('leaving KMS out is neither All nor none, and says what is missed', () => {
    const classic = managementEventsOf({
      EventSelectors: [{ ExcludeManagementEventSources: ['kms.amazonaws.com'] }],
    });
    expect(classic).toEqual({
      is: 'partial',
      logged: ['ec2.amazonaws.com DescribeVpcs', 'ec2.amazonaws.com CreateTags'],
      missed: ['kms.amazonaws.com Decrypt', 'kms.amazonaws.com PutKeyPolicy'],
    });
    const advanced = managementEventsOf({
      AdvancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] },
          ],
        },
      ],
    });
    expect(advanced.is).toBe('partial');
  });
});

describe('s3DataEventsOf', () => {
  test("a bucket's objects by a classic DataResource: the bucket's ARN with its slash, or every bucket", () => {
    const classic = (values: string[], rw?: 'ReadOnly' | 'WriteOnly'): Selectors => ({
      EventSelectors: [{ ReadWriteType: rw ?? 'All', DataResources: [{ Type: S3, Values: values }] }],
    });
    expect(s3DataEventsOf(classic(['arn:aws:s3:::logs-bucket/']), 'logs-bucket')).toEqual({
      read: true,
      write: true,
    });
    expect(s3DataEventsOf(classic(['arn:aws:s3']), 'logs-bucket')).toEqual({ read: true, write: true });
    expect(s3DataEventsOf(classic(['arn:aws:s3:::other-bucket/']), 'logs-bucket')).toEqual({
      read: false,
      write: false,
    });
    expect(s3DataEventsOf(classic(['arn:aws:s3:::logs-bucket/'], 'WriteOnly'), 'logs-bucket')).toEqual({
      read: false,
      write: true,
    });
    expect(s3DataEventsOf({ EventSelectors: [{ DataResources: [] }] }, 'logs-bucket')).toEqual({
      read: false,
      write: false,
    });
  });

  test('advanced selectors: every field selector of one selector must take the event', () => {
    const fields = (arn: Omit<AdvancedFieldSelector, 'Field'>) => ({
      AdvancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: [S3] },
            { Field: 'resources.ARN', ...arn },
          ],
        },
      ],
    });
    expect(s3DataEventsOf(fields({ StartsWith: ['arn:aws:s3:::logs-bucket/'] }), 'logs-bucket')).toEqual({
      read: true,
      write: true,
    });
    expect(s3DataEventsOf(fields({ NotStartsWith: ['arn:aws:s3:::logs-bucket/'] }), 'logs-bucket')).toEqual({
      read: false,
      write: false,
    });
    expect(s3DataEventsOf(fields({ EndsWith: ['.csv'] }), 'logs-bucket')).toEqual({
      read: false,
      write: false,
    });
  });
});
