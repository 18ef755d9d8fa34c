import { DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { tryRefusedRead } from '../../../../helpers/application/privilege-live.ts';
import { CannotTellError } from '../../../../helpers/errors.ts';
import { awsError, mockedClients } from '../support.ts';

/**
 * S17's try: only IAM's refusal of a resource the runner saw counts; a
 * missing object (which S3 may answer with 403 to a caller without
 * s3:ListBucket) is cannot-tell, never a pass.
 */
const s3 = mockClient(S3Client);
const dynamodb = mockClient(DynamoDBClient);
const OBJECT = 'arn:aws:s3:::app-data/logs/try.json';
const TABLE = 'arn:aws:dynamodb:eu-west-1:123456789012:table/AppEvents';
const attempt = (action: string, resource: string) => ({
  runner: mockedClients(),
  as: mockedClients(),
  action,
  resource,
  who: 'Operator',
});
const DENIED =
  'User: arn:aws:sts::123456789012:assumed-role/Operator/s is not authorized to perform: s3:GetObject';

beforeEach(() => {
  s3.reset();
  dynamodb.reset();
});
afterEach(() => {
  s3.reset();
  dynamodb.reset();
});

describe('tryRefusedRead', () => {
  test("IAM's AccessDenied on an object that exists: refused, with AWS's words", async () => {
    s3.on(HeadObjectCommand).resolves({});
    s3.on(GetObjectCommand).rejects(awsError('AccessDenied', 403, DENIED));
    await expect(tryRefusedRead(attempt('s3:GetObject', OBJECT))).resolves.toEqual({
      outcome: 'refused',
      answer: `AccessDenied: ${DENIED}`,
    });
  });

  test('the read succeeding is allowed (the check fails)', async () => {
    s3.on(HeadObjectCommand).resolves({});
    s3.on(GetObjectCommand).resolves({});
    await expect(tryRefusedRead(attempt('s3:GetObject', OBJECT))).resolves.toMatchObject({
      outcome: 'allowed',
    });
  });

  test('a missing object is cannot-tell even when the try is AccessDenied', async () => {
    s3.on(HeadObjectCommand).rejects(awsError('NotFound', 404));
    s3.on(GetObjectCommand).rejects(awsError('AccessDenied', 403, DENIED));
    await expect(tryRefusedRead(attempt('s3:GetObject', OBJECT))).rejects.toThrow(/does not exist/);
  });

  test('a missing resource on the try itself, or an action S17 cannot try, is cannot-tell', async () => {
    dynamodb.on(DescribeTableCommand).resolves({});
    dynamodb.on(ScanCommand).rejects(awsError('ResourceNotFoundException', 400));
    await expect(tryRefusedRead(attempt('dynamodb:Scan', TABLE))).rejects.toThrow(CannotTellError);
    await expect(tryRefusedRead(attempt('dynamodb:GetItem', TABLE))).rejects.toThrow(
      /cannot try dynamodb:GetItem/,
    );
    await expect(tryRefusedRead(attempt('s3:GetObject', 'arn:aws:s3:::app-data/*'))).rejects.toThrow(
      /one object/,
    );
  });

  test("DynamoDB's AccessDeniedException is IAM's refusal too", async () => {
    dynamodb.on(DescribeTableCommand).resolves({});
    dynamodb
      .on(ScanCommand)
      .rejects(awsError('AccessDeniedException', 400, 'is not authorized to perform: dynamodb:Scan'));
    await expect(tryRefusedRead(attempt('dynamodb:Scan', TABLE))).resolves.toMatchObject({
      outcome: 'refused',
    });
  });
});
