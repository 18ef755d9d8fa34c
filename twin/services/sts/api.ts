/**
 * STS — who the caller is, and sessions for roles.
 *
 * LIMITATIONS
 * - GetCallerIdentity and AssumeRole only: no AssumeRoleWithWebIdentity /
 *   WithSAML, GetSessionToken, GetFederationToken or DecodeAuthorizationMessage.
 * - AssumeRole: PolicyArns (managed session policies), SerialNumber/TokenCode
 *   (MFA) and ProvidedContexts are ignored; session tags become
 *   aws:RequestTag/… for the trust policy only (not aws:PrincipalTag of the
 *   session); PackedPolicySize is an approximation.
 * - A denied AssumeRole names no reason (AWS's message has none either).
 */

import type { AssumeRoleRequest, AssumeRoleResponse, GetCallerIdentityResponse } from '@aws-sdk/client-sts';
import * as sdk from '@aws-sdk/client-sts';
import { AwsError } from '../../core/errors.ts';
import { defineService } from '../../core/service.ts';
import { assumeRole } from './assume-role.ts';

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
  // AssumeRole is judged against the role's trust policy, which the handler reads first.
  authorization: (operation) =>
    operation === 'GetCallerIdentity' || operation === 'AssumeRole' ? 'in-handler' : undefined,
  handlers: {
    GetCallerIdentity(_model, _input, ctx): GetCallerIdentityResponse {
      return { UserId: ctx.principal.userId, Account: ctx.principal.accountId, Arn: ctx.principal.arn };
    },
    AssumeRole(_model, input: AssumeRoleRequest, ctx): AssumeRoleResponse {
      return assumeRole(ctx, input);
    },
  },
});
