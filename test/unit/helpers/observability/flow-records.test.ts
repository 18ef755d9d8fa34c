import { describe, test } from 'vitest';
import {
  expectationsFor,
  fieldsOf,
  judge,
  parseFlowRecord,
  type RunTraffic,
  unmatchable,
} from '../../../../helpers/observability/flow-records.ts';
import { DEFAULT_FLOW_LOG_FORMAT } from '../../../../helpers/targets/schema.ts';

const V2 = fieldsOf(DEFAULT_FLOW_LOG_FORMAT);
const T0 = 1_800_000_000;
const end = (name: string, ip: string, eni: string, vpcId: string) => ({
  name,
  ip,
  eni,
  vpcId,
  subnetId: `subnet-${name}`,
});
const A = end('app-a', '10.0.1.10', 'eni-0a', 'vpc-a');
const B = end('app-b', '10.2.1.10', 'eni-0b', 'vpc-b');
const ping = (over: Partial<RunTraffic> = {}): RunTraffic => ({
  row: 'app-a→app-b:icmp',
  from: A,
  to: B,
  protocol: 1,
  carried: true,
  startSec: T0,
  endSec: T0 + 3,
  ...over,
});
const line = (eni: string, action: string, start = T0 + 10, src = A.ip, dst = B.ip, proto = 1) =>
  `2 111111111111 ${eni} ${src} ${dst} 0 0 ${proto} 3 252 ${start} ${start + 50} ${action} OK`;
const rec = (...args: Parameters<typeof line>) => parseFlowRecord(V2, line(...args))!;
const both = () => true;

describe('parseFlowRecord reads a record with the flow log’s own format', () => {
  test('the default v2 format, its header and NODATA records', ({ expect }) => {
    expect(rec('eni-0a', 'ACCEPT')).toMatchObject({
      interfaceId: 'eni-0a',
      srcaddr: A.ip,
      dstaddr: B.ip,
      protocol: 1,
      action: 'ACCEPT',
      start: T0 + 10,
    });
    expect(parseFlowRecord(V2, V2.join(' '))).toBeUndefined();
    expect(
      parseFlowRecord(V2, `2 111111111111 eni-0a - - - - - - - ${T0} ${T0 + 60} - NODATA`),
    ).toBeUndefined();
    expect(parseFlowRecord(V2, 'not a record')).toBeUndefined();
  });

  test('a custom format: fields where it puts them, the interface from the stream when absent', ({
    expect,
  }) => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS's LogFormat syntax
    const custom = fieldsOf('${action} ${start} ${end} ${protocol} ${dstaddr} ${srcaddr} ${dstport}');
    expect(parseFlowRecord(custom, `REJECT ${T0} ${T0 + 5} 6 ${B.ip} ${A.ip} 443`, 'eni-0b')).toMatchObject({
      interfaceId: 'eni-0b',
      srcaddr: A.ip,
      dstaddr: B.ip,
      protocol: 6,
      dstport: 443,
      action: 'REJECT',
    });
    expect(unmatchable(custom, false)).toBeUndefined();
    expect(unmatchable(custom, true)).toBe("the flow log's format lacks interface-id");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS's LogFormat syntax
    expect(unmatchable(fieldsOf('${version} ${srcaddr}'), false)).toContain(
      'dstaddr, protocol, action, start, end',
    );
  });
});

describe('expectationsFor: what AWS records of this run’s traffic at the interfaces a flow log watches', () => {
  test('carried traffic: ACCEPT at both ends; refused traffic: a record leaving, no ACCEPT arriving', ({
    expect,
  }) => {
    expect(expectationsFor([ping()], both).map((e) => [e.eni, e.want])).toEqual([
      ['eni-0a', 'accept'],
      ['eni-0b', 'accept'],
    ]);
    expect(expectationsFor([ping({ carried: false })], both).map((e) => [e.eni, e.want])).toEqual([
      ['eni-0a', 'seen'],
      ['eni-0b', 'no-accept'],
    ]);
    expect(expectationsFor([ping()], (e) => e.vpcId === 'vpc-b').map((e) => e.side)).toEqual(['destination']);
  });

  test('a refused ping’s arrival is not asked about when a ping the other way was answered: its echo replies look the same', ({
    expect,
  }) => {
    const back = ping({ row: 'app-b→app-a:icmp', from: B, to: A });
    const refused = ping({ carried: false });
    const wants = expectationsFor([refused, back], both).filter((e) => e.traffic === refused);
    expect(wants.map((e) => e.want)).toEqual(['seen']);
    expect(
      expectationsFor([refused, { ...back, carried: false }], both).filter((e) => e.traffic === refused),
    ).toHaveLength(2);
  });
});

