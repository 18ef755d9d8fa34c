import type {
  AssociateIamInstanceProfileRequest,
  AssociateIamInstanceProfileResult,
  DescribeIamInstanceProfileAssociationsRequest,
  DescribeIamInstanceProfileAssociationsResult,
  DisassociateIamInstanceProfileRequest,
  DisassociateIamInstanceProfileResult,
  IamInstanceProfileAssociation,
  IamInstanceProfileAssociationState,
  ReplaceIamInstanceProfileAssociationRequest,
  ReplaceIamInstanceProfileAssociationResult,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import type { Ec2Model } from '../model/index.ts';
import {
  associateInstanceProfile,
  disassociateInstanceProfile,
  instanceProfileArn,
  instanceProfileId,
  replaceInstanceProfile,
} from '../model/instance-profiles.ts';
import { visibleInstances } from '../model/instances.ts';
import type { InstanceState } from '../model/state.ts';
import { describe, withDryRun } from './shared.ts';

/**
 * IAM instance profile associations
 * (API_AssociateIamInstanceProfile.html, API_DescribeIamInstanceProfileAssociations.html).
 * The twin completes an association at once: the call answers `associating`
 * / `disassociating` as AWS does, and the next describe shows `associated`.
 */
function renderAssociation(
  instanceId: string,
  associationId: string,
  arn: string,
  state: IamInstanceProfileAssociationState,
  now: number,
): IamInstanceProfileAssociation {
  return {
    AssociationId: associationId,
    InstanceId: instanceId,
    IamInstanceProfile: { Arn: arn, Id: instanceProfileId(arn) },
    State: state,
    Timestamp: new Date(now),
  };
}

function required(arn: string | undefined): string {
  if (!arn)
    throw new AwsError('MissingParameter', 'The request must contain the parameter IamInstanceProfile');
  return arn;
}

const associated = (
  i: InstanceState,
): i is InstanceState & { iamInstanceProfileArn: string; iamInstanceProfileAssociationId: string } =>
  Boolean(i.iamInstanceProfileArn && i.iamInstanceProfileAssociationId && i.state !== 'terminated');

export const instanceProfileHandlers = withDryRun({
  AssociateIamInstanceProfile(
    model: Ec2Model,
    input: AssociateIamInstanceProfileRequest,
    ctx: RequestContext,
  ): AssociateIamInstanceProfileResult {
    const arn = required(instanceProfileArn(ctx.accountId, input.IamInstanceProfile));
    const instance = associateInstanceProfile(model, input.InstanceId ?? '', arn, ctx.time);
    return {
      IamInstanceProfileAssociation: renderAssociation(
        instance.id,
        instance.iamInstanceProfileAssociationId!,
        arn,
        'associating',
        ctx.time,
      ),
    };
  },

  DisassociateIamInstanceProfile(
    model: Ec2Model,
    input: DisassociateIamInstanceProfileRequest,
    ctx: RequestContext,
  ): DisassociateIamInstanceProfileResult {
    const { instance, arn } = disassociateInstanceProfile(model, input.AssociationId);
    return {
      IamInstanceProfileAssociation: renderAssociation(
        instance.id,
        input.AssociationId!,
        arn,
        'disassociating',
        ctx.time,
      ),
    };
  },

  ReplaceIamInstanceProfileAssociation(
    model: Ec2Model,
    input: ReplaceIamInstanceProfileAssociationRequest,
    ctx: RequestContext,
  ): ReplaceIamInstanceProfileAssociationResult {
    const arn = required(instanceProfileArn(ctx.accountId, input.IamInstanceProfile));
    const instance = replaceInstanceProfile(model, input.AssociationId, arn);
    return {
      IamInstanceProfileAssociation: renderAssociation(
        instance.id,
        instance.iamInstanceProfileAssociationId!,
        arn,
        'associating',
        ctx.time,
      ),
    };
  },

  DescribeIamInstanceProfileAssociations(
    model: Ec2Model,
    input: DescribeIamInstanceProfileAssociationsRequest,
    ctx: RequestContext,
  ): DescribeIamInstanceProfileAssociationsResult {
    const items = visibleInstances(model, ctx.time).filter(associated);
    const { page, nextToken } = describe(items, input, {
      ids: input.AssociationIds,
      idOf: (i) => i.iamInstanceProfileAssociationId,
      missing: (id) =>
        new AwsError('InvalidAssociationID.NotFound', `An invalid association-id of '${id}' was given`),
      accessors: { 'instance-id': (i) => i.id, state: () => 'associated' },
    });
    return {
      IamInstanceProfileAssociations: page.map((i) =>
        renderAssociation(
          i.id,
          i.iamInstanceProfileAssociationId,
          i.iamInstanceProfileArn,
          'associated',
          i.launchTime,
        ),
      ),
      ...(nextToken && { NextToken: nextToken }),
    };
  },
});
