/**
 * Which item and which object are this invocation's (S11, S12): pure logic
 * over what the table and the bucket hold, the invocation's window and its
 * own words.
 *
 * Why it is done this way. The seed's writer takes nothing from its event:
 * its item (`EventID` = epoch seconds, `Timestamp` = ISO time) and its
 * object (`logs/event-<EventID>.json`, the item as JSON) carry no mark of the
 * request that made them. So "this invocation's" rests on three things:
 *
 * 1. Time. The item's time attribute and the object's LastModified must
 *    fall in [sent − allowance, returned + allowance]: the writer wrote
 *    while we waited for its answer. The allowance covers the clocks of
 *    the runner, Lambda and S3 (LastModified has whole seconds). Anything
 *    older or newer is another invocation's, whichever is "the newest".
 * 2. The pair. A writer that names its item in its object (the seed does,
 *    key and body) lets the two confirm each other: an item is taken with
 *    the object that names its partition key value. Another invocation in
 *    the same window — another run, the lab's own traffic — makes a second
 *    pair, and then no rule of time can say which is ours: unless one of
 *    them names this request (3), that is "cannot tell", never a pass.
 * 3. The request's own words. A candidate that names this request id (a
 *    writer that records `context.aws_request_id`), or whose key this
 *    invocation's own log lines name, is this invocation's; where some
 *    candidates are so named, the others are set aside.
 *
 * S3 lists and DynamoDB's consistent Scan show every write completed
 * before the look (S3 User Guide, "Amazon S3 data consistency model";
 * DynamoDB Developer Guide, "Read consistency"), and a synchronous writer
 * has completed its writes when it answers: so when exactly one pair is
 * found, an extra unpaired item or object is another invocation's, not
 * ours still on its way. Without any pair (a writer whose object does not
 * name its item, or one side missing), each side is taken alone when it
 * is the only candidate of the window; two unpaired candidates, one on each
 * side, contradict each other and the suite cannot tell. What remains
 * unprovable: another invocation's pair in our window while ours wrote
 * nothing at all — that needs a writer that names the request (3).
 */

/** One item as read, its attributes as plain strings (numbers as their digits). */
export type PlainItem = Record<string, string>;

export interface ObjectSeen {
  key: string;
  lastModified: number;
  /** Its body (the start of it), read once it fell in the window. */
  body: string;
}

export interface Window {
  from: number;
  to: number;
}

/** How a candidate was told as this invocation's. */
export type MatchedBy = 'request' | 'pair' | 'window';

export type Resolution<T> =
  | { state: 'found'; value: T; by: MatchedBy }
  | { state: 'none' }
  | { state: 'ambiguous'; candidates: T[]; why: string };

export interface Writes {
  item: Resolution<PlainItem>;
  object: Resolution<ObjectSeen>;
  /** The candidates of the window, for the evidence. */
  itemsInWindow: PlainItem[];
  objectsInWindow: ObjectSeen[];
}

export interface MatchInput {
  items: PlainItem[];
  objects: ObjectSeen[];
  window: Window;
  partitionKey: string;
  timeAttribute: string;
  requestId: string;
  /** This invocation's own log lines (its LogResult tail). */
  ownLog: string;
}

/**
 * A time attribute as epoch ms: ISO 8601 (a time without an offset is UTC, as the seed's
 * `datetime.utcnow().isoformat()` writes it) or epoch seconds; undefined for anything else.
 *
 * @example timeOf('2026-12-07T13:10:11.123456') // 1796649011123
 */
export function timeOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{9,11}(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (!iso) return undefined;
  const t = Date.parse(iso[3] ? value : `${value}Z`);
  return Number.isNaN(t) ? undefined : t;
}

export function inWindow(t: number | undefined, w: Window): boolean {
  return t !== undefined && t >= w.from && t <= w.to;
}