describe('judge: records matched by addresses, protocol and this run’s window, never by the newest', () => {
  test('an allowed ping recorded at both ends meets both expectations', ({ expect }) => {
    const j = judge(expectationsFor([ping()], both), [rec('eni-0a', 'ACCEPT'), rec('eni-0b', 'ACCEPT')]);
    expect(j.missing).toEqual([]);
    expect(j.met).toHaveLength(2);
  });

  test('a record of another pair, protocol, interface or window meets nothing', ({ expect }) => {
    const wrong = [
      rec('eni-0a', 'ACCEPT', T0 + 10, A.ip, '10.9.9.9'),
      rec('eni-0a', 'ACCEPT', T0 + 10, A.ip, B.ip, 6),
      rec('eni-0c', 'ACCEPT'),
      rec('eni-0a', 'ACCEPT', T0 - 600),
      rec('eni-0a', 'ACCEPT', T0 + 3 + 61),
    ];
    const j = judge(expectationsFor([ping()], both), wrong);
    expect(j.missing.map((e) => e.eni)).toEqual(['eni-0a', 'eni-0b']);
    expect(j.met).toEqual([]);
  });

  test('a record whose start lags the packet by up to 60 s is this run’s', ({ expect }) => {
    expect(judge(expectationsFor([ping()], both), [rec('eni-0a', 'ACCEPT', T0 + 63)]).missing).toHaveLength(
      1,
    );
  });

  test('an allowed ping recorded REJECT at the destination is missing its ACCEPT', ({ expect }) => {
    const j = judge(expectationsFor([ping()], both), [rec('eni-0a', 'ACCEPT'), rec('eni-0b', 'REJECT')]);
    expect(j.missing.map((e) => e.side)).toEqual(['destination']);
  });

  test('refused traffic: REJECT or nothing at the destination is as AWS records it; ACCEPT there is unwanted', ({
    expect,
  }) => {
    const refused = expectationsFor([ping({ carried: false })], both);
    expect(judge(refused, [rec('eni-0a', 'ACCEPT'), rec('eni-0b', 'REJECT')])).toMatchObject({
      missing: [],
      unwanted: [],
    });
    expect(judge(refused, [rec('eni-0a', 'ACCEPT'), rec('eni-0b', 'ACCEPT')]).unwanted).toHaveLength(1);
  });

  test('an absence counts only once an awaited record of this run arrived at the same interface', ({
    expect,
  }) => {
    const C = end('app-c', '10.3.1.10', 'eni-0c', 'vpc-c');
    const refused = ping({ carried: false });
    const intoB = ping({ row: 'app-c→app-b:icmp', from: C, to: B });
    const wants = expectationsFor([refused, intoB], both);
    // Only the source's records are in: the destination's stream may simply not have been published yet.
    const early = judge(wants, [rec('eni-0a', 'ACCEPT')]);
    expect(early.uncontrolled.map((e) => e.eni)).toEqual(['eni-0b']);
    const late = judge(wants, [rec('eni-0a', 'ACCEPT'), rec('eni-0b', 'ACCEPT', T0 + 10, C.ip, B.ip)]);
    expect(late.uncontrolled).toEqual([]);
    expect(late.unwanted).toEqual([]);
    expect(late.met.map((m) => `${m.expectation.eni} ${m.expectation.want}`)).toContain('eni-0b no-accept');
  });

  test('an absence alone is no control', ({ expect }) => {
    const onlyArriving = expectationsFor([ping({ carried: false })], (e) => e.vpcId === 'vpc-b');
    expect(judge(onlyArriving, []).uncontrolled).toHaveLength(1);
  });
});
