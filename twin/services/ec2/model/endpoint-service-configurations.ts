import { AwsError } from '../../../core/errors.ts';
import type { Principal } from '../../../core/principal.ts';
import { loadBalancerByArn, stateOf } from '../../elbv2/model/index.ts';
import { notFoundError } from '../errors.ts';
import type {
  EndpointServiceConfigurationState,
  EndpointServicePermission,
} from './endpoint-service-state.ts';
import type { Ec2Model } from './index.ts';
import type { Tags } from './state.ts';

/**
 * Endpoint services of your own (AWS PrivateLink, docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html):
 * a service in front of Network Load Balancers, named
 * `com.amazonaws.vpce.<region>.vpce-svc-…`, that principals it allows may
 * connect interface endpoints to. The provider keeps the service; the
 * consumer's endpoint lives in the consumer's account (endpoint-connections.ts).
 */
export type {
  EndpointServiceConfigurationState,
  EndpointServicePermission,
} from './endpoint-service-state.ts';

export function serviceNotFound(id: string): AwsError {
  return notFoundError('endpointService', id);
}

/** The caller's own service configuration, or InvalidVpcEndpointServiceId.NotFound. */
export function getEndpointServiceConfiguration(
  model: Ec2Model,
  id: string | undefined,
): EndpointServiceConfigurationState {
  const service = id ? model.endpointServiceConfigurations.get(id) : undefined;
  if (!service) throw serviceNotFound(id ?? '');
  return service;
}

/** Every EC2 model of the twin (services and endpoints cross accounts). */
export function ec2Models(model: Ec2Model): Ec2Model[] {
  return model.twin.modelsSigning<Ec2Model>('ec2').map(([, m]) => m);
}

/** The service of that name in the model's region, whoever owns it. */
export function findCustomService(
  model: Ec2Model,
  name: string | undefined,
): EndpointServiceConfigurationState | undefined {
  if (!name) return undefined;
  for (const m of ec2Models(model)) {
    if (m.region !== model.region) continue;
    for (const service of m.endpointServiceConfigurations.values()) if (service.name === name) return service;
  }
  return undefined;
}

/**
 * The zones of the service: those of its load balancers
 * ("The Availability Zones in which the service is available", ServiceConfiguration).
 */
export function serviceZones(model: Ec2Model, service: EndpointServiceConfigurationState): string[] {
  const zones = new Set<string>();
  // ELBv2's state is read directly: twin/network's load-balancing.ts reaches back into the EC2 model.
  for (const arn of service.networkLoadBalancerArns)
    for (const zone of loadBalancerByArn(model.twin, arn)?.zones ?? []) zones.add(zone.zoneName);
  return [...zones].sort();
}

/**
 * The load balancers must exist in the caller's account and Region, be
 * network load balancers and active (CreateVpcEndpointServiceConfiguration
 * takes "The Amazon Resource Names (ARNs) of the Network Load Balancers";
 * the error texts are the twin's, under AWS's InvalidParameter code).
 */
function checkLoadBalancers(model: Ec2Model, arns: readonly string[]): void {
  for (const arn of arns) {
    const nlb = loadBalancerByArn(model.twin, arn);
    if (!nlb || nlb.accountId !== model.accountId || nlb.region !== model.region)
      throw new AwsError('InvalidParameter', `Load balancer ${arn} does not exist`);
    if (nlb.type !== 'network')
      throw new AwsError('InvalidParameter', `Load balancer ${arn} is not a Network Load Balancer`);
    if (stateOf(nlb, model.twin.clock.now()) !== 'active')
      throw new AwsError('InvalidParameter', `Load balancer ${arn} is not in the active state`);
  }
}

export interface NewEndpointService {
  networkLoadBalancerArns: string[] | undefined;
  acceptanceRequired: boolean | undefined;
  privateDnsName?: string | undefined;
  gatewayLoadBalancerArns?: string[] | undefined;
  tags: Tags;
}

/** CreateVpcEndpointServiceConfiguration (docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpointServiceConfiguration.html). */
export function createEndpointServiceConfiguration(
  model: Ec2Model,
  spec: NewEndpointService,
  now: number,
): EndpointServiceConfigurationState {
  if (spec.gatewayLoadBalancerArns?.length)
    throw new AwsError(
      'InvalidParameter',
      'The twin does not emulate Gateway Load Balancer endpoint services.',
    );
  const arns = [...new Set(spec.networkLoadBalancerArns ?? [])];
  // The request must name load balancers: "You must specify one of" the two ARN lists.
  if (!arns.length)
    throw new AwsError(
      'InvalidParameter',
      'Either NetworkLoadBalancerArns or GatewayLoadBalancerArns must be specified',
    );
  checkLoadBalancers(model, arns);
  const id = model.newId('vpce-svc');
  const service: EndpointServiceConfigurationState = {
    id,
    name: `com.amazonaws.vpce.${model.region}.${id}`,
    ownerId: model.accountId,
    region: model.region,
    state: 'Available',
    // The API reference names no default; an unset flag leaves connections accepted automatically (LIMITATIONS).
    acceptanceRequired: spec.acceptanceRequired ?? false,
    networkLoadBalancerArns: arns,
    ...(spec.privateDnsName && { privateDnsName: spec.privateDnsName }),
    allowedPrincipals: [],
    creationTimestamp: now,
    tags: spec.tags,
  };
  model.endpointServiceConfigurations.set(id, service);
  return service;
}

export interface EndpointServiceChanges {
  acceptanceRequired?: boolean | undefined;
  addNetworkLoadBalancerArns?: string[] | undefined;
  removeNetworkLoadBalancerArns?: string[] | undefined;
  privateDnsName?: string | undefined;
  removePrivateDnsName?: boolean | undefined;
}

