import { createHash } from 'node:crypto';

/**
 * The AWS services a VPC endpoint can reach, as DescribeVpcEndpointServices
 * lists them (docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html):
 * S3 and DynamoDB as gateway services (docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html),
 * S3 also as an interface service, and the interface services a lab needs.
 */
export interface EndpointService {
  /** `com.amazonaws.us-east-1.ssm` */
  name: string;
  /** `ssm` */
  short: string;
  type: 'Gateway' | 'Interface';
  /** `ssm.us-east-1.amazonaws.com`; absent for gateway services. */
  privateDnsName?: string;
  /** Whether CreateVpcEndpoint enables private DNS when the caller does not say. */
  privateDnsDefault: boolean;
  availabilityZones: string[];
  serviceId: string;
}

const INTERFACE = [
  's3',
  'ssm',
  'ssmmessages',
  'ec2messages',
  'ec2',
  'logs',
  'lambda',
  'cloudtrail',
  'events',
  'kms',
  'sqs',
  'sns',
  'sts',
  'monitoring',
  'secretsmanager',
] as const;
const GATEWAY = ['s3', 'dynamodb'] as const;

/** Availability zones the twin offers in a region (us-east-1 has six, most regions three). */
export function availabilityZonesOf(region: string): string[] {
  const letters = region === 'us-east-1' ? 'abcdef' : 'abc';
  return [...letters].map((l) => `${region}${l}`);
}

function serviceIdOf(name: string, type: string): string {
  return `vpce-svc-0${createHash('sha256').update(`${name}/${type}`).digest('hex').slice(0, 16)}`;
}

/** Every endpoint service of a region, gateway services first. */
export function endpointServices(region: string): EndpointService[] {
  const zones = availabilityZonesOf(region);
  const make = (short: string, type: 'Gateway' | 'Interface'): EndpointService => {
    const name = `com.amazonaws.${region}.${short}`;
    const service: EndpointService = {
      name,
      short,
      type,
      // S3's interface endpoint needs a gateway endpoint for private DNS, so it is not on by default.
      privateDnsDefault: type === 'Interface' && short !== 's3',
      availabilityZones: zones,
      serviceId: serviceIdOf(name, type),
    };
    if (type === 'Interface')
      service.privateDnsName =
        short === 's3' ? `*.s3.${region}.amazonaws.com` : `${short}.${region}.amazonaws.com`;
    return service;
  };
  return [...GATEWAY.map((s) => make(s, 'Gateway')), ...INTERFACE.map((s) => make(s, 'Interface'))];
}

/** The service of that name and type, if the region offers it. */
export function findEndpointService(
  region: string,
  name: string | undefined,
  type: 'Gateway' | 'Interface',
): EndpointService | undefined {
  return endpointServices(region).find((s) => s.name === name && s.type === type);
}

/** The zone of the `vpce` DNS names of a region (`Z7HUB22UULQXV` in us-east-1); made-up but stable elsewhere. */
export function vpceHostedZoneId(region: string): string {
  const known: Record<string, string> = {
    'us-east-1': 'Z7HUB22UULQXV',
    'us-east-2': 'ZC8PG0KIFKBRI',
    'us-west-2': 'Z1YSA3EXCYUU9Z',
    'eu-west-1': 'Z38GZ743OKFT7T',
  };
  return (
    known[region] ??
    `Z${createHash('sha256').update(`vpce/${region}`).digest('hex').slice(0, 12).toUpperCase()}`
  );
}
