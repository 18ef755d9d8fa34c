import { AwsError } from '../../../core/errors.ts';
import type { Principal } from '../../../core/principal.ts';
import { delay } from '../../../state/profile.ts';
import {
  type EndpointServiceConfigurationState,
  ec2Models,
  findCustomService,
  getEndpointServiceConfiguration,
  serviceAllows,
  serviceZones,
} from './endpoint-service-configurations.ts';
import type { Ec2Model } from './index.ts';
import type { VpcEndpointState } from './state.ts';

/**
 * The consumer's side of an endpoint service of your own: which services a
 * caller may see and connect to, the checks CreateVpcEndpoint makes for
 * one, and the provider's accept / reject of the endpoint connections
 * (docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html,
 * "Accept or reject connection requests").
 */

/** `com.amazonaws.vpce.<region>.vpce-svc-…`: the name of a service of your own, not an AWS service. */
export function isCustomServiceName(name: string | undefined): boolean {
  return /^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]+$/.test(name ?? '');
}

function noSuchService(name: string): AwsError {
  return new AwsError('InvalidServiceName', `The Vpc Endpoint Service '${name}' does not exist`);
}

/**
 * The service a caller names, if it may see it. A principal the service
 * does not allow gets the same answer as for a service that does not exist:
 * "By default, your endpoint service is not available to service consumers"
 * (configure-endpoint-service.html, "Manage permissions").
 */
export function customServiceVisibleTo(
  model: Ec2Model,
  name: string | undefined,
  caller: Principal,
): EndpointServiceConfigurationState {
  const service = findCustomService(model, name);
  if (service?.state !== 'Available' || !serviceAllows(service, caller)) throw noSuchService(name ?? '');
  return service;
}

/** Every service of your own in the region the caller may see (DescribeVpcEndpointServices). */
export function customServicesVisibleTo(
  model: Ec2Model,
  caller: Principal,
): EndpointServiceConfigurationState[] {
  return ec2Models(model)
    .filter((m) => m.region === model.region)
    .flatMap((m) => [...m.endpointServiceConfigurations.values()])
    .filter((s) => s.state === 'Available' && serviceAllows(s, caller));
}

/**
 * The checks CreateVpcEndpoint makes of an interface endpoint to a service
 * of your own: an endpoint subnet must be in one of the zones the service
 * is offered in, its load balancers' zones (ServiceDetail.AvailabilityZones,
 * "The Availability Zones in which the service is available"), and private
 * DNS needs the service's private DNS name, whose domain ownership the
 * provider must have verified (docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html).
 * The error texts are AWS's where known (the missing-name one); the
 * unverified-name text is the twin's.
 */
export function checkCustomEndpoint(
  model: Ec2Model,
  service: EndpointServiceConfigurationState,
  spec: { subnetIds: readonly string[]; privateDnsEnabled: boolean | undefined },
): void {
  const zones = serviceZones(model, service);
  for (const id of spec.subnetIds) {
    const zone = model.subnets.get(id)?.availabilityZone;
    if (zone && !zones.includes(zone))
      throw new AwsError(
        'InvalidParameter',
        `The VPC endpoint service ${service.name} does not support the availability zone of the subnet: ${id}.`,
      );
  }
  if (spec.privateDnsEnabled) {
    // The twin never verifies a name (it cannot see a TXT record on a public domain), so a name given is never usable.
    throw new AwsError(
      'InvalidParameter',
      service.privateDnsName
        ? `Private DNS can't be enabled because the service ${service.name} has not verified the private DNS name.`
        : `Private DNS can't be enabled because the service ${service.name} does not provide a private DNS name.`,
    );
  }
}

/** The state a new endpoint to the service starts in. */
export function initialEndpointState(service: EndpointServiceConfigurationState): VpcEndpointState['state'] {
  return service.acceptanceRequired ? 'pendingAcceptance' : 'available';
}

/** Endpoints of every account connected to one of the provider's services. */
export function connectionsOf(
  model: Ec2Model,
): { endpoint: VpcEndpointState; service: EndpointServiceConfigurationState }[] {
  const byName = new Map([...model.endpointServiceConfigurations.values()].map((s) => [s.name, s]));
  return ec2Models(model)
    .filter((m) => m.region === model.region)
    .flatMap((m) => [...m.vpcEndpoints.values()])
    .flatMap((endpoint) => {
      const service = byName.get(endpoint.serviceName);
      return service && endpoint.state !== 'deleted' ? [{ endpoint, service }] : [];
    });
}

export interface Unsuccessful {
  id: string;
  code: string;
  message: string;
}

function connectionOf(model: Ec2Model, service: EndpointServiceConfigurationState, id: string) {
  return connectionsOf(model).find((c) => c.service.id === service.id && c.endpoint.id === id)?.endpoint;
}

/**
 * Decides each endpoint id of an Accept or Reject: an id that is no connection of the service, or one in
 * a state the action does not take, comes back unsuccessful (the rest change as `change` says).
 */
function decideConnections(
  model: Ec2Model,
  serviceId: string | undefined,
  endpointIds: readonly string[],
  action: { verb: 'accepted' | 'rejected'; from: readonly VpcEndpointState['state'][] },
  change: (endpoint: VpcEndpointState) => void,
): Unsuccessful[] {
  const service = getEndpointServiceConfiguration(model, serviceId);
  const unsuccessful: Unsuccessful[] = [];
  for (const id of endpointIds) {
    const endpoint = connectionOf(model, service, id);
    if (!endpoint)
      unsuccessful.push({
        id,
        code: 'InvalidVpcEndpoint.NotFound',
        message: `The Vpc Endpoint Id '${id}' does not exist`,
      });
    else if (!action.from.includes(endpoint.state))
      unsuccessful.push({
        id,
        code: 'InvalidVpcEndpointState',
        message: `The VPC endpoint ${id} is in state ${endpoint.state} and cannot be ${action.verb}.`,
      });
    else change(endpoint);
  }
  return unsuccessful;
}

/**
 * AcceptVpcEndpointConnections: a connection awaiting acceptance becomes
 * `pending`, then `available` once its network is provisioned (the
 * profile's privateLinkAcceptanceMs); other ids come back unsuccessful.
 */
export function acceptEndpointConnections(
  model: Ec2Model,
  serviceId: string | undefined,
  endpointIds: readonly string[],
): Unsuccessful[] {
  return decideConnections(
    model,
    serviceId,
    endpointIds,
    { verb: 'accepted', from: ['pendingAcceptance'] },
    (endpoint) => {
      endpoint.state = 'pending';
      model.twin.scheduler.after(delay(model.twin.profile, 'privateLinkAcceptanceMs'), () => {
        if (endpoint.state === 'pending') endpoint.state = 'available';
      });
    },
  );
}

/** RejectVpcEndpointConnections: an attached connection (awaiting acceptance, pending or available) becomes `rejected`. */
export function rejectEndpointConnections(
  model: Ec2Model,
  serviceId: string | undefined,
  endpointIds: readonly string[],
): Unsuccessful[] {
  return decideConnections(
    model,
    serviceId,
    endpointIds,
    { verb: 'rejected', from: ['pendingAcceptance', 'pending', 'available'] },
    (endpoint) => {
      endpoint.state = 'rejected';
    },
  );
}
