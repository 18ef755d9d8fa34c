import { z } from 'zod';
import { noRegionHint } from '../aws-settings.ts';
import {
  accountKey,
  blockCidr,
  bucketName,
  cidr,
  ipv4,
  keyAlias,
  name,
  queueName,
  roleArn,
  roleName,
  topicName,
} from './fields.ts';
import { checkRules } from './rules.ts';
import { application } from './schema-application.ts';
import { privateLink } from './schema-privatelink.ts';

/**
 * The targets file: which lab to check, named as its owner names it, and
 * what the lab is meant to do, as data. One zod definition is the single
 * source: it validates the file, types the suite, and emits
 * targets.schema.json for editors (`npm run generate`).
 *
 * Resources are named by their `Name` tag or by id (`vpc-0abc…`); ids are
 * recognised by their AWS prefix.
 */
/** The fruits the data-protection write-up publishes, one per stage. */
const FRUITS = ['apple', 'orange', 'banana', 'grape', 'plum', 'pineapple', 'mango'].map((name, i) => ({
  name,
  quantity: 3 + (i % 3),
  price: 2 + i,
}));

const account = z
  .object({
    /** Checked against STS when given; otherwise learned from STS. */
    id: z
      .string()
      .regex(/^\d{12}$/, 'a 12-digit account id')
      .optional(),
    /** Role the runner assumes in this account; without it the default credential chain is used. */
    assumeRoleArn: roleArn
      .optional()
      .describe(
        'IAM role the runner assumes in this account, from the base credentials (the default chain, or --profile). Without it the base credentials are used as they are.',
      ),
    /**
     * The ExternalId the role's trust policy requires (condition sts:ExternalId): STS's
     * AssumeRole takes 2 to 1,224 characters of [\w+=,.@:/-] (STS API Reference, AssumeRole).
     */
    externalId: z
      .string()
      .regex(/^[\w+=,.@:/-]{2,1224}$/, '2 to 1224 characters: letters, digits and +=,.@:/-_')
      .optional()
      .describe(
        'ExternalId passed to AssumeRole, for a role whose trust policy requires one (sts:ExternalId). Needs assumeRoleArn.',
      ),
    /**
     * The role session's length: STS allows 900 s up to the role's maximum session duration, at most
     * 43,200 s, and one hour when the base credentials are themselves a role session ("role chaining",
     * STS API Reference, AssumeRole, DurationSeconds). STS's default is 3,600.
     */
    durationSeconds: z
      .number()
      .int()
      .min(900)
      .max(43200)
      .optional()
      .describe(
        "Seconds the assumed role's session lasts (DurationSeconds, 900-43200; at most the role's maximum session duration, and 3600 when the base credentials are a role session). Default: STS's 3600. Needs assumeRoleArn.",
      ),
  })
  .strict()
  .refine((a) => a.assumeRoleArn || (a.externalId === undefined && a.durationSeconds === undefined), {
    message: 'externalId and durationSeconds apply to an assumed role: give assumeRoleArn',
  });

const subnet = z
  .object({
    name,
    cidr: blockCidr,
    availabilityZone: z.string().optional(),
    /** Headroom the subnet must keep: free addresses after AWS's 5 and those in use. */
    minFreeAddresses: z.number().int().min(0).optional(),
  })
  .strict();

const vpcRoute = z
  .object({
    cidr,
    /** Where the subnets' route tables must send `cidr`. */
    via: z.union([z.literal('transit-gateway'), z.object({ peering: name }).strict()]),
  })
  .strict();

const vpc = z
  .object({
    name,
    account: accountKey.default('lab'),
    cidr: blockCidr,
    /** Private subnets: no public IP on launch, no route to an internet or NAT gateway. */
    subnets: z.array(subnet).min(1),
    routes: z.array(vpcRoute).default([]),
  })
  .strict();

const host = z
  .object({
    /** How the matrix and the report name this host (and its instance's Name tag when `instance` is absent). */
    name,
    /** The instance, by Name tag or id; defaults to `name`. */
    instance: name.optional(),
    account: accountKey.default('lab'),
    subnet: name,
    privateIp: ipv4.optional(),
    /** The only sources the host's security groups may admit ICMP from (CIDRs). */
    icmpFrom: z.array(cidr).default([]),
  })
  .strict();

