import type { VpcConfig } from '@aws-sdk/client-lambda';
import { AwsError } from '../../../core/errors.ts';
import type { CallerPosition } from '../../../core/principal.ts';
import type { LatencyProfile } from '../../../state/profile.ts';
import type { Twin } from '../../../twin.ts';
import { ec2 } from '../../ec2/api.ts';
import type { Ec2Model } from '../../ec2/model/index.ts';
import { createServiceEni, removeNetworkInterface } from '../../ec2/model/network-interfaces.ts';
import { invalidParameter } from '../errors.ts';
import type { FunctionState, FunctionVpc, HyperplaneEni, LambdaModel } from './index.ts';

/**
 * A VPC function's Hyperplane ENIs: "Lambda creates an elastic network
 * interface for each combination of security group and subnet in the
 * function's VPC configuration" (CloudFormation User Guide,
 * AWS::Lambda::Function VpcConfig), shared by every function of the
 * account with the same combination, of interface type `lambda`,
 * requester-managed. An ENI no function uses any more lingers and is
 * released by Lambda later (aws-fidelity.md, Lambda; Terraform waits up to
 * 45 minutes for it).
 */

/** How long an unused Hyperplane ENI lingers: ~20 minutes in AWS; a blink in the `fast` profile. */
export function eniReleaseMs(profile: LatencyProfile): number {
  return Math.round((profile.name === 'realistic' ? 20 * 60_000 : 200) * profile.scale);
}

function ec2Of(twin: Twin, model: LambdaModel): Ec2Model {
  return twin.model(ec2, model.accountId, model.region);
}

/**
 * Checks VpcConfig against EC2 as Lambda reports it ("Error occurred while
 * DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. EC2 Error
 * Message: The subnet ID 'subnet-…' does not exist"). Empty lists mean no VPC.
 */
export function resolveVpcConfig(
  twin: Twin,
  model: LambdaModel,
  input: VpcConfig | undefined,
): FunctionVpc | undefined {
  const subnetIds = [...new Set(input?.SubnetIds ?? [])];
  const securityGroupIds = [...new Set(input?.SecurityGroupIds ?? [])];
  if (!subnetIds.length && !securityGroupIds.length) return undefined;
  if (!subnetIds.length || !securityGroupIds.length) {
    throw invalidParameter(
      'Both SubnetIds and SecurityGroupIds must be specified to connect a function to a VPC.',
    );
  }
  const state = ec2Of(twin, model);
  const vpcs = new Set<string>();
  for (const id of subnetIds) {
    const subnet = state.subnets.get(id);
    if (!subnet)
      throw ec2Failure('DescribeSubnets', 'InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
    vpcs.add(subnet.vpcId);
  }
  for (const id of securityGroupIds) {
    const group = state.securityGroups.get(id);
    if (!group)
      throw ec2Failure(
        'DescribeSecurityGroups',
        'InvalidGroup.NotFound',
        `The security group '${id}' does not exist`,
      );
    vpcs.add(group.vpcId);
  }
  if (vpcs.size > 1)
    throw invalidParameter(
      'The subnets and security groups of a VPC configuration must all belong to the same VPC.',
    );
  return { vpcId: [...vpcs][0]!, subnetIds, securityGroupIds };
}

function ec2Failure(operation: string, code: string, message: string): AwsError {
  return invalidParameter(
    `Error occurred while ${operation}. EC2 Error Code: ${code}. EC2 Error Message: ${message}`,
  );
}

function keyOf(subnetId: string, securityGroupIds: readonly string[]): string {
  return `${subnetId}|${[...securityGroupIds].sort().join(',')}`;
}

/** Takes (or makes) the ENIs of the function's subnet and security group combination. */
export function attachVpc(twin: Twin, model: LambdaModel, fn: FunctionState, requesterId: string): void {
  if (!fn.vpc) return;
  for (const subnetId of fn.vpc.subnetIds) {
    const key = keyOf(subnetId, fn.vpc.securityGroupIds);
    let eni = model.hyperplane.get(key);
    if (!eni || !ec2Of(twin, model).networkInterfaces.has(eni.networkInterfaceId)) {
      eni = newEni(twin, model, fn, subnetId, requesterId);
      model.hyperplane.set(key, eni);
    }
    eni.users.add(fn.arn);
    delete eni.releaseAt;
  }
}

function newEni(
  twin: Twin,
  model: LambdaModel,
  fn: FunctionState,
  subnetId: string,
  requesterId: string,
): HyperplaneEni {
  const securityGroupIds = [...fn.vpc!.securityGroupIds];
  try {
    const made = createServiceEni(ec2Of(twin, model), {
      subnetId,
      type: 'lambda',
      description: `AWS Lambda VPC ENI-${fn.name}-${twin.ids.uuid()}`,
      requesterId,
      securityGroupIds,
    });
    return { networkInterfaceId: made.id, subnetId, securityGroupIds, users: new Set() };
  } catch (err) {
    if (err instanceof AwsError)
      throw invalidParameter(`Lambda could not create a network interface in ${subnetId}: ${err.message}`);
    throw err;
  }
}

/** Lets go of the function's ENIs; one that no function uses any more is released after a while. */
export function detachVpc(twin: Twin, model: LambdaModel, fn: FunctionState): void {
  const releaseAt = twin.clock.now() + eniReleaseMs(twin.profile);
  for (const [key, eni] of model.hyperplane) {
    if (!eni.users.delete(fn.arn) || eni.users.size) continue;
    eni.releaseAt = releaseAt;
    twin.scheduler.at(releaseAt, () => {
      if (eni.users.size || eni.releaseAt !== releaseAt) return;
      removeNetworkInterface(ec2Of(twin, model), eni.networkInterfaceId);
      model.hyperplane.delete(key);
    });
  }
}

/** The function's ENIs, in the order of its subnets. */
export function functionEnis(model: LambdaModel, fn: FunctionState): HyperplaneEni[] {
  if (!fn.vpc) return [];
  return fn.vpc.subnetIds.flatMap((s) => model.hyperplane.get(keyOf(s, fn.vpc!.securityGroupIds)) ?? []);
}

/**
 * Where the function's calls leave from: its first ENI (Lambda picks one
 * per invocation; the twin, the first). A VPC function whose ENIs are gone
 * sits nowhere: nothing it calls answers.
 */
export function functionPosition(
  twin: Twin,
  model: LambdaModel,
  fn: FunctionState,
): CallerPosition | undefined {
  if (!fn.vpc) return undefined;
  const eni = functionEnis(model, fn)[0];
  const state = eni && ec2Of(twin, model).networkInterfaces.get(eni.networkInterfaceId);
  if (!state) {
    const { vpcId, subnetIds, securityGroupIds } = fn.vpc;
    const nowhere = { networkInterfaceId: 'eni-none', privateIp: '0.0.0.0' };
    return {
      accountId: model.accountId,
      region: model.region,
      vpcId,
      subnetId: subnetIds[0]!,
      securityGroupIds,
      ...nowhere,
    };
  }
  return {
    accountId: model.accountId,
    region: model.region,
    vpcId: state.vpcId,
    subnetId: state.subnetId,
    securityGroupIds: [...state.securityGroupIds],
    networkInterfaceId: state.id,
    privateIp: state.privateIp,
  };
}
