/**
 * CloudTrail records, in AWS's event schema ("CloudTrail record contents",
 * "CloudTrail userIdentity element", CloudTrail User Guide), built from the
 * twin's call log. eventVersion 1.09: with tlsDetails and sessionCredential
 * attributes, without the 1.10+ fields.
 */
import type { ApiCall } from '../../../core/audit.ts';
import type { Principal } from '../../../core/principal.ts';

export type EventRecord = Record<string, unknown>;

/**
 * Where CloudTrail writes another errorCode than the service's wire error:
 * KMS's AccessDeniedException is recorded as "AccessDenied" (e.g. the
 * Decrypt event in aws-samples/baseline-environment-on-aws#51).
 */
const ERROR_CODES: Record<string, Record<string, string>> = {
  'kms.amazonaws.com': { AccessDeniedException: 'AccessDenied' },
};

/**
 * KMS's cryptographic operations are read-only events ("readOnly": true in
 * the Decrypt, Encrypt and GenerateDataKey examples of the KMS Developer
 * Guide), though their names do not say so.
 */
const READ_ONLY: Record<string, ReadonlySet<string>> = {
  'kms.amazonaws.com': new Set([
    'Decrypt',
    'Encrypt',
    'GenerateDataKey',
    'GenerateDataKeyWithoutPlaintext',
    'ReEncrypt',
    'GenerateRandom',
  ]),
};

export function readOnly(call: ApiCall): boolean {
  return call.readOnly || Boolean(READ_ONLY[call.eventSource]?.has(call.eventName));
}

export function errorCode(call: ApiCall): string | undefined {
  return call.errorCode && (ERROR_CODES[call.eventSource]?.[call.errorCode] ?? call.errorCode);
}

/** `2026-03-01T10:00:00Z`: CloudTrail's times have no milliseconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sessionContext(p: Extract<Principal, { kind: 'assumed-role' }>, created: number): EventRecord {
  return {
    sessionIssuer: {
      type: 'Role',
      principalId: p.userId.split(':')[0],
      arn: p.roleArn,
      accountId: p.accountId,
      userName: p.roleName,
    },
    webIdFederationData: {},
    attributes: { creationDate: isoSeconds(created), mfaAuthenticated: 'false' },
  };
}

/** The userIdentity element: Root, IAMUser, AssumedRole (with its session issuer) or AWSService. */
export function userIdentity(call: ApiCall): EventRecord {
  const p = call.principal;
  if (p.kind === 'service') return { type: 'AWSService', invokedBy: call.invokedBy ?? p.service };
  const base: EventRecord = {
    type: p.kind === 'root' ? 'Root' : p.kind === 'user' ? 'IAMUser' : 'AssumedRole',
    principalId: p.userId,
    arn: p.arn,
    accountId: p.accountId,
    ...(call.accessKeyId && { accessKeyId: call.accessKeyId }),
  };
  if (p.kind === 'user') base.userName = p.userName;
  if (p.kind === 'assumed-role') base.sessionContext = sessionContext(p, call.time);
  if (call.invokedBy) base.invokedBy = call.invokedBy;
  return base;
}

function arnAccount(arn: string, fallback: string): string {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : fallback;
}

/** The record of `call` as the account `viewer` sees it (its recipientAccountId). */
export function eventRecord(call: ApiCall, viewer: string): EventRecord {
  const code = errorCode(call);
  const service = call.eventSource.replace(/\.amazonaws\.com$/, '');
  return {
    eventVersion: '1.09',
    userIdentity: userIdentity(call),
    eventTime: isoSeconds(call.time),
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion: call.region,
    sourceIPAddress: call.sourceIp,
    userAgent: call.userAgent,
    ...(code && { errorCode: code, errorMessage: call.errorMessage ?? '' }),
    requestParameters: call.requestParameters,
    responseElements: call.responseElements,
    requestID: call.requestId,
    eventID: call.eventId,
    readOnly: readOnly(call),
    ...(call.resources.length && {
      resources: call.resources.map((r) => ({
        accountId: arnAccount(r.arn, call.recipientAccountId),
        type: r.type,
        ARN: r.arn,
      })),
    }),
    eventType: 'AwsApiCall',
    managementEvent: call.management,
    recipientAccountId: viewer,
    ...(call.invokedBy && { sharedEventID: call.eventId }),
    eventCategory: call.management ? 'Management' : 'Data',
    ...(!call.invokedBy && {
      tlsDetails: {
        tlsVersion: 'TLSv1.3',
        cipherSuite: 'TLS_AES_128_GCM_SHA256',
        clientProvidedHostHeader: `${service}.${call.region}.amazonaws.com`,
      },
    }),
  };
}

/** LookupEvents' Username: the IAM user's name, the role session's name, or `root`. */
export function username(call: ApiCall): string | undefined {
  const p = call.principal;
  if (p.kind === 'root') return 'root';
  if (p.kind === 'user') return p.userName;
  if (p.kind === 'assumed-role') return p.sessionName;
  return undefined;
}

/** Accounts whose event history holds a call: the caller's and, when it succeeded, the resource owner's. */
export function seenBy(call: ApiCall, accountId: string): boolean {
  return call.principal.accountId === accountId || call.recipientAccountId === accountId;
}
