import { AwsError } from '../core/errors.ts';
import type { Credential } from '../core/principal.ts';
import type { ProtocolName } from '../core/service.ts';
import type { Twin } from '../twin.ts';

/**
 * Finds who is calling from the access key id, as AWS does, and answers an
 * unknown key, a wrong signature or an expired session with the error each
 * protocol family uses for it.
 */
export function authErrors(protocol: ProtocolName, service: string) {
  const query = protocol === 'awsQuery';
  return {
    unknownKey: () =>
      protocol === 'ec2Query'
        ? new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', {
            status: 401,
          })
        : service === 's3'
          ? new AwsError(
              'InvalidAccessKeyId',
              'The AWS Access Key Id you provided does not exist in our records.',
              {
                status: 403,
              },
            )
          : query
            ? new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', {
                status: 403,
              })
            : new AwsError(
                'UnrecognizedClientException',
                'The security token included in the request is invalid.',
                {
                  status: protocol === 'restJson1' ? 403 : 400,
                },
              ),
    badSignature: () =>
      protocol === 'ec2Query'
        ? new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', {
            status: 401,
          })
        : query || service === 's3'
          ? new AwsError(
              'SignatureDoesNotMatch',
              'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
              { status: 403 },
            )
          : new AwsError(
              'InvalidSignatureException',
              'The request signature we calculated does not match the signature you provided.',
              {
                status: protocol === 'restJson1' ? 403 : 400,
              },
            ),
    expired: () =>
      new AwsError(
        query || service === 's3' ? 'ExpiredToken' : 'ExpiredTokenException',
        'The security token included in the request is expired',
        {
          status: query || service === 's3' ? 400 : 400,
        },
      ),
    missing: () =>
      new AwsError(
        service === 's3' ? 'AccessDenied' : 'MissingAuthenticationTokenException',
        'Request is missing Authentication Token',
        { status: 403 },
      ),
  };
}

export function findCredential(twin: Twin, accessKeyId: string): Credential | undefined {
  return twin.credentials.get(accessKeyId);
}

export function sessionProblem(
  twin: Twin,
  credential: Credential,
  sessionToken: string | undefined,
): 'expired' | 'bad-token' | undefined {
  if (credential.sessionToken !== undefined && credential.sessionToken !== sessionToken) return 'bad-token';
  if (credential.expiresAt !== undefined && twin.clock.now() > credential.expiresAt) return 'expired';
  return undefined;
}
