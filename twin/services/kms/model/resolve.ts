import { keyNotFound, notFound } from '../errors.ts';
import { getAlias } from './aliases.ts';
import type { KmsModel } from './index.ts';
import type { KeyRecord } from './state.ts';

/** How the model of another account (or region) is reached; given by the service definition. */
export type ModelOf = (accountId: string, region: string) => KmsModel;

export interface ResolvedKey {
  key: KeyRecord;
  /** The model holding the key (the key owner's account). */
  owner: KmsModel;
  /** The alias name the caller named the key by, for `kms:RequestAlias`. */
  requestAlias?: string;
}

const KEY_ID = /^(mrk-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_ARN = /^arn:aws[\w-]*:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws[\w-]*:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

function keyIn(owner: KmsModel, keyId: string, arn: string): KeyRecord {
  const key = owner.key(keyId);
  if (!key) throw keyNotFound(arn);
  return key;
}

/**
 * Finds the key a KeyId parameter names: a key id or key ARN, an alias name
 * or alias ARN ("To specify a KMS key in a different AWS account, you must
 * use the key ARN or alias ARN", API_Encrypt). A key in another region is
 * not found. Errors are KMS's: `Key '<arn>' does not exist`, `Alias <arn>
 * is not found.`, `Invalid keyId <id>`.
 */
export function resolveKey(
  modelOf: ModelOf,
  ref: string,
  caller: { accountId: string; region: string },
): ResolvedKey {
  const keyArn = KEY_ARN.exec(ref);
  if (keyArn) {
    const [, region, accountId, keyId] = keyArn as unknown as [string, string, string, string];
    if (region !== caller.region) throw keyNotFound(ref);
    const owner = modelOf(accountId, region);
    return { key: keyIn(owner, keyId, ref), owner };
  }
  const aliasRef = ALIAS_ARN.exec(ref);
  if (aliasRef || ref.startsWith('alias/')) {
    const [accountId, region, name] = aliasRef
      ? [aliasRef[2]!, aliasRef[1]!, aliasRef[3]!]
      : [caller.accountId, caller.region, ref];
    const owner = modelOf(accountId, region);
    if (region !== caller.region) throw notFound(`Alias ${ref} is not found.`);
    const alias = getAlias(owner, name);
    return { key: keyIn(owner, alias.targetKeyId, ref), owner, requestAlias: name };
  }
  if (!KEY_ID.test(ref)) throw notFound(`Invalid keyId ${ref}`);
  const owner = modelOf(caller.accountId, caller.region);
  return { key: keyIn(owner, ref, `arn:aws:kms:${caller.region}:${caller.accountId}:key/${ref}`), owner };
}
