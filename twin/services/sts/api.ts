/**
 * STS — who the caller is, and sessions for roles.
 *
 * LIMITATIONS
 * - Only GetCallerIdentity here; AssumeRole lives with IAM (trust policies).
 */
import * as sdk from '@aws-sdk/client-sts';
import type { GetCallerIdentityResponse } from '@aws-sdk/client-sts';
import { AwsError } from '../../core/errors.ts';
import { defineService } from '../../core/service.ts';

export const sts = defineService<object>({
  signingName: 'sts',
  iamPrefix: 'sts',
  protocol: 'awsQuery',
  sdk,
  namespace: 'com.amazonaws.sts',
  xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  version: '2011-06-15',
  createModel: () => ({}),
  accessDenied: (message) => new AwsError('AccessDenied', message, { status: 403 }),
  // GetCallerIdentity needs no permission: "No permissions are required to perform this operation."
  authorization: (operation) => (operation === 'GetCallerIdentity' ? 'in-handler' : undefined),
  handlers: {
    GetCallerIdentity(_model, _input, ctx): GetCallerIdentityResponse {
      return { UserId: ctx.principal.userId, Account: ctx.principal.accountId, Arn: ctx.principal.arn };
    },
  },
});