const tgwAttachment = z
  .object({
    name,
    vpc: name,
    /** The TGW route table the attachment is associated with. */
    routeTable: name,
  })
  .strict();

const tgwRoute = z
  .object({
    cidr,
    /** The attachment that receives `cidr`, or `blackhole`. */
    attachment: name,
  })
  .strict();

const transitGateway = z
  .object({
    name,
    options: z
      .object({
        dnsSupport: z.boolean().default(true),
        autoAcceptSharedAttachments: z.boolean().default(false),
        defaultRouteTableAssociation: z.boolean().default(false),
        defaultRouteTablePropagation: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    attachments: z.array(tgwAttachment).min(1),
    /** Every route each table must hold, and nothing else. */
    routeTables: z.array(z.object({ name, routes: z.array(tgwRoute) }).strict()).min(1),
  })
  .strict();

const peering = z
  .object({
    name,
    requester: name,
    accepter: name,
  })
  .strict();

const reachability = z
  .object({
    from: z.string().min(1),
    to: z.string().min(1),
    expect: z.enum(['allow', 'deny']),
    protocol: z
      .union([z.literal('icmp'), z.object({ tcp: z.number().int().min(1).max(65535) }).strict()])
      .default('icmp'),
  })
  .strict();

const network = z
  .object({
    vpcs: z.array(vpc).min(1),
    hosts: z.array(host).default([]),
    transitGateway: transitGateway.optional(),
    peerings: z.array(peering).default([]),
    reachability: z.array(reachability).default([]),
    /** SSM ping settings. */
    ping: z
      .object({
        count: z.number().int().min(1).max(10).default(3),
        timeoutSeconds: z.number().int().min(1).max(10).default(1),
      })
      .strict()
      .prefault({}),
  })
  .strict();

const endpointsVpc = z
  .object({
    vpc: name,
    /** Gateway endpoints that must exist and be routed from every subnet of the VPC in targets. */
    gateway: z.array(z.enum(['s3', 'dynamodb'])).default([]),
    /** Interface endpoints (service short names: `ssm`, `kms`, `sts`…) with private DNS. */
    interface: z.array(z.string().regex(/^[a-z0-9.-]+$/, 'a service short name such as ssm')).default([]),
    /** The S3 gateway endpoint's policy lets in principals of these accounts only. */
    s3PolicyAccounts: z.array(accountKey).optional(),
  })
  .strict();

const reachOutcome = z.enum(['ok', 'denied', 'timeout']);

const probePlacement = z
  .object({
    /** Short name, part of the probe function's name. */
    name: z.string().regex(/^[a-z0-9-]{1,20}$/, 'lower-case letters, digits and dashes, at most 20'),
    vpc: name,
    subnets: z.array(name).min(1),
    /** Security groups by Name tag, group name or id. */
    securityGroups: z.array(name).min(1),
    /**
     * A probe already deployed in that placement (function name or ARN): invoked as it is, never
     * created or deleted. The runner policy lets the suite invoke only functions named `meshcheck-…`.
     */
    deployed: z
      .string()
      .regex(
        /^(arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:)?meshcheck-[\w-]{1,54}$/,
        'a function named meshcheck-… (its name or ARN)',
      )
      .optional(),
    expect: z
      .object({
        /** S3 list/put/get/delete of a run-scoped object in `probe.bucket`. */
        s3: reachOutcome,
        internet: z.enum(['ok', 'timeout']).default('timeout'),
      })
      .strict(),
  })
  .strict();

const probe = z
  .object({
    /** The execution role (name or ARN in the lab account) the probe runs as. */
    role: z.union([roleName, roleArn], 'an IAM role name (at most 64 characters) or role ARN'),
    /** A bucket the probe may list and write run-scoped objects to. */
    bucket: bucketName,
    /** An internet host the probe must not reach (only TCP 443 is tried). */
    internetHost: z.string().default('checkip.amazonaws.com'),
    /**
     * How long the probe's TCP connect may take before it counts as no path (in a VPC a SYN with no
     * route is never answered). 3 s: TCP's first SYN retransmission comes after 1 s and the next 2 s
     * later (RFC 6298, 2.1 and 5.5), so a connect not open by then has lost two SYNs, which a path
     * inside one region does not do. The time a cold VPC function takes to start is not in it.
     */
    attemptTimeoutMs: z.number().int().min(1_000).max(20_000).default(3_000),
    /**
     * How long an open connection waits for its answer on the first try; the probe doubles it on each
     * of its three tries. 2 s, then 4 s: S3's advice for small requests ("retry GET or PUT after 2
     * seconds", then back off; S3 performance whitepaper, "Timeouts and Retries for Latency-Sensitive
     * Applications"). A slow answer is never read as no path.
     */
    answerTimeoutMs: z.number().int().min(500).max(20_000).default(2_000),
    placements: z.array(probePlacement).min(1),
  })
  .strict();

const endpoints = z
  .object({
    vpcs: z.array(endpointsVpc).default([]),
    probe: probe.optional(),
  })
  .strict();

/** `runner` (whoever runs the suite), `role:NAME` (a role of the lab account), or `service:sns.amazonaws.com`. */
const principalRef = z
  .string()
  .regex(
    /^(runner|role:[\w+=,.@-]{1,64}|service:[a-z0-9.-]+\.amazonaws\.com)$/,
    'runner, role:NAME (a role name of at most 64 characters) or service:NAME.amazonaws.com',
  );

const grant = z
  .object({ allow: z.array(principalRef).default([]), deny: z.array(principalRef).default([]) })
  .strict();

const keyTarget = z
  .object({
    alias: keyAlias,
    /** Who the key policy lets decrypt, and who it must refuse. */
    decrypt: grant.prefault({}),
    /** Who the key policy lets make data keys (encrypt), and who it must refuse. */
    generateDataKey: grant.prefault({}),
  })
  .strict();

const order = z
  .object({ name: z.string().min(1), quantity: z.number().int().min(1), price: z.number().min(0) })
  .strict();

const dataProtection = z
  .object({
    /** Topic name; encrypted with `eventsKey`, refusing publishes without TLS. */
    topic: topicName,
    /** Queue name; encrypted with `eventsKey`, refusing non-TLS access, fed by the topic only. */
    queue: queueName,
    eventsKey: keyAlias,
    receiptBucket: bucketName,
    receiptKey: keyAlias,
    /**
     * Where the processor writes the receipt of an order, from what the suite knows when it publishes:
     * `{messageId}` (the topic's message id), `{reference}` (the run id the order carries), `{fruit}`.
     * Without it (and without `receiptSearchPrefix`), `receipts/{messageId}.txt`.
     */
    receiptKeyTemplate: z
      .string()
      .regex(
        /\{(messageId|reference)\}/,
        'a key naming {messageId} or {reference}, so each order has its own',
      )
      .refine(
        (t) => !/\{(?!messageId\}|reference\}|fruit\})[^}]*\}/.test(t),
        'only {messageId}, {reference} and {fruit}',
      )
      .optional(),
    /**
     * For receipts named after what the suite cannot know (the queue's message id): the suite lists the
     * bucket under this prefix for objects written after the order, reads them as the first reader and
     * takes the one that names the order's message id or run id (`reference`) and fruit.
     */
    receiptSearchPrefix: z.string().optional(),
    keys: z.array(keyTarget).default([]),
    /** Roles that must be able to read receipts (assumed by the runner). */
    readers: z.array(roleName).default([]),
    /** Roles the pipeline runs as: CloudTrail must show no KMS denial for them. */
    pipelineRoles: z.array(roleName).default([]),
    /** The orders to publish, one receipt each (default: the write-up's seven fruits). */
    orders: z.array(order).min(1).default(FRUITS),
    receiptTimeoutSeconds: z.number().int().min(5).max(1800).default(180),
    cloudTrailTimeoutSeconds: z.number().int().min(5).max(3600).default(1200),
  })
  .strict()
  .superRefine((dp, ctx) => {
    // Receipts are found one way: by a key the suite can compute, or by search read as a reader.
    if (dp.receiptSearchPrefix !== undefined && dp.receiptKeyTemplate !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['receiptSearchPrefix'],
        message: 'name receipts by receiptKeyTemplate or find them by receiptSearchPrefix, not both',
      });
    if (dp.receiptSearchPrefix !== undefined && dp.readers.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['receiptSearchPrefix'],
        message: 'receipts found by search are read as a reader: name one in dataProtection.readers',
      });
  });

