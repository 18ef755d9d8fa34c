import { describe, expect, test } from 'vitest';
import { signedScope } from '../../../../twin/runtime/network.ts';

describe('signedScope: the service a request to the twin names', () => {
  test('from the Authorization header', () => {
    const head =
      'POST / HTTP/1.1\r\nauthorization: AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261207/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abc\r\n\r\n';
    expect(signedScope(head)).toEqual({ region: 'us-east-1', service: 'sts' });
  });
  test('from a presigned URL', () => {
    const head =
      'GET /b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F20261207%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=x HTTP/1.1\r\n\r\n';
    expect(signedScope(head)).toEqual({ region: 'eu-west-1', service: 's3' });
  });
  test('an unsigned request names none', () => {
    expect(signedScope('GET / HTTP/1.1\r\nhost: x\r\n\r\n')).toBeUndefined();
  });
});
