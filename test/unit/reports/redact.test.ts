import { describe, expect, test } from 'vitest';
import { isSecretKey, REDACTED, redactText, redactValue } from '../../../reports/redact.ts';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const TEMP_KEY_ID = 'ASIAQWERTYUIOPASDFGH';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEPT//////////wEaCXVzLWVhc3QtMSJHMEUCIQD';

describe('redactText', () => {
  test('hides long-term and temporary access key ids but keeps their prefix', () => {
    const out = redactText(`used ${KEY_ID} then ${TEMP_KEY_ID}.`);
    expect(out).toBe(`used AKIA${REDACTED} then ASIA${REDACTED}.`);
  });

  test('leaves ids that only look similar (too short, lower case, longer)', () => {
    const text = 'AKIA1234 akiaiosfodnn7example AKIAIOSFODNN7EXAMPLEX vpc-0abc';
    expect(redactText(text)).toBe(text);
  });

  test.for([
    [`aws_secret_access_key = ${SECRET}`, `aws_secret_access_key = ${REDACTED}`],
    [`AWS_SECRET_ACCESS_KEY=${SECRET}`, `AWS_SECRET_ACCESS_KEY=${REDACTED}`],
    [`{"SecretAccessKey":"${SECRET}"}`, `{"SecretAccessKey":"${REDACTED}"}`],
    [`{\\"secretAccessKey\\":\\"${SECRET}\\"}`, `{\\"secretAccessKey\\":\\"${REDACTED}\\"}`],
    [`aws_session_token=${TOKEN}`, `aws_session_token=${REDACTED}`],
    [`"SessionToken": "abc.def"`, `"SessionToken": "${REDACTED}"`],
    [
      `https://b.s3.amazonaws.com/k?X-Amz-Security-Token=abc%2Fdef&X-Amz-Date=1`,
      `https://b.s3.amazonaws.com/k?X-Amz-Security-Token=${REDACTED}&X-Amz-Date=1`,
    ],
    [`<SecretAccessKey>${SECRET}</SecretAccessKey>`, `<SecretAccessKey>${REDACTED}</SecretAccessKey>`],
    [`<SessionToken>${TOKEN}</SessionToken>`, `<SessionToken>${REDACTED}</SessionToken>`],
  ])('redacts the value after a secret-ish key: %s', ([input, output]) => {
    expect(redactText(input!)).toBe(output);
  });

  test('redacts the whole Authorization header value, to the end of the line', () => {
    const header = `Authorization: AWS4-HMAC-SHA256 Credential=${KEY_ID}/20250101/us-east-1/ec2/aws4_request, Signature=abc\nHost: x`;
    expect(redactText(header)).toBe(`Authorization: ${REDACTED}\nHost: x`);
  });

  test('redacts a session token by its shape, whatever key it sits under', () => {
    expect(redactText(`token is ${TOKEN} here`)).toBe(`token is ${REDACTED} here`);
  });

  test('redacts a 40-character secret that follows its key id, as in a credentials CSV', () => {
    expect(redactText(`${KEY_ID},${SECRET}`)).toBe(`AKIA${REDACTED},${REDACTED}`);
  });

  test('redacts PEM private keys', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----';
    expect(redactText(pem)).not.toContain('MIIEow');
  });

  test('is idempotent and leaves ordinary evidence alone', () => {
    const text = 'ping -c 3 10.1.1.10: 3 packets transmitted, NextToken=abc, ClientToken: x';
    expect(redactText(text)).toBe(text);
    const once = redactText(`AWS_SECRET_ACCESS_KEY=${SECRET} ${KEY_ID}`);
    expect(redactText(once)).toBe(once);
  });
});

describe('redactValue', () => {
  test('blanks secret-keyed values at any depth and redacts strings elsewhere', () => {
    const value = {
      credentials: { AccessKeyId: KEY_ID, SecretAccessKey: 'short', SessionToken: 'tok', Expiration: '2025' },
      headers: { authorization: 'AWS4-HMAC-SHA256 …', 'x-amz-security-token': 'tok' },
      log: [`caller ${KEY_ID}`],
      NextToken: 'page-2',
      count: 3,
    };
    expect(redactValue(value)).toEqual({
      credentials: {
        AccessKeyId: `AKIA${REDACTED}`,
        SecretAccessKey: REDACTED,
        SessionToken: REDACTED,
        Expiration: '2025',
      },
      headers: { authorization: REDACTED, 'x-amz-security-token': REDACTED },
      log: [`caller AKIA${REDACTED}`],
      NextToken: 'page-2',
      count: 3,
    });
  });

  test('does not mutate its input and survives cycles', () => {
    const value: Record<string, unknown> = { password: 'hunter2' };
    value.self = value;
    const out = redactValue(value) as Record<string, unknown>;
    expect(value.password).toBe('hunter2');
    expect(out).toEqual({ password: REDACTED, self: '[Circular]' });
  });

  test('isSecretKey ignores case and separators but not pagination or idempotency tokens', () => {
    expect(
      ['SecretAccessKey', 'aws_secret_access_key', 'X-Amz-Security-Token', 'Authorization'].every(
        isSecretKey,
      ),
    ).toBe(true);
    expect(['NextToken', 'ClientToken', 'AccessKeyId', 'SecretArn'].some(isSecretKey)).toBe(false);
  });
});
