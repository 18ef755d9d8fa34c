import { describe, expect, test } from 'vitest';
import { decodeAttachment, evidenceOf, reachabilityConforms, summaryOf } from '../../../reports/evidence.ts';

const json = (value: unknown) => ({
  body: JSON.stringify(value),
  contentType: 'application/json',
  bodyEncoding: 'base64',
});

describe('decodeAttachment', () => {
  test('reads plain JSON even though vitest labels string bodies base64', () => {
    expect(decodeAttachment(json({ a: 1 }))).toEqual({ a: 1 });
  });

  test('decodes a real base64 body, and a utf-8 one', () => {
    const body = Buffer.from(JSON.stringify({ b: [2] })).toString('base64');
    expect(decodeAttachment({ body, bodyEncoding: 'base64' })).toEqual({ b: [2] });
    expect(decodeAttachment({ body: 'plain words', bodyEncoding: 'utf-8' })).toBe('plain words');
  });

  test('keeps non-JSON text as text and has no value without an attachment', () => {
    expect(decodeAttachment({ body: 'not json {', bodyEncoding: 'base64' })).toBe('not json {');
    expect(decodeAttachment(undefined)).toBeNull();
  });
});

describe('evidenceOf', () => {
  test('splits evidence from notes, keeps order, and redacts both', () => {
    const { evidence, notes } = evidenceOf([
      {
        type: 'evidence:ping',
        message: '3/3 replies',
        attachment: json({ from: 'a', to: 'b', transmitted: 3, received: 3 }),
      },
      { type: 'notice', message: 'caller was AKIAIOSFODNN7EXAMPLE' },
      { type: 'evidence:receipt', message: '', attachment: json({ SecretAccessKey: 'x', body: 'apple' }) },
    ]);
    expect(evidence.map((e) => e.kind)).toEqual(['ping', 'receipt']);
    expect(evidence[0]!.summary).toBe('3/3 replies');
    expect(evidence[1]).toEqual({
      kind: 'receipt',
      summary: 'receipt evidence',
      value: { SecretAccessKey: '[REDACTED]', body: 'apple' },
    });
    expect(notes).toEqual([{ type: 'notice', message: 'caller was AKIA[REDACTED]' }]);
  });
});

describe('summaries and reachability', () => {
  test('derives a line per kind when the annotation had no message', () => {
    expect(summaryOf('ping', { from: 'a', to: 'b', transmitted: 3, received: 0, lossPercent: 100 })).toBe(
      'a → b: 0/3 replies, 100% loss',
    );
    expect(
      summaryOf('probe', {
        attempts: [{ name: 'get', outcome: 'denied', errorCode: 'AccessDenied', latencyMs: 12 }],
      }),
    ).toBe('get: denied (AccessDenied) in 12 ms');
    expect(summaryOf('calls', { 'ec2.DescribeVpcs': 2, 'sts.AssumeRole': 1 })).toBe('3 API calls');
    expect(summaryOf('cloudtrail', { events: [] })).toBe('cloudtrail evidence');
  });

  test('allow ↔ answered and deny ↔ silent conform; unknown cannot tell', () => {
    const r = (expect: string, observed: string) => ({ from: 'a', to: 'b', expect, observed });
    expect(reachabilityConforms(r('allow', 'answered'))).toBe(true);
    expect(reachabilityConforms(r('deny', 'silent'))).toBe(true);
    expect(reachabilityConforms(r('deny', 'answered'))).toBe(false);
    expect(reachabilityConforms(r('allow', 'silent'))).toBe(false);
    expect(reachabilityConforms(r('allow', 'unknown'))).toBeUndefined();
  });
});