/** The documented default flow log record format (version 2), in AWS's own `${field}` notation. */
export const DEFAULT_FLOW_LOG_FORMAT =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: AWS's LogFormat syntax, not a template
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

const flowLogDestination = z.union(
  [
    z
      .object({
        /** A CloudWatch Logs group of the flow log's own account, written through `deliveryRole`. */
        logGroup: z.string().regex(/^[\w./#-]{1,512}$/, 'a CloudWatch Logs group name'),
        /** The role vpc-flow-logs.amazonaws.com assumes to write (name or ARN); any role the flow log names when absent. */
        deliveryRole: z.union([roleName, roleArn]).optional(),
      })
      .strict(),
    z
      .object({
        /** An S3 bucket, possibly of another account of the lab, written by delivery.logs.amazonaws.com. */
        bucket: bucketName,
        /** The account key of the bucket's owner. */
        account: accountKey.default('lab'),
        /** The key prefix before `AWSLogs/`, if the flow log's destination ARN has one. */
        prefix: z.string().optional(),
      })
      .strict(),
  ],
  'either {"logGroup": …} or {"bucket": …}',
);

const flowLog = z
  .object({
    /** What the flow log watches: one VPC or subnet (Name tag or id), or one network interface id. */
    vpc: name.optional(),
    subnet: name.optional(),
    networkInterface: z
      .string()
      .regex(/^eni-[0-9a-f]+$/, 'a network interface id (eni-…)')
      .optional(),
    destination: flowLogDestination,
    /** Seconds of traffic one record may aggregate: 60 or 600 (AWS's default). */
    maxAggregationInterval: z.union([z.literal(60), z.literal(600)]).default(600),
    /** The record format (LogFormat); the documented default format when absent. */
    format: z.string().min(1).default(DEFAULT_FLOW_LOG_FORMAT),
  })
  .strict()
  .refine(
    (f) => [f.vpc, f.subnet, f.networkInterface].filter((x) => x !== undefined).length === 1,
    'name exactly one of vpc, subnet or networkInterface',
  );

const trail = z
  .object({
    name,
    /** Logs every Region (seed 000: "multi-region trail"). */
    multiRegion: z.boolean().default(true),
    /** Writes digest files so log files can be validated. */
    logFileValidation: z.boolean().default(true),
    /** Which management events the trail logs, or `none`. */
    managementEvents: z.enum(['All', 'ReadOnly', 'WriteOnly', 'none']).default('All'),
    /** Insights types that must be on, and no others. */
    insights: z.array(z.enum(['ApiCallRateInsight', 'ApiErrorRateInsight'])).default([]),
    /** Buckets whose object-level (S3 data) events, read and write, the trail must log. */
    dataEventBuckets: z.array(bucketName).default([]),
    /** The bucket the trail delivers log files to, in the lab account. */
    bucket: bucketName,
    /** The trail's S3 key prefix, when it has one. */
    bucketPrefix: z.string().optional(),
    /** The CloudWatch Logs group the trail also delivers to; absent when it must deliver to S3 only. */
    logGroup: z
      .string()
      .regex(/^[\w./#-]{1,512}$/, 'a CloudWatch Logs group name')
      .optional(),
    /** The latest delivery to each destination must be this recent (a quiet lab still makes management events). */
    deliveryWithinMinutes: z.number().int().min(5).max(1440).default(60),
  })
  .strict();

const observability = z
  .object({
    trail: trail.optional(),
    /** Every flow log the lab must have: each is checked, and this run's traffic is looked for in it. */
    flowLogs: z.array(flowLog).default([]),
    /**
     * How long this run's S3 data events may take to reach the trail's log group. CloudTrail "typically
     * delivers logs within an average of about 5 minutes of an API call"; 20 min leaves room for the tail.
     */
    dataEventTimeoutSeconds: z.number().int().min(5).max(3600).default(1200),
    /**
     * How long this run's traffic may take to appear in flow log records: the aggregation interval, then
     * delivery ("flow log records are published … every 5 minutes" to CloudWatch Logs, every 5 or 10 to
     * S3), plus a margin.
     */
    recordTimeoutSeconds: z.number().int().min(5).max(3600).default(1500),
  })
  .strict();

const targetsObject = z
  .object({
    $schema: z.string().optional(),
    /** Free text for reports: which lab this is. */
    description: z.string().optional(),
    /**
     * Optional: `--region` overrides it, and without either the SDK's region chain decides (AWS_REGION,
     * the profile's region), as in the AWS CLI. loadTargets fills it in: a loaded Targets always has one.
     */
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1')
      .optional()
      .describe(
        "The lab's AWS region. Optional: meshcheck's --region overrides it, and without either the SDK's region chain decides (AWS_REGION, the AWS profile's region).",
      ),
    accounts: z.record(accountKey, account).refine((a) => 'lab' in a, 'must name the "lab" account'),
    network: network.optional(),
    endpoints: endpoints.optional(),
    dataProtection: dataProtection.optional(),
    observability: observability.optional(),
    application: application.optional(),
    privateLink: privateLink.optional(),
  })
  .strict();

/** A loaded targets file: its region always known (the file's, `--region`, or the SDK's chain; load.ts). */
export type Targets = Omit<z.output<typeof targetsObject>, 'region'> & { region: string };

export const targetsSchema = targetsObject
  .superRefine((t, ctx) => {
    // load.ts fills the region in from --region or the SDK's chain before parsing; none there either is bad
    // input, named before any call. The rules that need the region skip while it is unknown.
    if (!t.region)
      ctx.addIssue({ code: 'custom', path: ['region'], message: `no region: ${noRegionHint()}` });
    checkReferences(t, ctx);
    checkRules(t as Targets, ctx);
  })
  // Only a file that passed the check above reaches here: the region is there.
  .transform((t) => t as Targets);

export type TargetsInput = z.input<typeof targetsSchema>;
export type VpcTarget = z.output<typeof vpc>;
export type HostTarget = z.output<typeof host>;
export type ReachabilityTarget = z.output<typeof reachability>;
export type TransitGatewayTarget = z.output<typeof transitGateway>;
export type PeeringTarget = z.output<typeof peering>;
export type EndpointsVpcTarget = z.output<typeof endpointsVpc>;
export type ProbePlacementTarget = z.output<typeof probePlacement>;
export type DataProtectionTarget = z.output<typeof dataProtection>;
export type KeyTarget = z.output<typeof keyTarget>;
export type ObservabilityTarget = z.output<typeof observability>;
export type TrailTarget = z.output<typeof trail>;
export type FlowLogTarget = z.output<typeof flowLog>;

/** Cross-references the schema alone cannot see: every name used must be declared. */
function checkReferences(t: z.output<typeof targetsObject>, ctx: z.RefinementCtx): void {
  const net = t.network;
  checkEndpointReferences(t, ctx);
  checkObservabilityReferences(t, ctx);
  checkApplicationReferences(t, ctx);
  checkPrivateLinkReferences(t, ctx);
  for (const [i, v] of (net?.vpcs ?? []).entries()) {
    if (!(v.account in t.accounts))
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'vpcs', i, 'account'],
        message: `no account "${v.account}" in accounts`,
      });
  }
  if (!net) return;
  const vpcNames = new Set(net.vpcs.map((v) => v.name));
  const subnetNames = new Set(net.vpcs.flatMap((v) => v.subnets.map((s) => s.name)));
  const hostNames = new Set(net.hosts.map((h) => h.name));
  const peeringNames = new Set(net.peerings.map((p) => p.name));
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['network', ...path], message });
  net.hosts.forEach((h, i) => {
    if (!subnetNames.has(h.subnet)) issue(['hosts', i, 'subnet'], `no subnet "${h.subnet}" in network.vpcs`);
    if (!(h.account in t.accounts)) issue(['hosts', i, 'account'], `no account "${h.account}" in accounts`);
  });
  net.reachability.forEach((r, i) => {
    if (!hostNames.has(r.from)) issue(['reachability', i, 'from'], `no host "${r.from}" in network.hosts`);
    if (!hostNames.has(r.to)) issue(['reachability', i, 'to'], `no host "${r.to}" in network.hosts`);
  });
  net.vpcs.forEach((v, i) => {
    v.routes.forEach((r, j) => {
      if (typeof r.via === 'object' && !peeringNames.has(r.via.peering))
        issue(
          ['vpcs', i, 'routes', j, 'via', 'peering'],
          `no peering "${r.via.peering}" in network.peerings`,
        );
      if (r.via === 'transit-gateway' && !net.transitGateway)
        issue(['vpcs', i, 'routes', j, 'via'], 'no transitGateway in network');
    });
  });
  net.peerings.forEach((p, i) => {
    if (!vpcNames.has(p.requester))
      issue(['peerings', i, 'requester'], `no VPC "${p.requester}" in network.vpcs`);
    if (!vpcNames.has(p.accepter))
      issue(['peerings', i, 'accepter'], `no VPC "${p.accepter}" in network.vpcs`);
  });
  const tgw = net.transitGateway;
  if (tgw) {
    const tables = new Set(tgw.routeTables.map((r) => r.name));
    const attachments = new Set(tgw.attachments.map((a) => a.name));
    tgw.attachments.forEach((a, i) => {
      if (!vpcNames.has(a.vpc))
        issue(['transitGateway', 'attachments', i, 'vpc'], `no VPC "${a.vpc}" in network.vpcs`);
      if (!tables.has(a.routeTable))
        issue(
          ['transitGateway', 'attachments', i, 'routeTable'],
          `no route table "${a.routeTable}" in transitGateway.routeTables`,
        );
    });
    tgw.routeTables.forEach((t, i) => {
      t.routes.forEach((r, j) => {
        if (r.attachment !== 'blackhole' && !attachments.has(r.attachment))
          issue(
            ['transitGateway', 'routeTables', i, 'routes', j, 'attachment'],
            `no attachment "${r.attachment}" in transitGateway.attachments`,
          );
      });
    });
  }
}

