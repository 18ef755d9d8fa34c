/**
 * Event history (API_LookupEvents): "management events … that occurred in a
 * Region within the last 90 days"; one lookup attribute per request
 * (EventId, EventName, EventSource, ReadOnly, Username, ResourceType,
 * ResourceName, AccessKeyId); MaxResults 1–50, default 50; newest first;
 * "The rate of lookup requests is limited to two per second, per account,
 * per Region. If this limit is exceeded, a throttling error occurs." An
 * event shows up `cloudTrailVisibleMs` after it happened ("typically within
 * 5 minutes"), with or without trails.
 */

import { createHash } from 'node:crypto';
import type {
  Event,
  LookupAttribute,
  LookupEventsRequest,
  LookupEventsResponse,
} from '@aws-sdk/client-cloudtrail';
import type { ApiCall } from '../../../core/audit.ts';
import { delay } from '../../../state/profile.ts';
import {
  invalidLookup,
  invalidMaxResults,
  invalidNextToken,
  invalidTimeRange,
  rateExceeded,
} from '../errors.ts';
import { eventRecord, readOnly, seenBy, username } from './events.ts';
import type { CloudTrailModel } from './index.ts';

const DAY_MS = 86_400_000;
const KEYS = new Set([
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
]);

/** Refuses the call when two lookups already happened in the last second of the twin's clock. */
export function throttle(model: CloudTrailModel): void {
  const now = model.now;
  while (model.lookupTimes.length && model.lookupTimes[0]! <= now - 1000) model.lookupTimes.shift();
  if (model.lookupTimes.length >= 2) throw rateExceeded();
  model.lookupTimes.push(now);
}

function attributeMatch(a: LookupAttribute | undefined, call: ApiCall): boolean {
  if (!a) return true;
  const v = a.AttributeValue;
  switch (a.AttributeKey) {
    case 'EventId':
      return call.eventId === v;
    case 'EventName':
      return call.eventName === v;
    case 'EventSource':
      return call.eventSource === v;
    case 'ReadOnly':
      return String(readOnly(call)) === v;
    case 'Username':
      return username(call) === v;
    case 'AccessKeyId':
      return call.accessKeyId === v;
    case 'ResourceType':
      return call.resources.some((r) => r.type === v);
    default:
      return call.resources.some((r) => r.arn === v || r.arn.split(/[/:]/).at(-1) === v);
  }
}

function checkAttributes(attrs: LookupAttribute[] | undefined): LookupAttribute | undefined {
  if (!attrs?.length) return undefined;
  if (attrs.length > 1) throw invalidLookup('You cannot specify more than one lookup attribute per request.');
  const [a] = attrs as [LookupAttribute];
  if (!KEYS.has(a.AttributeKey ?? '')) throw invalidLookup(`Invalid lookup attribute key: ${a.AttributeKey}`);
  if (!a.AttributeValue) throw invalidLookup('You must specify an attribute value.');
  return a;
}

function range(input: LookupEventsRequest, now: number): [number, number] {
  const start = input.StartTime ? new Date(input.StartTime).getTime() : now - 90 * DAY_MS;
  const end = input.EndTime ? new Date(input.EndTime).getTime() : now;
  if (start > end) throw invalidTimeRange();
  return [Math.max(start, now - 90 * DAY_MS), end];
}

/** The query a NextToken belongs to, so a token is refused with other parameters. */
function fingerprint(input: LookupEventsRequest): string {
  const { NextToken: _t, MaxResults: _m, ...rest } = input;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
}

function readToken(token: string | undefined, fp: string): number | undefined {
  if (token === undefined) return undefined;
  const [tokenFp, index] = Buffer.from(token, 'base64').toString('utf8').split('/');
  const n = Number(index);
  if (tokenFp !== fp || !Number.isInteger(n)) throw invalidNextToken();
  return n;
}

function toEvent(call: ApiCall, viewer: string): Event {
  const name = username(call);
  return {
    EventId: call.eventId,
    EventName: call.eventName,
    ReadOnly: String(readOnly(call)),
    ...(call.accessKeyId && { AccessKeyId: call.accessKeyId }),
    EventTime: new Date(call.time),
    EventSource: call.eventSource,
    ...(name && { Username: name }),
    Resources: call.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.arn })),
    CloudTrailEvent: JSON.stringify(eventRecord(call, viewer)),
  };
}

/** LookupEvents over the twin's call log, for the model's account and Region. */
export function lookupEvents(model: CloudTrailModel, input: LookupEventsRequest): LookupEventsResponse {
  const max = input.MaxResults ?? 50;
  if (!Number.isInteger(max) || max < 1 || max > 50) throw invalidMaxResults();
  const attribute = checkAttributes(input.LookupAttributes);
  const now = model.now;
  const [start, end] = range(input, now);
  const fp = fingerprint(input);
  const before = readToken(input.NextToken, fp);
  if (input.EventCategory === 'insight') return { Events: [] };
  const visibleBefore = now - delay(model.twin.profile, 'cloudTrailVisibleMs');
  const calls = model.twin.calls;
  const matches: number[] = [];
  for (let i = Math.min(before ?? calls.length, calls.length) - 1; i >= 0 && matches.length <= max; i -= 1) {
    const c = calls[i]!;
    if (!c.management || c.region !== model.region || !seenBy(c, model.accountId)) continue;
    if (c.time > visibleBefore || c.time < start || c.time > end || !attributeMatch(attribute, c)) continue;
    matches.push(i);
  }
  const page = matches.slice(0, max);
  const next = matches.length > max ? Buffer.from(`${fp}/${page.at(-1)}`).toString('base64') : undefined;
  return { Events: page.map((i) => toEvent(calls[i]!, model.accountId)), ...(next && { NextToken: next }) };
}
