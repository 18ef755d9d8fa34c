import { AwsError } from '../../../core/errors.ts';
import { aliasNotFound, alreadyExists, validation } from '../errors.ts';
import type { KmsModel } from './index.ts';
import { createKey } from './keys.ts';
import { MANAGED_KEYS, managedKeyDescription, managedKeyPolicy } from './policies.ts';
import type { AliasRecord, KeyRecord } from './state.ts';

export const MANAGED_PREFIX = 'alias/aws/';

export function aliasArn(model: KmsModel, name: string): string {
  return `arn:aws:kms:${model.region}:${model.accountId}:${name}`;
}

/**
 * Checks an alias name for CreateAlias / UpdateAlias ("AliasName": must
 * begin with `alias/`, `^[a-zA-Z0-9/_-]+$`, and "cannot begin with
 * alias/aws/", reserved for AWS managed keys — answered as moto's tests
 * record AWS answering, NotAuthorizedException with no message).
 */
export function checkAliasName(name: string): void {
  if (!name.startsWith('alias/') || name === 'alias/') throw validation('Invalid identifier');
  if (name.startsWith(MANAGED_PREFIX)) throw new AwsError('NotAuthorizedException', '');
  if (name.includes(':')) throw validation(`${name} contains invalid characters for an alias`);
  if (!/^[a-zA-Z0-9/_-]+$/.test(name) || name.length > 256) {
    throw validation(
      `1 validation error detected: Value '${name}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9/_-]+$`,
    );
  }
}

export function createAlias(model: KmsModel, name: string, key: KeyRecord): AliasRecord {
  checkAliasName(name);
  if (model.aliases.has(name)) {
    throw alreadyExists(`An alias with the name ${aliasArn(model, name)} already exists`);
  }
  const alias: AliasRecord = {
    name,
    arn: aliasArn(model, name),
    targetKeyId: key.keyId,
    createdAt: model.now,
    updatedAt: model.now,
  };
  model.aliases.set(name, alias);
  return alias;
}

/** The alias, or NotFoundException naming its ARN. */
export function getAlias(model: KmsModel, name: string): AliasRecord {
  const alias = model.aliases.get(name) ?? ensureManagedAlias(model, name);
  if (!alias) throw aliasNotFound(aliasArn(model, name));
  return alias;
}

/**
 * The AWS managed key behind `alias/aws/<service>`, made on first use: "When
 * you use … an AWS alias with no key ID … AWS KMS associates the alias with
 * an AWS managed key" (API_DescribeKey). Other `alias/aws/…` names stay
 * unknown.
 */
export function ensureManagedAlias(model: KmsModel, name: string): AliasRecord | undefined {
  const existing = model.aliases.get(name);
  if (existing) return existing;
  const service = name.startsWith(MANAGED_PREFIX) ? name.slice(MANAGED_PREFIX.length) : '';
  if (!MANAGED_KEYS[service]) return undefined;
  const key = createKey(model, {
    manager: 'AWS',
    description: managedKeyDescription(service),
    policy: managedKeyPolicy(service, model.accountId, model.region),
  });
  const alias: AliasRecord = {
    name,
    arn: aliasArn(model, name),
    targetKeyId: key.keyId,
    createdAt: model.now,
    updatedAt: model.now,
  };
  model.aliases.set(name, alias);
  return alias;
}

/** Names of the predefined `aws/<service>` aliases not yet bound to a key (ListAliases shows them without TargetKeyId). */
export function unboundManagedAliases(model: KmsModel): string[] {
  return Object.keys(MANAGED_KEYS)
    .map((service) => `${MANAGED_PREFIX}${service}`)
    .filter((name) => !model.aliases.has(name));
}
