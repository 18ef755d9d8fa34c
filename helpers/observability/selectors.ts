import type { AdvancedFieldSelector, GetEventSelectorsResponse } from '@aws-sdk/client-cloudtrail';

/**
 * Which events a trail logs, decided by putting sample events through its
 * selectors as CloudTrail does, never by reading their text: classic and
 * advanced selectors that say the same thing pass alike. Sources
 * (CloudTrail User Guide, "Logging management events", "Logging data
 * events"; API_EventSelector, API_DataResource, API_AdvancedFieldSelector):
 * - classic: a management event is logged by a selector with
 *   IncludeManagementEvents (default true) whose ReadWriteType (default
 *   All) takes it and whose ExcludeManagementEventSources does not name its
 *   source; a data event when a DataResource of its type has a value the
 *   resource's ARN starts with (`arn:aws:s3` every bucket,
 *   `arn:aws:s3:::bucket/` one bucket's objects);
 * - advanced: an event is logged when every field selector of some
 *   selector takes it; a field's operators all hold (Equals / StartsWith /
 *   EndsWith: any value; NotEquals / NotStartsWith / NotEndsWith: none).
 */
export interface SampleEvent {
  category: 'Management' | 'Data';
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  /** Data events: `AWS::S3::Object` and the object's ARN. */
  resourceType?: string;
  resourceArn?: string;
}

export type Selectors = Pick<GetEventSelectorsResponse, 'EventSelectors' | 'AdvancedEventSelectors'>;

export function logs(selectors: Selectors, e: SampleEvent): boolean {
  if (selectors.AdvancedEventSelectors?.length)
    return selectors.AdvancedEventSelectors.some((s) =>
      (s.FieldSelectors ?? []).every((f) => fieldTakes(f, fieldOf(e, f.Field ?? ''))),
    );
  return (selectors.EventSelectors ?? []).some((s) => {
    const rw = s.ReadWriteType ?? 'All';
    if (rw === 'ReadOnly' && !e.readOnly) return false;
    if (rw === 'WriteOnly' && e.readOnly) return false;
    if (e.category === 'Management')
      return (
        (s.IncludeManagementEvents ?? true) &&
        !(s.ExcludeManagementEventSources ?? []).includes(e.eventSource)
      );
    return (s.DataResources ?? []).some(
      (r) => r.Type === e.resourceType && (r.Values ?? []).some((v) => e.resourceArn?.startsWith(v)),
    );
  });
}

function fieldOf(e: SampleEvent, field: string): string {
  const values: Record<string, string> = {
    eventCategory: e.category,
    eventSource: e.eventSource,
    eventName: e.eventName,
    eventType: 'AwsApiCall',
    readOnly: String(e.readOnly),
    'resources.type': e.resourceType ?? '',
    'resources.ARN': e.resourceArn ?? '',
  };
  return values[field] ?? '';
}

function fieldTakes(f: AdvancedFieldSelector, value: string): boolean {
  const any = (values: string[] | undefined, test: (v: string) => boolean) =>
    values === undefined || values.some(test);
  const none = (values: string[] | undefined, test: (v: string) => boolean) =>
    values === undefined || !values.some(test);
  return (
    any(f.Equals, (v) => v === value) &&
    any(f.StartsWith, (v) => value.startsWith(v)) &&
    any(f.EndsWith, (v) => value.endsWith(v)) &&
    none(f.NotEquals, (v) => v === value) &&
    none(f.NotStartsWith, (v) => value.startsWith(v)) &&
    none(f.NotEndsWith, (v) => value.endsWith(v))
  );
}

/**
 * Management events a trail must log to log "all": reads and writes of a
 * network service and of KMS (the one source classic selectors can leave
 * out, with RDS Data API, which no lab here uses).
 */
const MANAGEMENT_SAMPLES: SampleEvent[] = [
  { category: 'Management', eventSource: 'ec2.amazonaws.com', eventName: 'DescribeVpcs', readOnly: true },
  { category: 'Management', eventSource: 'ec2.amazonaws.com', eventName: 'CreateTags', readOnly: false },
  { category: 'Management', eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', readOnly: true },
  { category: 'Management', eventSource: 'kms.amazonaws.com', eventName: 'PutKeyPolicy', readOnly: false },
];

export type ManagementEvents = 'All' | 'ReadOnly' | 'WriteOnly' | 'none';

/** Which management events the selectors log, and the samples that make it something in between. */
export function managementEventsOf(selectors: Selectors): {
  is: ManagementEvents | 'partial';
  logged: string[];
  missed: string[];
} {
  const logged = MANAGEMENT_SAMPLES.map((e) => ({ e, logged: logs(selectors, e) }));
  const reads = logged.filter((l) => l.e.readOnly);
  const writes = logged.filter((l) => !l.e.readOnly);
  const all = (ls: typeof logged) => ls.every((l) => l.logged);
  const no = (ls: typeof logged) => ls.every((l) => !l.logged);
  const named = (ls: typeof logged) => ls.map((l) => `${l.e.eventSource} ${l.e.eventName}`);
  const missed = named(logged.filter((l) => !l.logged));
  const is: ManagementEvents | 'partial' =
    all(reads) && all(writes)
      ? 'All'
      : all(reads) && no(writes)
        ? 'ReadOnly'
        : no(reads) && all(writes)
          ? 'WriteOnly'
          : no(reads) && no(writes)
            ? 'none'
            : 'partial';
  return { is, logged: named(logged.filter((l) => l.logged)), missed };
}

/** Whether the selectors log object reads (GetObject) and writes (PutObject) in `bucket`. */
export function s3DataEventsOf(selectors: Selectors, bucket: string): { read: boolean; write: boolean } {
  const object = (eventName: string, readOnly: boolean): SampleEvent => ({
    category: 'Data',
    eventSource: 's3.amazonaws.com',
    eventName,
    readOnly,
    resourceType: 'AWS::S3::Object',
    resourceArn: `arn:aws:s3:::${bucket}/meshcheck/check`,
  });
  return {
    read: logs(selectors, object('GetObject', true)),
    write: logs(selectors, object('PutObject', false)),
  };
}
