import { z } from 'zod';
import { accountKey, name } from './fields.ts';

/**
 * The PrivateLink half of the lab (seed 002's zero-trust service path), as
 * data: the `privateLink` section of the targets file, checked by
 * suites/privatelink (ids P…). A provider publishes a service behind an
 * internal Network Load Balancer; consumers reach it through interface
 * endpoints whose connections the provider accepted; a private hosted zone
 * gives it a name inside the consumer VPCs.
 */

const port = z.number().int().min(1).max(65535);

/**
 * "This name must be unique per region per account, can have a maximum of 32
 * characters, must contain only alphanumeric characters or hyphens, must not
 * begin or end with a hyphen" (ELBv2 API Reference, CreateLoadBalancer Name).
 */
const loadBalancerName = z
  .string()
  .regex(
    /^(?!internal-)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/,
    'a load balancer name: at most 32 letters, digits and hyphens, not starting or ending with a hyphen',
  );

/**
 * A DNS name as Route 53 stores it: labels of letters, digits, `-` and `_`
 * (at most 63 each, 255 in all); a trailing dot is allowed and means the same
 * (Route 53 Developer Guide, "DNS domain name format").
 */
const domainName = z
  .string()
  .max(255)
  .regex(
    /^(?:[a-zA-Z0-9_](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\.)*[a-zA-Z0-9_](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\.?$/,
    'a DNS name such as zero-trust-service.internal',
  );

/** An IAM principal ARN an endpoint service may allow (an account's root, a role, a user). */
const principalArn = z
  .string()
  .regex(
    /^arn:aws[\w-]*:iam::\d{12}:(?:root|role\/\S+|user\/\S+)$/,
    'a principal ARN (arn:aws:iam::ACCOUNT:root, :role/NAME or :user/NAME)',
  );

const loadBalancer = z
  .object({
    /** The NLB's name; it must be `internal`, of type `network`. */
    name: loadBalancerName,
    /** The provider VPC (network.vpcs name, in the service's account). */
    vpc: name,
    /** Exactly the subnets it is enabled in (one per AZ consumers use). */
    subnets: z.array(name).min(1),
    /** The TCP listener's port. */
    port,
    /** The port its listener's target group forwards to; default: the listener's. */
    targetPort: port.optional(),
    /** At least this many of the target group's targets must be healthy. */
    healthyTargets: z.number().int().min(1).default(1),
  })
  .strict();

const consumerEndpoint = z
  .object({
    /** The consumer account (accounts key). */
    account: accountKey.default('lab'),
    /** The consumer VPC (network.vpcs name): the row of P4/P5. */
    vpc: name,
    /** Exactly the subnets the interface endpoint has a network interface in. */
    subnets: z.array(name).min(1),
    /** Exactly its security groups (Name tag, group name or id). */
    securityGroups: z.array(name).min(1),
    /**
     * The one port its groups admit, and only from the consumer VPC's own CIDR blocks (seed 002: "443
     * from the VPC only"); default: the load balancer's listener port.
     */
    port: port.optional(),
  })
  .strict();

const privateZone = z
  .object({
    /** The private hosted zone's name, e.g. zero-trust-service.internal. */
    zone: domainName,
    /** The account that owns the zone (accounts key). */
    account: accountKey.default('lab'),
    /** Exactly the VPCs (network.vpcs names) the zone is associated with. */
    vpcs: z.array(name).min(1),
    record: z
      .object({
        /** The record's name: a label under the zone (`api`) or a full name ending in the zone's. */
        name: domainName,
        /**
         * `CNAME` to the endpoint's regional DNS name (seed 002), or `alias`: an A alias record whose
         * target is that DNS name.
         */
        type: z.enum(['CNAME', 'alias']).default('CNAME'),
      })
      .strict(),
    /** Which consumer endpoint (its `vpc`) the record points at; default: the first. */
    endpoint: name.optional(),
  })
  .strict();

const live = z
  .object({
    /**
     * Probe placements (endpoints.probe.placements) in a VPC of the zone: from each, the record's name
     * resolves to the endpoint's addresses (P9) and a TCP connection on the listener port opens (P10).
     */
    reach: z.array(name).default([]),
    /**
     * Probe placements in VPCs the zone is not associated with: from each, the name does not resolve
     * (P11). An absence: it is proven only once a `reach` placement resolved it in the same run.
     */
    unresolved: z.array(name).default([]),
    /**
     * Accounts (keys of accounts, reached through their assumeRoleArn) the service does not allow:
     * the service is not visible to them, so no endpoint to it can be requested (P12). Proven only
     * once an allowed consumer sees it in the same run.
     */
    refusedAccounts: z.array(accountKey).default([]),
  })
  .strict();

const service = z
  .object({
    /** The endpoint service's Name tag (or its id, vpce-svc-…): the row of P1–P3, P6. */
    name,
    /** The account that provides it (accounts key). */
    account: accountKey.default('lab'),
    loadBalancer,
    /** Whether each connection must be accepted by the provider (seed 002: yes). */
    acceptanceRequired: z.boolean().default(true),
    /**
     * Exactly the principals allowed to create endpoints to it: account keys (read as the account's
     * root, `arn:aws:iam::ID:root`) or principal ARNs. `*` is never intended here.
     */
    allowedPrincipals: z.array(z.union([accountKey, principalArn])).min(1),
    /** The consumer endpoints; every accepted connection must be one of these (P6). */
    endpoints: z.array(consumerEndpoint).min(1),
    /** The private name consumers use. Absent: P7–P11 are skipped with the reason. */
    dns: privateZone.optional(),
    /** What the live checks try. Absent: P9–P12 are skipped with the reason. */
    live: live.optional(),
  })
  .strict();

export const privateLink = z
  .object({
    services: z.array(service).min(1),
  })
  .strict();

export type PrivateLinkTarget = z.output<typeof privateLink>;
export type PrivateLinkServiceTarget = z.output<typeof service>;
export type ConsumerEndpointTarget = z.output<typeof consumerEndpoint>;