/** Whether an object names an item: its key or its body holds the item's partition key value. */
export function namesItem(object: ObjectSeen, item: PlainItem, partitionKey: string): boolean {
  const id = item[partitionKey];
  return Boolean(id) && (object.key.includes(id!) || object.body.includes(id!));
}

/** This invocation's item and object, each found, absent, or not to be told apart from another's. */
export function matchWrites(input: MatchInput): Writes {
  const { window, partitionKey, requestId, ownLog } = input;
  // S3's LastModified has whole seconds: the window's start is taken down to its second.
  const objectWindow = { from: Math.floor(window.from / 1000) * 1000, to: window.to };
  const itemsInWindow = input.items.filter((i) => inWindow(timeOf(i[input.timeAttribute]), window));
  const objectsInWindow = input.objects.filter((o) => inWindow(o.lastModified, objectWindow));
  const itemNamed = (i: PlainItem) =>
    Boolean(requestId && Object.values(i).some((v) => v.includes(requestId))) ||
    Boolean(i[partitionKey] && ownLog.includes(i[partitionKey]!));
  const objectNamed = (o: ObjectSeen) =>
    Boolean(requestId && (o.key.includes(requestId) || o.body.includes(requestId))) || ownLog.includes(o.key);
  const items = preferNamed(itemsInWindow, itemNamed);
  const objects = preferNamed(objectsInWindow, objectNamed);
  const pairs = items.list.flatMap((i) =>
    objects.list.filter((o) => namesItem(o, i, partitionKey)).map((o) => ({ i, o })),
  );
  const by = (named: boolean, fallback: MatchedBy): MatchedBy => (named ? 'request' : fallback);
  if (pairs.length === 1) {
    const [{ i, o }] = pairs as [{ i: PlainItem; o: ObjectSeen }];
    return {
      item: { state: 'found', value: i, by: by(items.named, 'pair') },
      object: { state: 'found', value: o, by: by(objects.named, 'pair') },
      itemsInWindow,
      objectsInWindow,
    };
  }
  if (pairs.length > 1) {
    const why = `${pairs.length} items and objects that name each other were written in this invocation's window, and none names request ${requestId}: another invocation ran at the same time`;
    return {
      item: { state: 'ambiguous', candidates: pairs.map((p) => p.i), why },
      object: { state: 'ambiguous', candidates: pairs.map((p) => p.o), why },
      itemsInWindow,
      objectsInWindow,
    };
  }
  if (items.list.length === 1 && objects.list.length === 1) {
    // One of each that do not name each other: a side this request names is still its own; the other is not told.
    const why = `the item and the object written in this invocation's window do not name each other (${partitionKey} ${items.list[0]![partitionKey] ?? 'missing'}, object ${objects.list[0]!.key}): one is another invocation's, or the writer does not name its item in its object`;
    return {
      item: items.named ? alone(items, 'items') : { state: 'ambiguous', candidates: items.list, why },
      object: objects.named
        ? alone(objects, 'objects')
        : { state: 'ambiguous', candidates: objects.list, why },
      itemsInWindow,
      objectsInWindow,
    };
  }
  return {
    item: alone(items, 'items'),
    object: alone(objects, 'objects'),
    itemsInWindow,
    objectsInWindow,
  };
}

function preferNamed<T>(all: T[], named: (x: T) => boolean): { list: T[]; named: boolean } {
  const chosen = all.filter(named);
  return chosen.length ? { list: chosen, named: true } : { list: all, named: false };
}

function alone<T>(side: { list: T[]; named: boolean }, what: string): Resolution<T> {
  if (!side.list.length) return { state: 'none' };
  if (side.list.length === 1)
    return { state: 'found', value: side.list[0]!, by: side.named ? 'request' : 'window' };
  return {
    state: 'ambiguous',
    candidates: side.list,
    why: `${side.list.length} ${what} were written in this invocation's window, none paired with the other side nor naming this request`,
  };
}
