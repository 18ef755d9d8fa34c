/**
 * How long things take. Every delay in the twin is read from here and
 * multiplied by `scale`, so `realistic` at scale 0.1 keeps AWS's proportions
 * in a tenth of the time. Figures cite aws-fidelity.md (shared docs) and the
 * AWS pages named beside them.
 */
export interface LatencyProfile {
  name: 'fast' | 'realistic';
  scale: number;
  /** Added to every API call, uniformly in [min, max]. */
  apiLatencyMs: readonly [number, number];
  /** GetCommandInvocation answers InvocationDoesNotExist until this has passed since SendCommand. */
  ssmInvocationVisibleMs: number;
  /** Pending → InProgress once the agent picks the command up. */
  ssmDeliveryMs: number;
  /** A VPC function stays Pending while its Hyperplane ENIs are made (seconds to ~2 min). */
  lambdaActivationMs: number;
  /** LookupEvents sees an event this long after it happened ("typically within 5 minutes"). */
  cloudTrailVisibleMs: number;
  /**
   * Longest flow-log aggregation window: an interface of a Nitro instance
   * aggregates for "60 seconds or less, regardless of the specified" 600
   * (VPC User Guide, "Flow log records", aggregation interval).
   */
  flowLogCaptureMs: number;
  /** Flow-log records are delivered this long after their aggregation window closes. */
  flowLogDeliveryMs: number;
  /** SNS → SQS fan-out and SQS → Lambda polling. */
  pipelineHopMs: number;
  /**
   * A DynamoDB table is CREATING (and a deleted one DELETING) this long:
   * "the table status changes from CREATING to ACTIVE" after CreateTable,
   * typically seconds for an empty table (DynamoDB Developer Guide, "Basic
   * operations on DynamoDB tables", Creating a table).
   */
  dynamodbTableCreationMs: number;
  /**
   * An eventually consistent DynamoDB read this soon after a write may miss
   * it: "Consistency across all copies of data is usually reached within a
   * second" (DynamoDB Developer Guide, "DynamoDB read consistency").
   */
  dynamodbConsistencyLagMs: number;
  /**
   * A new Network Load Balancer is `provisioning` this long before `active`
   * (two to three minutes in AWS; the CLI's load-balancer-available waiter
   * polls every 15 s, 40 times). `realistic` shortens it to the order of
   * the lab's other settling waits (lambdaActivationMs, 45 s): a nightly
   * run builds and probes the lab and would otherwise spend minutes on it.
   */
  elbv2ProvisioningMs: number;
  /**
   * One second of ELB's own clock: a target stays `initial` for
   * HealthyThresholdCount × HealthCheckIntervalSeconds of these (TCP
   * defaults 5 × 30 s, Network Load Balancers guide, "Health checks for
   * Network Load Balancer target groups"), and a deregistered one drains
   * for deregistration_delay.timeout_seconds (default 300) of them.
   * `realistic` runs it at 0.3: 45 s to healthy, 90 s of draining, in the
   * proportions of AWS's.
   */
  elbv2SecondMs: number;
  /**
   * An accepted PrivateLink endpoint connection is `pending` this long
   * before `available` (the states of VpcEndpoint.State, EC2 API reference);
   * AWS publishes no figure, so `realistic` takes about a minute.
   */
  privateLinkAcceptanceMs: number;
  /**
   * A Route 53 change is PENDING until INSYNC: "the changes have propagated
   * to all Route 53 DNS servers managing the hosted zone" (API Reference,
   * GetChange), "within 60 seconds under normal conditions" (Route 53 FAQ);
   * resolvers in a VPC see it from then on.
   */
  route53ChangeSyncMs: number;
}

export const profiles = {
  fast: {
    name: 'fast',
    scale: 1,
    apiLatencyMs: [0, 0],
    ssmInvocationVisibleMs: 30,
    ssmDeliveryMs: 20,
    lambdaActivationMs: 50,
    cloudTrailVisibleMs: 300,
    flowLogCaptureMs: 1_000,
    flowLogDeliveryMs: 300,
    pipelineHopMs: 10,
    dynamodbTableCreationMs: 30,
    dynamodbConsistencyLagMs: 20,
    elbv2ProvisioningMs: 50,
    elbv2SecondMs: 1,
    privateLinkAcceptanceMs: 30,
    route53ChangeSyncMs: 0,
  },
  realistic: {
    name: 'realistic',
    scale: 1,
    apiLatencyMs: [15, 80],
    ssmInvocationVisibleMs: 800,
    ssmDeliveryMs: 1_000,
    lambdaActivationMs: 45_000,
    cloudTrailVisibleMs: 5 * 60_000,
    flowLogCaptureMs: 60_000,
    flowLogDeliveryMs: 5 * 60_000,
    pipelineHopMs: 300,
    dynamodbTableCreationMs: 8_000,
    dynamodbConsistencyLagMs: 1_000,
    elbv2ProvisioningMs: 45_000,
    elbv2SecondMs: 300,
    privateLinkAcceptanceMs: 60_000,
    route53ChangeSyncMs: 30_000,
  },
} as const satisfies Record<string, LatencyProfile>;

export type ProfileName = keyof typeof profiles;

export function profileNamed(name: ProfileName, scale = 1): LatencyProfile {
  return { ...profiles[name], scale };
}

/** A delay of the profile in ms, scaled. */
export function delay(
  profile: LatencyProfile,
  key: Exclude<keyof LatencyProfile, 'name' | 'scale' | 'apiLatencyMs'>,
): number {
  return Math.round(profile[key] * profile.scale);
}