/**
 * ModifyVpcEndpointServiceConfiguration. Changing the load balancers while
 * endpoints are attached is refused with ExistingVpcEndpointConnections
 * (EC2 API reference, "Error codes": "You cannot delete a VPC endpoint
 * service configuration or change the load balancers for the endpoint
 * service if there are endpoints attached to the service").
 */
export function modifyEndpointServiceConfiguration(
  model: Ec2Model,
  id: string | undefined,
  changes: EndpointServiceChanges,
): EndpointServiceConfigurationState {
  const service = getEndpointServiceConfiguration(model, id);
  const adding = (changes.addNetworkLoadBalancerArns ?? []).filter(
    (a) => !service.networkLoadBalancerArns.includes(a),
  );
  const removing = new Set(changes.removeNetworkLoadBalancerArns ?? []);
  if (adding.length || removing.size) {
    if (attachedConnections(model, service).length)
      throw new AwsError(
        'ExistingVpcEndpointConnections',
        'Service has existing active VPC Endpoint connections!',
      );
    checkLoadBalancers(model, adding);
    const next = [...service.networkLoadBalancerArns.filter((a) => !removing.has(a)), ...adding];
    if (!next.length)
      throw new AwsError('InvalidParameter', 'An endpoint service must keep at least one load balancer');
    service.networkLoadBalancerArns = next;
  }
  if (changes.acceptanceRequired !== undefined) service.acceptanceRequired = changes.acceptanceRequired;
  if (changes.removePrivateDnsName) delete service.privateDnsName;
  else if (changes.privateDnsName) service.privateDnsName = changes.privateDnsName;
  return service;
}

/** Endpoints of any account connected to the service that count as attached: available or awaiting acceptance. */
export function attachedConnections(model: Ec2Model, service: EndpointServiceConfigurationState) {
  return ec2Models(model)
    .flatMap((m) => [...m.vpcEndpoints.values()])
    .filter(
      (e) =>
        e.serviceName === service.name &&
        (e.state === 'available' || e.state === 'pendingAcceptance' || e.state === 'pending'),
    );
}

/**
 * DeleteVpcEndpointServiceConfigurations: "you must reject any Available or
 * PendingAcceptance interface endpoint connections" first; such a service
 * comes back as an unsuccessful item (ExistingVpcEndpointConnections).
 */
export function deleteEndpointServiceConfigurations(
  model: Ec2Model,
  ids: readonly string[],
): { id: string; code: string; message: string }[] {
  const unsuccessful: { id: string; code: string; message: string }[] = [];
  for (const id of ids) {
    const service = model.endpointServiceConfigurations.get(id);
    if (!service) {
      const error = serviceNotFound(id);
      unsuccessful.push({ id, code: error.code, message: error.message });
    } else if (attachedConnections(model, service).length) {
      unsuccessful.push({
        id,
        code: 'ExistingVpcEndpointConnections',
        message: 'Service has existing active VPC Endpoint connections!',
      });
    } else model.endpointServiceConfigurations.delete(id);
  }
  return unsuccessful;
}

/** `arn:aws:iam::ACCOUNT:root|role/NAME|user/NAME`, a service principal, or `*`. */
function principalType(principal: string): EndpointServicePermission['type'] | undefined {
  if (principal === '*') return 'All';
  // "Principal ARNs with path components aren't supported" (ModifyVpcEndpointServicePermissions).
  const m = /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@-]+|user\/[\w+=,.@-]+)$/.exec(principal);
  if (m) return m[1] === 'root' ? 'Account' : m[1]!.startsWith('role/') ? 'Role' : 'User';
  if (/^[a-z0-9.-]+\.amazonaws\.com$/.test(principal)) return 'Service';
  return undefined;
}

/** ModifyVpcEndpointServicePermissions: the permissions added and removed, as the answer lists them. */
export function modifyEndpointServicePermissions(
  model: Ec2Model,
  id: string | undefined,
  add: readonly string[],
  remove: readonly string[],
): EndpointServicePermission[] {
  const service = getEndpointServiceConfiguration(model, id);
  const added: EndpointServicePermission[] = [];
  for (const principal of add) {
    const type = principalType(principal);
    if (!type) throw new AwsError('InvalidPrincipal', `Invalid principal ${principal}`);
    if (service.allowedPrincipals.some((p) => p.principal === principal)) continue;
    const permission = { id: model.newId('vpce-svc-perm'), principal, type };
    service.allowedPrincipals.push(permission);
    added.push(permission);
  }
  const dropped = new Set(remove);
  service.allowedPrincipals = service.allowedPrincipals.filter((p) => !dropped.has(p.principal));
  return added;
}

/**
 * Whether `caller` may see the service and request an endpoint to it: a
 * permission for everyone (`*`), its account (`:root`, "includes all
 * principals in the account"), its role or its user
 * (docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html,
 * "Manage permissions"). The provider's own account always may: the
 * permissions are written for "service consumers" and AWS documents none
 * for the owner (an assumption, in ec2's LIMITATIONS).
 */
export function serviceAllows(service: EndpointServiceConfigurationState, caller: Principal): boolean {
  if (caller.accountId === service.ownerId) return true;
  return service.allowedPrincipals.some((p) => {
    if (p.type === 'All') return true;
    if (p.type === 'Account') return p.principal.split(':')[4] === caller.accountId;
    if (p.type === 'Role') return caller.kind === 'assumed-role' && caller.roleArn === p.principal;
    if (p.type === 'User') return caller.kind === 'user' && caller.arn === p.principal;
    return false;
  });
}
