import { createHash } from 'node:crypto';
import { AwsError } from '../../../core/errors.ts';
import { isCustomServiceName } from './endpoint-connections.ts';
import type { Ec2Model } from './index.ts';
import type { VpcEndpointState } from './state.ts';
import { type EndpointService, findEndpointService, vpceHostedZoneId } from './vpc-endpoint-services.ts';
import { getVpc } from './vpc-lookups.ts';

/**
 * An interface endpoint's DNS: the names AWS gives it and the private DNS
 * rules (docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns).
 */

/** The `<svc>.<region>.amazonaws.com` name an interface endpoint's private DNS answers for. */
function privateDnsDomain(service: EndpointService): string | undefined {
  return service.privateDnsName;
}

/**
 * Private DNS needs both VPC DNS attributes; only one endpoint per VPC may
 * own a service's domain; S3's interface endpoint needs a gateway endpoint
 * for S3 in the VPC (the error texts are AWS's).
 */
export function checkPrivateDns(model: Ec2Model, endpoint: VpcEndpointState, service: EndpointService): void {
  const vpc = getVpc(model, endpoint.vpcId);
  if (!vpc.enableDnsSupport || !vpc.enableDnsHostnames) {
    throw new AwsError(
      'InvalidParameter',
      `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${vpc.id}`,
    );
  }
  if (service.short === 's3') {
    const gateway = [...model.vpcEndpoints.values()].some(
      (e) => e.vpcId === vpc.id && e.type === 'Gateway' && e.serviceName === service.name,
    );
    if (!gateway) {
      throw new AwsError(
        'InvalidParameter',
        `To set PrivateDnsOnlyForInboundResolverEndpoint to true, the VPC ${vpc.id} must have a Gateway endpoint for the service.`,
      );
    }
  }
  const conflict = [...model.vpcEndpoints.values()].find(
    (e) =>
      e.id !== endpoint.id &&
      e.vpcId === vpc.id &&
      e.type === 'Interface' &&
      e.serviceName === service.name &&
      e.privateDnsEnabled,
  );
  if (conflict) {
    throw new AwsError(
      'InvalidParameter',
      `private-dns-enabled cannot be set because there is already a conflicting DNS domain for ${privateDnsDomain(service)} in the VPC ${vpc.id}`,
    );
  }
}

/**
 * DNS names of an interface endpoint: the regional name, one zonal name per
 * subnet's AZ (`vpce-…-xxxxxxxx[-az].<svc>.<region>.vpce.amazonaws.com`),
 * then the service's own name when private DNS is on.
 */
export function endpointDnsEntries(
  model: Ec2Model,
  endpoint: VpcEndpointState,
): { DnsName: string; HostedZoneId: string }[] {
  if (endpoint.type !== 'Interface') return [];
  const service = findEndpointService(model.region, endpoint.serviceName, 'Interface');
  // A service of your own (`com.amazonaws.vpce.<region>.vpce-svc-…`) is named by its id in the endpoint's names.
  const short = isCustomServiceName(endpoint.serviceName)
    ? endpoint.serviceName.split('.').pop()!
    : (service?.short ?? endpoint.serviceName.split('.').slice(3).join('.'));
  const suffix = createHash('sha256').update(endpoint.id).digest('hex').slice(0, 8);
  const wildcard = short === 's3' ? '*.' : '';
  const zone = vpceHostedZoneId(model.region);
  const base = `${endpoint.id}-${suffix}`;
  const entries = [
    { DnsName: `${wildcard}${base}.${short}.${model.region}.vpce.amazonaws.com`, HostedZoneId: zone },
  ];
  for (const subnetId of endpoint.subnetIds) {
    const az = model.subnets.get(subnetId)?.availabilityZone;
    if (az)
      entries.push({
        DnsName: `${wildcard}${base}-${az}.${short}.${model.region}.vpce.amazonaws.com`,
        HostedZoneId: zone,
      });
  }
  if (endpoint.privateDnsEnabled && service?.privateDnsName) {
    const privateZone = `Z${createHash('sha256').update(`${endpoint.vpcId}/${service.name}`).digest('hex').slice(0, 20).toUpperCase()}`;
    entries.push({ DnsName: service.privateDnsName, HostedZoneId: privateZone });
  }
  return entries;
}
