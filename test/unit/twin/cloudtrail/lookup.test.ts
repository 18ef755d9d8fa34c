import { beforeEach, describe, expect, test } from 'vitest';
import { delay, profileNamed } from '../../../../twin/state/profile.ts';
import { rootCredential } from '../../../../twin/twin.ts';
import { A, doc, fixture, REGION, type TrailFixture } from './fixtures.ts';

/**
 * Event history: visible only after the profile's delay, two lookups per
 * second per account and Region, one attribute, newest first, pages, and
 * each event's CloudTrailEvent in AWS's schema.
 */
let f: TrailFixture;
let visible: number;
type Lookup = {
  Events: {
    EventName: string;
    EventId: string;
    Username?: string;
    CloudTrailEvent: string;
    ReadOnly: string;
  }[];
  NextToken?: string;
};
const lookup = async (input: object = {}) => {
  f.clock.advance(1000); // one lookup per second keeps clear of the quota
  return f.ct<Lookup>('LookupEvents', input);
};

beforeEach(() => {
  f = fixture();
  f.twin.profile = profileNamed('realistic');
  visible = delay(f.twin.profile, 'cloudTrailVisibleMs');
});

describe('visibility', () => {
  test('an event appears only once cloudTrailVisibleMs has passed', async () => {
    await f.kms('CreateKey', { Description: 'seen later' });
    expect(
      (await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }] }))
        .Events,
    ).toEqual([]);
    f.clock.advance(visible);
    const { Events } = await lookup({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }],
    });
    expect(Events.map((e) => e.EventName)).toEqual(['CreateKey']);
  });

  test('events older than 90 days are gone', async () => {
    await f.kms('CreateKey', {});
    f.clock.advance(91 * 86_400_000);
    expect(
      (await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }] }))
        .Events,
    ).toEqual([]);
  });
});

describe('quota', () => {
  test('a third lookup within one second is throttled with "Rate exceeded"; the next second is fine', async () => {
    await f.ct('LookupEvents', {});
    await f.ct('LookupEvents', {});
    const err = await f.ctError('LookupEvents', {});
    expect([err.code, err.message]).toEqual(['ThrottlingException', 'Rate exceeded']);
    f.clock.advance(1000);
    await expect(f.ct('LookupEvents', {})).resolves.toHaveProperty('Events');
  });
});

describe('filters and pages', () => {
  beforeEach(async () => {
    for (let i = 0; i < 5; i += 1) await f.kms('CreateKey', { Description: `k${i}` });
    await f.kms('ListKeys', {});
    f.clock.advance(visible);
  });

  test.for([
    ['EventName', 'ListKeys', ['ListKeys']],
    ['ReadOnly', 'true', ['ListKeys']],
    [
      'EventSource',
      'kms.amazonaws.com',
      ['ListKeys', 'CreateKey', 'CreateKey', 'CreateKey', 'CreateKey', 'CreateKey'],
    ],
    ['Username', 'root', ['ListKeys', 'CreateKey', 'CreateKey', 'CreateKey', 'CreateKey', 'CreateKey']],
    ['ResourceType', 'AWS::KMS::Key', ['CreateKey', 'CreateKey', 'CreateKey', 'CreateKey', 'CreateKey']],
  ] as const)('%s = %s', async ([AttributeKey, AttributeValue, names]) => {
    const { Events } = await lookup({ LookupAttributes: [{ AttributeKey, AttributeValue }] });
    expect(Events.map((e) => e.EventName)).toEqual(names);
  });

  test('ResourceName, AccessKeyId and EventId find single events', async () => {
    const [newest] = (
      await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }] })
    ).Events;
    const record = JSON.parse(newest!.CloudTrailEvent);
    const arn = record.resources[0].ARN;
    expect(
      (await lookup({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: arn }] })).Events,
    ).toHaveLength(1);
    expect(
      (await lookup({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: newest!.EventId }] }))
        .Events,
    ).toHaveLength(1);
    expect(
      (await lookup({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: `AKIAROOT${A}` }] }))
        .Events.length,
    ).toBeGreaterThan(5);
  });

  test('newest first, MaxResults per page, NextToken to the end', async () => {
    const attrs = { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }] };
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await lookup({ ...attrs, MaxResults: 2, ...(token && { NextToken: token }) });
      expect(page.Events.length).toBeLessThanOrEqual(2);
      for (const e of page.Events) seen.push(JSON.parse(e.CloudTrailEvent).requestParameters.description);
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(['k4', 'k3', 'k2', 'k1', 'k0']);
  });

  test('one lookup attribute only; MaxResults 1–50; a token of another query is refused', async () => {
    const two = [
      { AttributeKey: 'EventName', AttributeValue: 'CreateKey' },
      { AttributeKey: 'ReadOnly', AttributeValue: 'false' },
    ];
    f.clock.advance(1000);
    expect((await f.ctError('LookupEvents', { LookupAttributes: two })).code).toBe(
      'InvalidLookupAttributesException',
    );
    f.clock.advance(1000);
    expect((await f.ctError('LookupEvents', { MaxResults: 51 })).code).toBe('InvalidMaxResultsException');
    const { NextToken } = await lookup({ MaxResults: 1 });
    f.clock.advance(1000);
    const err = await f.ctError('LookupEvents', { NextToken, LookupAttributes: [two[0]] });
    expect(err.code).toBe('InvalidNextTokenException');
  });

  test('StartTime after EndTime is an InvalidTimeRangeException; a window keeps its events only', async () => {
    f.clock.advance(1000);
    const now = f.clock.now();
    expect(
      (await f.ctError('LookupEvents', { StartTime: new Date(now), EndTime: new Date(now - 1) })).code,
    ).toBe('InvalidTimeRangeException');
    const { Events } = await lookup({ EndTime: new Date(now - visible - 60_000) });
    expect(Events).toEqual([]);
  });
});

