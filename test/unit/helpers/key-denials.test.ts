import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, test } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import type { TrailEvent } from '../../../helpers/cloudtrail.ts';
import { BlockedError, CannotTellError, LabDeviationError } from '../../../helpers/errors.ts';
import {
  controlProblem,
  isRunDenial,
  noControl,
  refusalsOf,
  waitForRunDenial,
} from '../../../helpers/key-denials.ts';

const KEY = 'arn:aws:kms:us-east-1:111111111111:key/k';
const MINE = 'arn:aws:sts::111111111111:assumed-role/Runner/meshcheck-mc-20260301-a1b2c3';
const THEIRS = 'arn:aws:sts::111111111111:assumed-role/Runner/meshcheck-mc-20260301-ffffff';
const denial = (over: Partial<TrailEvent> = {}): TrailEvent => ({
  id: 'e',
  name: 'Decrypt',
  time: new Date(),
  source: 'kms.amazonaws.com',
  errorCode: 'AccessDenied',
  principalArn: MINE,
  roleArn: 'arn:aws:iam::111111111111:role/Runner',
  resources: [KEY],
  encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/receipts/a.txt' },
  ...over,
});

describe('isRunDenial: only this run’s refusal is the control', () => {
  const control = { keyArn: KEY, sessionArn: MINE, objectArns: [] };
  test('by the run’s own session', ({ expect }) => {
    expect(isRunDenial(denial(), control)).toBe(true);
    expect(isRunDenial(denial({ principalArn: THEIRS }), control)).toBe(false);
    expect(isRunDenial(denial({ errorCode: undefined }), control)).toBe(false);
    expect(
      isRunDenial(denial({ resources: ['arn:aws:kms:us-east-1:111111111111:key/other'] }), control),
    ).toBe(false);
  });

  test('without a session, by the object S3 named in the encryption context', ({ expect }) => {
    const byObject = { keyArn: KEY, objectArns: ['arn:aws:s3:::b/receipts/a.txt'] };
    expect(isRunDenial(denial({ principalArn: THEIRS }), byObject)).toBe(true);
    expect(isRunDenial(denial({ encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b' } }), byObject)).toBe(
      false,
    );
    expect(isRunDenial(denial({ encryptionContext: undefined }), byObject)).toBe(false);
  });

  test('a bucket key without a session cannot be told apart, and says how to fix it', ({ expect }) => {
    expect(controlProblem({ keyArn: KEY, sessionArn: MINE, objectArns: [] }, true)).toBeUndefined();
    expect(controlProblem({ keyArn: KEY, objectArns: [] }, false)).toBeUndefined();
    expect(controlProblem({ keyArn: KEY, objectArns: [] }, true, 'a user')).toMatch(
      /cannot tell this run's refusal.*\(a user\).*S3 Bucket Key/,
    );
  });
});

describe('refusalsOf and noControl', () => {
  test('finds refusals of the pipeline’s roles only', ({ expect }) => {
    const pipeline = denial({ id: 'p', roleArn: 'arn:aws:iam::111111111111:role/Proc' });
    const ok = denial({ id: 'ok', roleArn: 'arn:aws:iam::111111111111:role/Proc', errorCode: undefined });
    expect(refusalsOf([denial(), pipeline, ok], new Set(['arn:aws:iam::111111111111:role/Proc']))).toEqual([
      pipeline,
    ]);
  });

  test('absence without the control is an error saying so; blocked stays blocked', ({ expect }) => {
    const blocked = new BlockedError('D7', 'no receipt arrived');
    expect(noControl(blocked)).toBe(blocked);
    const missing = noControl(new LabDeviationError('waited 20s'));
    expect(missing).toBeInstanceOf(CannotTellError);
    expect(missing.message).toMatch(/cannot conclude .* this run's own refusal \(D10\) is not visible/);
  });
});

describe('waitForRunDenial', () => {
  const cloudtrail = new CloudTrailClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const mock = mockClient(cloudtrail);
  const record = (e: { id: string; arn: string }) => ({
    EventId: e.id,
    CloudTrailEvent: JSON.stringify({
      eventName: 'Decrypt',
      errorCode: 'AccessDenied',
      userIdentity: { arn: e.arn },
      resources: [{ ARN: KEY }],
    }),
  });

  test('another run’s refusal does not end the wait; this run’s does', async ({ expect }) => {
    mock
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [record({ id: 'theirs', arn: THEIRS })] })
      .resolves({ Events: [record({ id: 'theirs', arn: THEIRS }), record({ id: 'mine', arn: MINE })] });
    const found = await waitForRunDenial(
      { cloudtrail } as unknown as AwsClients,
      { keyArn: KEY, sessionArn: MINE, objectArns: [] },
      { start: new Date(0), timeoutMs: 10_000 },
    );
    expect(found.denials.map((d) => d.id)).toEqual(['mine']);
    expect(found.decrypts.map((d) => d.id)).toEqual(['theirs', 'mine']);
  });

  test('only another run’s refusal within the bound: the control is missing', async ({ expect }) => {
    mock.reset();
    mock.on(LookupEventsCommand).resolves({ Events: [record({ id: 'theirs', arn: THEIRS })] });
    const error = await waitForRunDenial(
      { cloudtrail } as unknown as AwsClients,
      { keyArn: KEY, sessionArn: MINE, objectArns: [] },
      { start: new Date(0), timeoutMs: 1_500 },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(LabDeviationError);
    expect(error.message).toContain(`none a refusal of ${MINE}`);
  });
});