function checkEndpointReferences(t: z.output<typeof targetsObject>, ctx: z.RefinementCtx): void {
  const vpcs = new Map(t.network?.vpcs.map((v) => [v.name, v]));
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['endpoints', ...path], message });
  t.endpoints?.vpcs.forEach((e, i) => {
    if (!vpcs.has(e.vpc)) issue(['vpcs', i, 'vpc'], `no VPC "${e.vpc}" in network.vpcs`);
    e.s3PolicyAccounts?.forEach((a, j) => {
      if (!(a in t.accounts)) issue(['vpcs', i, 's3PolicyAccounts', j], `no account "${a}" in accounts`);
    });
  });
  t.endpoints?.probe?.placements.forEach((p, i) => {
    const vpc = vpcs.get(p.vpc);
    if (!vpc) {
      issue(['probe', 'placements', i, 'vpc'], `no VPC "${p.vpc}" in network.vpcs`);
      return;
    }
    p.subnets.forEach((s, j) => {
      if (!vpc.subnets.some((x) => x.name === s))
        issue(['probe', 'placements', i, 'subnets', j], `no subnet "${s}" in ${p.vpc}`);
    });
  });
}

function checkObservabilityReferences(t: z.output<typeof targetsObject>, ctx: z.RefinementCtx): void {
  const vpcs = new Set(t.network?.vpcs.map((v) => v.name));
  const subnets = new Set(t.network?.vpcs.flatMap((v) => v.subnets.map((s) => s.name)));
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['observability', ...path], message });
  t.observability?.flowLogs.forEach((f, i) => {
    if (f.vpc !== undefined && !vpcs.has(f.vpc))
      issue(['flowLogs', i, 'vpc'], `no VPC "${f.vpc}" in network.vpcs`);
    if (f.subnet !== undefined && !subnets.has(f.subnet))
      issue(['flowLogs', i, 'subnet'], `no subnet "${f.subnet}" in network.vpcs`);
    if ('account' in f.destination && !(f.destination.account in t.accounts))
      issue(['flowLogs', i, 'destination', 'account'], `no account "${f.destination.account}" in accounts`);
  });
}