describe('the CloudTrailEvent of a denied Decrypt by an assumed role', () => {
  test('is in AWS’s schema, with errorCode AccessDenied, the full message and the key', async () => {
    const key = (await f.kms<{ KeyMetadata: { Arn: string } }>('CreateKey', {})).KeyMetadata.Arn;
    const blob = (
      await f.kms<{ CiphertextBlob: Uint8Array }>('Encrypt', {
        KeyId: key,
        Plaintext: new Uint8Array([1]),
        EncryptionContext: { app: 'pay' },
      })
    ).CiphertextBlob;
    const reader = await f.role(A, 'ReaderRole');
    const denied = await f.kmsError(
      'Decrypt',
      { CiphertextBlob: blob, EncryptionContext: { app: 'pay' } },
      reader,
    );
    f.clock.advance(visible);
    const { Events } = await lookup({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Decrypt' }],
    });
    expect(Events).toHaveLength(1);
    expect(Events[0]).toMatchObject({
      EventName: 'Decrypt',
      ReadOnly: 'true',
      Username: 'ReaderRole-session',
      AccessKeyId: reader.accessKeyId,
    });
    const record = JSON.parse(Events[0]!.CloudTrailEvent);
    const roleArn = (reader.principal as { roleArn: string }).roleArn;
    expect(record).toEqual({
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: reader.principal.userId,
        arn: `arn:aws:sts::${A}:assumed-role/ReaderRole/ReaderRole-session`,
        accountId: A,
        accessKeyId: reader.accessKeyId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: reader.principal.userId.split(':')[0],
            arn: roleArn,
            accountId: A,
            userName: 'ReaderRole',
          },
          webIdFederationData: {},
          attributes: {
            creationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
            mfaAuthenticated: 'false',
          },
        },
      },
      eventTime: new Date(f.clock.now() - visible - 1000).toISOString().replace('.000', ''),
      eventSource: 'kms.amazonaws.com',
      eventName: 'Decrypt',
      awsRegion: REGION,
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.9.19',
      errorCode: 'AccessDenied',
      errorMessage: denied.message,
      requestParameters: {
        encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        keyId: key,
        encryptionContext: { app: 'pay' },
      },
      responseElements: null,
      requestID: expect.any(String),
      eventID: Events[0]!.EventId,
      readOnly: true,
      resources: [{ accountId: A, type: 'AWS::KMS::Key', ARN: key }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: A,
      eventCategory: 'Management',
      tlsDetails: {
        tlsVersion: 'TLSv1.3',
        cipherSuite: 'TLS_AES_128_GCM_SHA256',
        clientProvidedHostHeader: `kms.${REGION}.amazonaws.com`,
      },
    });
    expect(denied.message).toContain('is not authorized to perform: kms:Decrypt');
  });

  test('a cross-account call is in both accounts’ history when it succeeds, the caller’s only when denied', async () => {
    const keyPolicy = doc(
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444455556666:root' },
        Action: 'kms:Encrypt',
        Resource: '*',
      },
    );
    const key = (await f.kms<{ KeyMetadata: { Arn: string } }>('CreateKey', { Policy: keyPolicy }))
      .KeyMetadata.Arn;
    const user = await f.role('444455556666', 'b-user', { Effect: 'Allow', Action: 'kms:*', Resource: '*' });
    await f.kms('Encrypt', { KeyId: key, Plaintext: new Uint8Array([1]) }, user);
    await f.kmsError('GenerateDataKey', { KeyId: key, KeySpec: 'AES_256' }, user);
    f.clock.advance(visible);
    const inA = (
      await lookup({
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' }],
      })
    ).Events;
    expect(inA.map((e) => e.EventName)).toEqual(['Encrypt', 'CreateKey']);
    f.clock.advance(1000);
    const inB = (
      await f.ct<Lookup>(
        'LookupEvents',
        { LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' }] },
        rootCredential('444455556666'),
      )
    ).Events;
    expect(inB.map((e) => e.EventName)).toEqual(['GenerateDataKey', 'Encrypt']);
    expect(JSON.parse(inB[1]!.CloudTrailEvent).recipientAccountId).toBe('444455556666');
  });
});
