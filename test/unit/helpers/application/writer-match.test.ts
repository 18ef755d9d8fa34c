import { describe, expect, test } from 'vitest';
import {
  type MatchInput,
  matchWrites,
  type ObjectSeen,
  type PlainItem,
  timeOf,
} from '../../../../helpers/application/writer-match.ts';

/** The seed's writer: EventID = epoch seconds, Timestamp = naive UTC ISO, object logs/event-<EventID>.json = the item. */
const at = (iso: string) => Date.parse(`${iso}Z`);
function seedWrite(iso: string, message = 'Test Event'): { item: PlainItem; object: ObjectSeen } {
  const eventId = String(at(iso) / 1000);
  const item = { EventID: eventId, Timestamp: iso, Message: message };
  return {
    item,
    object: {
      key: `logs/event-${eventId}.json`,
      lastModified: Math.floor(at(iso) / 1000) * 1000,
      body: JSON.stringify(item),
    },
  };
}

const ours = seedWrite('2026-12-07T13:10:11.250000');
const window = { from: at('2026-12-07T13:10:05.000'), to: at('2026-12-07T13:10:17.000') };
const input = (writes: { item?: PlainItem; object?: ObjectSeen }[], extra: Partial<MatchInput> = {}) =>
  matchWrites({
    items: writes.flatMap((w) => (w.item ? [w.item] : [])),
    objects: writes.flatMap((w) => (w.object ? [w.object] : [])),
    window,
    partitionKey: 'EventID',
    timeAttribute: 'Timestamp',
    requestId: 'req-ours',
    ownLog: 'START RequestId: req-ours Version: $LATEST\nEND RequestId: req-ours\n',
    ...extra,
  });

describe('timeOf: the writer’s time attribute, as the seed writes it', () => {
  test.for([
    [
      'a naive ISO time is UTC (datetime.utcnow().isoformat())',
      '2026-12-07T13:10:11.123456',
      at('2026-12-07T13:10:11.123'),
    ],
    ['an ISO time with its offset', '2026-12-07T14:10:11+01:00', at('2026-12-07T13:10:11')],
    ['epoch seconds', '1796649011.5', 1796649011500],
    ['a run-scoped item of S13 is no time', 'meshcheck-mc-20261207-abcdef', undefined],
    ['absent', undefined, undefined],
  ] as const)('%s', ([, value, expected]) => {
    expect(timeOf(value)).toBe(expected);
  });
});

describe('matchWrites: this invocation’s item and object, never the newest', () => {
  test('the seed’s item and the object naming it, in the window, are this invocation’s', () => {
    const w = input([ours]);
    expect(w.item).toEqual({ state: 'found', value: ours.item, by: 'pair' });
    expect(w.object).toMatchObject({ state: 'found', value: { key: ours.object.key }, by: 'pair' });
  });

  test('a newer item of another invocation after the window does not satisfy it: ours is found', () => {
    const later = seedWrite('2026-12-07T13:10:40.000000');
    const w = input([ours, later]);
    expect(w.item.state === 'found' && w.item.value.EventID).toBe(ours.item.EventID);
    expect(w.object.state === 'found' && w.object.value.key).toBe(ours.object.key);
  });

  test('another run’s item and object in the same window: cannot tell, never a pass on the newest', () => {
    const other = seedWrite('2026-12-07T13:10:12.900000', 'another run');
    const w = input([ours, other]);
    expect(w.item.state).toBe('ambiguous');
    expect(w.object.state).toBe('ambiguous');
    expect(w.item.state === 'ambiguous' && w.item.why).toContain('another invocation ran at the same time');
  });

  test('another run’s newer item in the window that no object names does not displace our pair', () => {
    const other = seedWrite('2026-12-07T13:10:13.000000', 'another run, its upload refused');
    const w = input([ours, { item: other.item }]);
    expect(w.item.state === 'found' && w.item.value.EventID).toBe(ours.item.EventID);
  });

  test('where this invocation’s own log names its item, the other pair of the window is set aside', () => {
    const other = seedWrite('2026-12-07T13:10:12.900000', 'another run');
    const w = input([ours, other], {
      ownLog: `START RequestId: req-ours\nwrote ${ours.item.EventID}\nEND RequestId: req-ours\n`,
    });
    expect(w.item).toMatchObject({ state: 'found', by: 'request', value: { EventID: ours.item.EventID } });
  });

  test('an item that records the request id is this invocation’s', () => {
    const mine = { ...ours.item, RequestId: 'req-ours' };
    const other = seedWrite('2026-12-07T13:10:12.900000', 'another run');
    const w = input([{ item: mine, object: ours.object }, other]);
    expect(w.item).toMatchObject({ state: 'found', by: 'request', value: { EventID: ours.item.EventID } });
  });

  test('no item in the window: the item is missing, the lone object is still found by its window', () => {
    const w = input([{ object: ours.object }]);
    expect(w.item).toEqual({ state: 'none' });
    expect(w.object).toMatchObject({ state: 'found', by: 'window' });
  });

  test('an item and an object of the window that do not name each other: cannot tell which is ours', () => {
    const other = seedWrite('2026-12-07T13:10:12.900000');
    const w = input([{ item: ours.item }, { object: other.object }]);
    expect(w.item.state).toBe('ambiguous');
    expect(w.object.state).toBe('ambiguous');
  });

  test('an object modified in the window’s first second counts (LastModified has whole seconds)', () => {
    const early = seedWrite('2026-12-07T13:10:05.600000');
    const w = input([early], { window: { ...window, from: at('2026-12-07T13:10:05.300') } });
    expect(w.object.state).toBe('found');
  });
});