function checkApplicationReferences(t: z.output<typeof targetsObject>, ctx: z.RefinementCtx): void {
  const app = t.application;
  if (!app) return;
  const vpcs = new Map(t.network?.vpcs.map((v) => [v.name, v]));
  const placements = new Set(t.endpoints?.probe?.placements.map((p) => p.name));
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['application', ...path], message });
  app.functions.forEach((f, i) => {
    const vpc = vpcs.get(f.vpc);
    if (!vpc) {
      issue(['functions', i, 'vpc'], `no VPC "${f.vpc}" in network.vpcs`);
      return;
    }
    f.subnets.forEach((s, j) => {
      if (!vpc.subnets.some((x) => x.name === s))
        issue(['functions', i, 'subnets', j], `no subnet "${s}" in ${f.vpc}`);
    });
  });
  app.dynamodb?.placements.forEach((p, i) => {
    if (!placements.has(p.placement))
      issue(
        ['dynamodb', 'placements', i, 'placement'],
        `no placement "${p.placement}" in endpoints.probe.placements`,
      );
  });
}

function checkPrivateLinkReferences(t: z.output<typeof targetsObject>, ctx: z.RefinementCtx): void {
  const vpcs = new Map(t.network?.vpcs.map((v) => [v.name, v]));
  const placements = new Set(t.endpoints?.probe?.placements.map((p) => p.name));
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['privateLink', ...path], message });
  const account = (path: (string | number)[], key: string) => {
    if (!(key in t.accounts)) issue(path, `no account "${key}" in accounts`);
  };
  const subnetsOf = (path: (string | number)[], vpcName: string, subnets: string[]) => {
    const vpc = vpcs.get(vpcName);
    if (!vpc) {
      issue([...path, 'vpc'], `no VPC "${vpcName}" in network.vpcs`);
      return;
    }
    subnets.forEach((s, j) => {
      if (!vpc.subnets.some((x) => x.name === s))
        issue([...path, 'subnets', j], `no subnet "${s}" in ${vpcName}`);
    });
  };
  t.privateLink?.services.forEach((svc, i) => {
    const at = ['services', i];
    account([...at, 'account'], svc.account);
    subnetsOf([...at, 'loadBalancer'], svc.loadBalancer.vpc, svc.loadBalancer.subnets);
    svc.allowedPrincipals.forEach((p, j) => {
      if (!p.startsWith('arn:')) account([...at, 'allowedPrincipals', j], p);
    });
    svc.endpoints.forEach((e, j) => {
      account([...at, 'endpoints', j, 'account'], e.account);
      subnetsOf([...at, 'endpoints', j], e.vpc, e.subnets);
    });
    const dns = svc.dns;
    if (dns) {
      account([...at, 'dns', 'account'], dns.account);
      dns.vpcs.forEach((v, j) => {
        if (!vpcs.has(v)) issue([...at, 'dns', 'vpcs', j], `no VPC "${v}" in network.vpcs`);
      });
      if (dns.endpoint !== undefined && !svc.endpoints.some((e) => e.vpc === dns.endpoint))
        issue([...at, 'dns', 'endpoint'], `no endpoint in VPC "${dns.endpoint}" in this service's endpoints`);
      const zone = dns.zone.toLowerCase().replace(/\.$/, '');
      const record = dns.record.name.toLowerCase().replace(/\.$/, '');
      if (record.includes('.') && record !== zone && !record.endsWith(`.${zone}`))
        issue([...at, 'dns', 'record', 'name'], `${dns.record.name} is not a name in ${dns.zone}`);
    }
    const live = svc.live;
    if (live && !dns && (live.reach.length || live.unresolved.length))
      issue([...at, 'live'], 'reach and unresolved need a dns section: they try its record');
    for (const field of ['reach', 'unresolved'] as const)
      live?.[field].forEach((p, j) => {
        if (!placements.has(p))
          issue([...at, 'live', field, j], `no placement "${p}" in endpoints.probe.placements`);
      });
    live?.refusedAccounts.forEach((a, j) => {
      account([...at, 'live', 'refusedAccounts', j], a);
    });
  });
}
