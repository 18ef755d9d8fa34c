import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import { getAddress } from './gateways.ts';
import type { Ec2Model } from './index.ts';

/**
 * AssociateAddress / DisassociateAddress (API_AssociateAddress): an Elastic
 * IP on an instance's primary interface or on an interface. The VPC needs
 * an internet gateway attached ("Gateway.NotAttached"), and an address
 * already in use moves only with AllowReassociation.
 */
export interface AssociateParams {
  allocationId?: string | undefined;
  publicIp?: string | undefined;
  instanceId?: string | undefined;
  networkInterfaceId?: string | undefined;
  allowReassociation?: boolean | undefined;
}

export function associateAddress(model: Ec2Model, p: AssociateParams): string {
  const eip = getAddress(model, p.allocationId, p.publicIp);
  const eniId = p.networkInterfaceId ?? (p.instanceId ? primaryInterfaceOf(model, p.instanceId) : undefined);
  if (!eniId)
    throw new AwsError(
      'MissingParameter',
      'Either an instance ID or a network interface ID must be specified.',
    );
  const eni = model.networkInterfaces.get(eniId);
  if (!eni) throw notFoundError('networkInterface', eniId);
  const igwAttached = [...model.internetGateways.values()].some((g) =>
    g.attachments.some((a) => a.vpcId === eni.vpcId && a.state === 'attached'),
  );
  if (!igwAttached)
    throw new AwsError('Gateway.NotAttached', `Network ${eni.vpcId} is not attached to any internet gateway`);
  if (eip.associationId && !p.allowReassociation)
    throw new AwsError(
      'Resource.AlreadyAssociated',
      `resource ${eip.allocationId} is already associated with associate-id ${eip.associationId}`,
    );
  if (eip.networkInterfaceId) clearPublicIp(model, eip.networkInterfaceId);
  eip.associationId = model.newId('eipassoc');
  eip.networkInterfaceId = eni.id;
  eni.publicIp = eip.publicIp;
  const instance = eni.attachment?.instanceId ? model.instances.get(eni.attachment.instanceId) : undefined;
  if (instance && instance.primaryNetworkInterfaceId === eni.id) instance.publicIp = eip.publicIp;
  return eip.associationId;
}

export function disassociateAddress(
  model: Ec2Model,
  associationId: string | undefined,
  publicIp: string | undefined,
): void {
  const eip = [...model.elasticIps.values()].find((e) =>
    associationId ? e.associationId === associationId : e.publicIp === publicIp,
  );
  if (!eip?.associationId)
    throw new AwsError(
      'InvalidAssociationID.NotFound',
      `The association ID '${associationId ?? publicIp}' does not exist`,
    );
  if (eip.networkInterfaceId) clearPublicIp(model, eip.networkInterfaceId);
  delete eip.associationId;
  delete eip.networkInterfaceId;
}

function primaryInterfaceOf(model: Ec2Model, instanceId: string): string {
  const instance = model.instances.get(instanceId);
  if (!instance || instance.state === 'terminated') throw notFoundError('instance', instanceId);
  return instance.primaryNetworkInterfaceId;
}

function clearPublicIp(model: Ec2Model, eniId: string): void {
  const eni = model.networkInterfaces.get(eniId);
  if (!eni) return;
  delete eni.publicIp;
  const instance = eni.attachment?.instanceId ? model.instances.get(eni.attachment.instanceId) : undefined;
  if (instance && instance.primaryNetworkInterfaceId === eni.id) delete instance.publicIp;
}
