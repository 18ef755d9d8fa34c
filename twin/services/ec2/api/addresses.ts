import type {
  AssociateAddressRequest,
  AssociateAddressResult,
  DisassociateAddressRequest,
} from '@aws-sdk/client-ec2';
import { associateAddress, disassociateAddress } from '../model/addresses.ts';
import type { Ec2Model } from '../model/index.ts';
import { withDryRun } from './shared.ts';

export const addressHandlers = withDryRun({
  AssociateAddress(model: Ec2Model, input: AssociateAddressRequest): AssociateAddressResult {
    const AssociationId = associateAddress(model, {
      allocationId: input.AllocationId,
      publicIp: input.PublicIp,
      instanceId: input.InstanceId,
      networkInterfaceId: input.NetworkInterfaceId,
      allowReassociation: input.AllowReassociation,
    });
    return { AssociationId };
  },

  DisassociateAddress(model: Ec2Model, input: DisassociateAddressRequest): object {
    disassociateAddress(model, input.AssociationId, input.PublicIp);
    return {};
  },
});
