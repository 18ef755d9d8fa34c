/**
 * What a key policy sees of a request: key-policy semantics (IAM policies
 * count only where the key policy delegates to the account) and the KMS
 * condition keys ("AWS KMS condition keys", KMS Developer Guide):
 * kms:CallerAccount, kms:ViaService, kms:EncryptionAlgorithm,
 * kms:EncryptionContext:<key>, kms:EncryptionContextKeys, kms:RequestAlias,
 * and aws:ResourceTag/<key> from the key's tags.
 */
import type { AuthorizationRequest } from '../../../core/service.ts';
import type { KeyRecord } from './state.ts';

export interface KeyAccess {
  /** `kms:Decrypt` */
  action: string;
  key: Pick<KeyRecord, 'arn' | 'accountId' | 'policy' | 'tags'>;
  callerAccount: string | undefined;
  encryptionContext?: Record<string, string> | undefined;
  encryptionAlgorithm?: string | undefined;
  requestAlias?: string | undefined;
  /** `s3.us-east-1.amazonaws.com`, when a service uses the key for the caller. */
  viaService?: string | undefined;
  extra?: AuthorizationRequest['context'];
}

function contextKeys(ec: Record<string, string> | undefined): NonNullable<AuthorizationRequest['context']> {
  if (!ec) return {};
  const out: NonNullable<AuthorizationRequest['context']> = {};
  for (const [k, v] of Object.entries(ec)) out[`kms:EncryptionContext:${k}`] = v;
  // "kms:EncryptionContextKeys … a multivalued condition key" of the context's keys.
  out['kms:EncryptionContextKeys'] = Object.keys(ec);
  return out;
}

/** The authorization of one operation on one key, judged by its key policy. */
export function keyRequest(a: KeyAccess): AuthorizationRequest {
  const tags: NonNullable<AuthorizationRequest['context']> = {};
  for (const t of a.key.tags) tags[`aws:ResourceTag/${t.TagKey}`] = t.TagValue;
  return {
    action: a.action,
    resource: a.key.arn,
    resourcePolicy: a.key.policy,
    resourceAccount: a.key.accountId,
    resourcePolicyRequired: true,
    context: {
      ...tags,
      ...(a.callerAccount && { 'kms:CallerAccount': a.callerAccount }),
      ...(a.viaService && { 'kms:ViaService': a.viaService }),
      ...(a.encryptionAlgorithm && { 'kms:EncryptionAlgorithm': a.encryptionAlgorithm }),
      ...(a.requestAlias && { 'kms:RequestAlias': a.requestAlias }),
      ...contextKeys(a.encryptionContext),
      ...a.extra,
    },
  };
}

const HIDDEN =
  'because the resource does not exist in this Region, no resource-based policies allow access, or a resource-based policy explicitly denies access';

/**
 * KMS's wording of a denial. When the key policy is what refuses, KMS does
 * not say whether the key exists: "User: … is not authorized to perform:
 * kms:Decrypt on the resource associated with this ciphertext because the
 * resource does not exist in this Region, no resource-based policies allow
 * access, or a resource-based policy explicitly denies access"
 * (metaps/genova#375, 2023; kubernetes-sigs/aws-encryption-provider#141,
 * 2025: "… on this resource because …"). A refusal by the caller's IAM
 * policies names the key ARN ("… on resource: arn:aws:kms:… because no
 * identity-based policy allows the kms:Decrypt action").
 */
export function denialMessage(
  principalArn: string,
  action: string,
  resource: string,
  because: string,
): string {
  if (/resource-based policy/.test(because)) {
    const where = action === 'kms:Decrypt' ? 'the resource associated with this ciphertext' : 'this resource';
    return `User: ${principalArn} is not authorized to perform: ${action} on ${where} ${HIDDEN}`;
  }
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${because}`;
}

/** Re-words the gateway's generic denial message the way KMS words it. */
export function rewordDenial(
  message: string,
  principalArn: string,
  action: string,
  resource: string,
): string {
  const at = message.search(/ (because|with an explicit deny)/);
  const because = at >= 0 ? message.slice(at + 1) : message;
  return denialMessage(principalArn, action, resource, because);
}
