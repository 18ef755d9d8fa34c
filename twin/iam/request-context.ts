/**
 * The global condition keys of a request ("AWS global condition context
 * keys", IAM User Guide), from the caller and the path its call took:
 * - aws:PrincipalArn is the role's ARN for a role session, not the session's;
 *   aws:PrincipalType is Account, User or AssumedRole; aws:userid is the
 *   account id, the user's AIDA… id, or `AROA…:session`; aws:username only
 *   for IAM users.
 * - "The aws:SourceIp condition key is always included in the request,
 *   except for requests that use an Amazon VPC endpoint"; those carry
 *   aws:SourceVpce, aws:SourceVpc and aws:VpcSourceIp instead.
 * - Service principals carry aws:PrincipalServiceName; the service supplies
 *   aws:SourceArn / aws:SourceAccount through the request's own keys.
 */

import type { ContextKeys } from '../../policy/context-keys.ts';
import type { Principal } from '../core/principal.ts';

export interface CallFacts {
  region: string;
  time: number;
  sourceIp: string;
  secureTransport: boolean;
  /** Set when the call went through a VPC endpoint. */
  sourceVpce?: string;
  sourceVpc?: string;
  /** The endpoint's policy, which must also allow the call. */
  endpointPolicy?: string;
  /** Set when an AWS service makes the call on the principal's behalf (`kms:ViaService` callers, S3 → KMS). */
  viaService?: string;
}

const PRINCIPAL_TYPE = { root: 'Account', user: 'User', 'assumed-role': 'AssumedRole' } as const;

function principalKeys(p: Principal, tags: readonly { Key: string; Value: string }[]): ContextKeys {
  if (p.kind === 'service')
    return { 'aws:PrincipalServiceName': p.service, 'aws:PrincipalIsAWSService': true };
  const keys: ContextKeys = {
    'aws:PrincipalArn': p.kind === 'assumed-role' ? p.roleArn : p.arn,
    'aws:PrincipalAccount': p.accountId,
    'aws:PrincipalType': PRINCIPAL_TYPE[p.kind],
    'aws:PrincipalIsAWSService': false,
    'aws:userid': p.userId,
  };
  if (p.kind === 'user') keys['aws:username'] = p.userName;
  // Only aws:PrincipalTag/<key>: AWS has no key listing a principal's tag keys
  // (aws:TagKeys is the request's tags), so a policy naming one never matches.
  for (const t of tags) keys[`aws:PrincipalTag/${t.Key}`] = t.Value;
  return keys;
}

function networkKeys(facts: CallFacts): ContextKeys {
  if (facts.sourceVpce) {
    return {
      'aws:SourceVpce': facts.sourceVpce,
      ...(facts.sourceVpc && { 'aws:SourceVpc': facts.sourceVpc }),
      'aws:VpcSourceIp': facts.sourceIp,
    };
  }
  return { 'aws:SourceIp': facts.sourceIp };
}

/** The global keys of a call by `principal` (tags of its role or user included). */
export function globalKeys(
  principal: Principal,
  facts: CallFacts,
  tags: readonly { Key: string; Value: string }[] = [],
): ContextKeys {
  const time = new Date(facts.time);
  return {
    ...principalKeys(principal, tags),
    ...(principal.kind !== 'service' && networkKeys(facts)),
    'aws:SecureTransport': facts.secureTransport,
    'aws:CurrentTime': time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': Math.floor(facts.time / 1000),
    'aws:RequestedRegion': facts.region,
    'aws:ViaAWSService': Boolean(facts.viaService),
    ...(facts.viaService && { 'aws:CalledVia': [facts.viaService], 'aws:CalledViaFirst': facts.viaService }),
  };
}
