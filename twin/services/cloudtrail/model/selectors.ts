/**
 * Which events a trail delivers ("Logging data events", "Logging management
 * events", CloudTrail User Guide; API_PutEventSelectors,
 * API_AdvancedFieldSelector):
 * - classic selectors: management events when IncludeManagementEvents
 *   (default true) and the ReadWriteType matches; data events when a
 *   DataResource of the event's resource type has a value that prefixes
 *   the resource ARN (`arn:aws:s3` for every object, `arn:aws:s3:::bucket/`
 *   for a bucket's objects);
 * - advanced selectors: a selector matches when all its field selectors
 *   do; the trail delivers what any selector matches.
 * A new trail logs all management events and no data events.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import type { ApiCall } from '../../../core/audit.ts';
import { combination, invalidEventSelectors } from '../errors.ts';
import { readOnly } from './events.ts';
import type { TrailRecord } from './state.ts';

export const DEFAULT_SELECTORS: EventSelector[] = [
  {
    ReadWriteType: 'All',
    IncludeManagementEvents: true,
    DataResources: [],
    ExcludeManagementEventSources: [],
  },
];

const DATA_TYPES: Record<string, string> = {
  'AWS::S3::Object': 'arn:aws:s3',
  'AWS::Lambda::Function': 'arn:aws:lambda',
  'AWS::DynamoDB::Table': 'arn:aws:dynamodb',
};

function checkClassic(selectors: EventSelector[]): void {
  if (selectors.length > 5)
    throw invalidEventSelectors('You can have no more than 5 event selectors per trail.');
  for (const s of selectors) {
    if (s.ReadWriteType && !['ReadOnly', 'WriteOnly', 'All'].includes(s.ReadWriteType))
      throw invalidEventSelectors(`Value ${s.ReadWriteType} for ReadWriteType is invalid.`);
    for (const r of s.DataResources ?? []) {
      const prefix = DATA_TYPES[r.Type ?? ''];
      if (!prefix) throw invalidEventSelectors(`Value ${r.Type} for DataResources.Type is invalid.`);
      for (const v of r.Values ?? [])
        if (!v.startsWith(prefix))
          throw invalidEventSelectors(`Value ${v} for DataResources.Values is invalid.`);
    }
  }
}

const FIELDS = new Set([
  'eventCategory',
  'eventSource',
  'eventName',
  'eventType',
  'readOnly',
  'resources.type',
  'resources.ARN',
]);

function checkAdvanced(selectors: AdvancedEventSelector[]): void {
  for (const s of selectors) {
    for (const f of s.FieldSelectors ?? []) {
      if (!FIELDS.has(f.Field ?? '')) throw invalidEventSelectors(`Value ${f.Field} for Field is invalid.`);
    }
  }
}

/** Validates PutEventSelectors input and stores it on the trail (one kind replaces the other). */
export function putSelectors(
  trail: TrailRecord,
  classic?: EventSelector[],
  advanced?: AdvancedEventSelector[],
): void {
  if (classic && advanced)
    throw combination('You cannot apply both event selectors and advanced event selectors to a trail.');
  if (!classic && !advanced)
    throw combination('You must specify either event selectors or advanced event selectors.');
  if (classic) {
    checkClassic(classic);
    trail.eventSelectors = classic.map((s) => ({
      ReadWriteType: s.ReadWriteType ?? 'All',
      IncludeManagementEvents: s.IncludeManagementEvents ?? true,
      DataResources: s.DataResources ?? [],
      ExcludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
    }));
    delete trail.advancedEventSelectors;
  } else {
    checkAdvanced(advanced!);
    trail.advancedEventSelectors = advanced!;
    delete trail.eventSelectors;
  }
}

function readWrite(type: string | undefined, call: ApiCall): boolean {
  return !type || type === 'All' || (type === 'ReadOnly') === readOnly(call);
}

function classicMatch(s: EventSelector, call: ApiCall): boolean {
  if (!readWrite(s.ReadWriteType, call)) return false;
  if (call.management)
    return (
      s.IncludeManagementEvents !== false &&
      !(s.ExcludeManagementEventSources ?? []).includes(call.eventSource)
    );
  return (s.DataResources ?? []).some((r) =>
    call.resources.some((res) => res.type === r.Type && (r.Values ?? []).some((v) => res.arn.startsWith(v))),
  );
}

function fieldValues(field: string, call: ApiCall): string[] {
  switch (field) {
    case 'eventCategory':
      return [call.management ? 'Management' : 'Data'];
    case 'readOnly':
      return [String(readOnly(call))];
    case 'resources.type':
      return call.resources.map((r) => r.type);
    case 'resources.ARN':
      return call.resources.map((r) => r.arn);
    case 'eventType':
      return ['AwsApiCall'];
    default:
      return [String((call as unknown as Record<string, unknown>)[field] ?? '')];
  }
}

/** One field selector: positive operators need one value to match, negative ones need none to. */
function fieldMatch(f: AdvancedFieldSelector, call: ApiCall): boolean {
  const values = fieldValues(f.Field ?? '', call);
  const any = (list: string[] | undefined, test: (v: string, x: string) => boolean) =>
    list === undefined || values.some((v) => list.some((x) => test(v, x)));
  const none = (list: string[] | undefined, test: (v: string, x: string) => boolean) =>
    list === undefined || !values.some((v) => list.some((x) => test(v, x)));
  return (
    any(f.Equals, (v, x) => v === x) &&
    any(f.StartsWith, (v, x) => v.startsWith(x)) &&
    any(f.EndsWith, (v, x) => v.endsWith(x)) &&
    none(f.NotEquals, (v, x) => v === x) &&
    none(f.NotStartsWith, (v, x) => v.startsWith(x)) &&
    none(f.NotEndsWith, (v, x) => v.endsWith(x))
  );
}

/** Whether the trail's selectors ask for this event. */
export function selects(trail: TrailRecord, call: ApiCall): boolean {
  if (trail.advancedEventSelectors)
    return trail.advancedEventSelectors.some((s) =>
      (s.FieldSelectors ?? []).every((f) => fieldMatch(f, call)),
    );
  return (trail.eventSelectors ?? DEFAULT_SELECTORS).some((s) => classicMatch(s, call));
}
