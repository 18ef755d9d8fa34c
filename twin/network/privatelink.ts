import type { EndpointServiceConfigurationState } from '../services/ec2/model/endpoint-service-configurations.ts';
import type { Ec2Model } from '../services/ec2/model/index.ts';
import type { NetworkInterfaceState } from '../services/ec2/model/state.ts';
import type { ProbeProtocol } from './flow.ts';
import { findNetworkLoadBalancer, forwardThroughLoadBalancer } from './load-balancing.ts';
import type { NetworkView } from './view.ts';

/**
 * The hop behind an interface endpoint to a service of your own: the
 * consumer's packet has passed the endpoint interface's security groups and
 * its subnet's network ACL (the walk did that); AWS PrivateLink then carries
 * it to the service's Network Load Balancer, in the endpoint's zone, which
 * sees it come from its own node's private address and forwards it to a
 * target (docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html;
 * the NLB guide, "Client IP preservation": the source of PrivateLink traffic
 * is the load balancer's private address). Only an
 * `available` connection carries traffic: awaiting acceptance, rejected or
 * deleted, nothing answers.
 */
export type PrivateLinkAnswer =
  | { answered: true; target: { id: string; port: number }; loadBalancerArn: string }
  | { answered: false; because: string };

const MAX_CHAIN = 4;
let depth = 0;

function serviceNamed(view: NetworkView, name: string): EndpointServiceConfigurationState | undefined {
  for (const model of view.models as readonly Ec2Model[])
    for (const service of model.endpointServiceConfigurations.values())
      if (service.name === name) return service;
  return undefined;
}

/**
 * What a connection to an endpoint interface meets behind it, or undefined
 * when the interface is not an endpoint to a service of your own (an AWS
 * service's endpoint answers as before).
 *
 * @example throughPrivateLink(view, eni, { tcp: 443 }, '10.60.1.25') // { answered: true, target: { id: '10.61.1.10', port: 443 }, … }
 */
export function throughPrivateLink(
  view: NetworkView,
  eni: NetworkInterfaceState,
  protocol: ProbeProtocol,
  /** The consumer's address, for the load balancer's own security groups when they filter PrivateLink traffic. */
  clientIp: string,
): PrivateLinkAnswer | undefined {
  if (eni.interfaceType !== 'vpc_endpoint') return undefined;
  const endpoint = view.endpointsOf(eni.vpcId).find((e) => e.networkInterfaceIds.includes(eni.id));
  if (!endpoint || !/^com\.amazonaws\.vpce\./.test(endpoint.serviceName)) return undefined;
  const service = serviceNamed(view, endpoint.serviceName);
  if (!service)
    return {
      answered: false,
      because: `${endpoint.serviceName} no longer exists: nothing answers behind ${endpoint.id}`,
    };
  if (endpoint.state !== 'available')
    return {
      answered: false,
      because: `${endpoint.id} is ${endpoint.state}, not available: its connection to ${service.id} carries no traffic`,
    };
  // Interface endpoints carry TCP only (PrivateLink guide, interface endpoint considerations): no ICMP echo.
  if (protocol === 'icmp')
    return { answered: false, because: `${eni.id} (an endpoint to ${service.id}) does not answer ICMP echo` };
  const arn = service.networkLoadBalancerArns.find((a) =>
    findNetworkLoadBalancer(view.twin, a)?.zones.some((z) => z.zoneName === eni.availabilityZone),
  );
  if (!arn)
    return {
      answered: false,
      because: `no load balancer of ${service.id} has a node in ${eni.availabilityZone}, where ${eni.id} is`,
    };
  // A target may itself be an endpoint to another service (chained PrivateLink); a lab whose chain
  // loops back would recurse for ever, so past a few links the connection is taken as lost.
  if (depth >= MAX_CHAIN)
    return { answered: false, because: `${endpoint.id} leads through ${MAX_CHAIN} PrivateLink hops: a loop` };
  depth += 1;
  let hop: ReturnType<typeof forwardThroughLoadBalancer>;
  try {
    hop = forwardThroughLoadBalancer(view.twin, {
      loadBalancerArn: arn,
      port: protocol.tcp,
      zoneName: eni.availabilityZone,
      viaPrivateLink: true,
      clientIp,
    });
  } finally {
    depth -= 1;
  }
  if (!hop.answered || !hop.target)
    return { answered: false, because: hop.because ?? `${arn} did not forward the connection to a target` };
  return { answered: true, target: hop.target, loadBalancerArn: arn };
}
