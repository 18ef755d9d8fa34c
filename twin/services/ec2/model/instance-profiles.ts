import { createHash } from 'node:crypto';
import { AwsError } from '../../../core/errors.ts';
import type { Ec2Model } from './index.ts';
import { requireInstances } from './instances.ts';
import type { InstanceState } from './state.ts';

/**
 * IAM instance profiles on instances: at most one association per instance
 * (docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateIamInstanceProfile.html).
 */

/**
 * The profile's ARN from `{ Arn }` or `{ Name }`; a name is the caller's
 * account's profile, `arn:aws:iam::ACCOUNT:instance-profile/NAME`.
 */
export function instanceProfileArn(
  accountId: string,
  spec: { Arn?: string | undefined; Name?: string | undefined } | undefined,
): string | undefined {
  if (!spec) return undefined;
  if (spec.Arn) {
    if (!/^arn:aws[\w-]*:iam::\d{12}:instance-profile\/.+/.test(spec.Arn)) {
      throw new AwsError(
        'InvalidParameterValue',
        `Value (${spec.Arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`,
      );
    }
    return spec.Arn;
  }
  if (spec.Name) return `arn:aws:iam::${accountId}:instance-profile/${spec.Name}`;
  throw new AwsError(
    'InvalidParameterValue',
    'Value () for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
  );
}

/** A stable `AIPA…` id for a profile ARN, as DescribeInstances shows `IamInstanceProfile.Id`. */
export function instanceProfileId(arn: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = createHash('sha256').update(arn).digest();
  let out = 'AIPA';
  for (let i = 0; out.length < 21; i++) out += alphabet[bytes[i]! % 32];
  return out;
}

/** The instance holding association `associationId`, or InvalidAssociationID.NotFound. */
export function instanceByAssociation(model: Ec2Model, associationId: string | undefined): InstanceState {
  for (const instance of model.instances.values()) {
    if (associationId && instance.iamInstanceProfileAssociationId === associationId) return instance;
  }
  throw new AwsError(
    'InvalidAssociationID.NotFound',
    `An invalid association-id of '${associationId ?? ''}' was given`,
  );
}

/** AssociateIamInstanceProfile: fails with IncorrectState when the instance already has one. */
export function associateInstanceProfile(
  model: Ec2Model,
  instanceId: string,
  arn: string,
  now: number,
): InstanceState {
  const [instance] = requireInstances(model, [instanceId], now);
  if (instance!.iamInstanceProfileAssociationId) {
    throw new AwsError('IncorrectState', `There is an existing association for instance ${instanceId}`);
  }
  instance!.iamInstanceProfileArn = arn;
  instance!.iamInstanceProfileAssociationId = model.newId('iip-assoc');
  return instance!;
}

/** DisassociateIamInstanceProfile: returns the instance and the ARN it had. */
export function disassociateInstanceProfile(
  model: Ec2Model,
  associationId: string | undefined,
): { instance: InstanceState; arn: string } {
  const instance = instanceByAssociation(model, associationId);
  const arn = instance.iamInstanceProfileArn ?? '';
  delete instance.iamInstanceProfileArn;
  delete instance.iamInstanceProfileAssociationId;
  return { instance, arn };
}

/** ReplaceIamInstanceProfileAssociation: a new association (new id) with the other profile. */
export function replaceInstanceProfile(
  model: Ec2Model,
  associationId: string | undefined,
  arn: string,
): InstanceState {
  const instance = instanceByAssociation(model, associationId);
  instance.iamInstanceProfileArn = arn;
  instance.iamInstanceProfileAssociationId = model.newId('iip-assoc');
  return instance;
}
