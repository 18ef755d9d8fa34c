import { z } from 'zod';
import { bucketName, keyAlias, name, roleArn, roleName } from './fields.ts';

/**
 * The application half of the lab (seed 000's serverless, DynamoDB, buckets
 * and IAM; seed 003's processor in a VPC), as data: the `application`
 * section of the targets file, checked by suites/application (ids S…).
 */

/** A Lambda function name (1–64 of letters, digits, `-`, `_`; Lambda API Reference, FunctionName). */
const functionName = z
  .string()
  .regex(/^[\w-]{1,64}$/, 'a Lambda function name (at most 64 letters, digits, - or _)');

/** A DynamoDB table name (3–255 of letters, digits, `_`, `-`, `.`; DynamoDB Developer Guide, Naming rules). */
export const tableName = z
  .string()
  .regex(/^[\w.-]{3,255}$/, 'a DynamoDB table name (3-255 letters, digits, _ - .)');

/**
 * One egress rule a function's security groups must hold, TCP or all traffic: to a CIDR, to a prefix
 * list of an AWS service (`prefixList:s3`, `prefixList:dynamodb`, resolved in the lab's Region), or to
 * a security group (`sg:NAME`, Name tag, group name or id).
 */
const egressRule = z
  .object({
    protocol: z.enum(['tcp', 'all']).default('tcp'),
    /** The one TCP port (`from` = `to`); absent for `all`. */
    port: z.number().int().min(0).max(65535).optional(),
    to: z
      .string()
      .regex(
        /^(prefixList:[a-z0-9-]+|sg:.+|\d{1,3}(\.\d{1,3}){3}\/\d{1,2})$/,
        'a CIDR, prefixList:SERVICE or sg:NAME',
      ),
  })
  .strict();

const appFunction = z
  .object({
    name: functionName,
    vpc: name,
    /** Every subnet the function must run in (one per AZ the lab spans), and no other. */
    subnets: z.array(name).min(1),
    /** Its security groups, exactly (Name tag, group name or id). */
    securityGroups: z.array(name).min(1),
    /** Its execution role (name or ARN in the lab account). */
    role: z.union([roleName, roleArn]),
    /** Environment variables that must hold exactly these values (others may exist). */
    environment: z.record(z.string(), z.string()).default({}),
    /**
     * The egress its security groups allow, exactly (the union of their egress rules). Absent: not
     * checked. Seeds 002 and 003 remove the default 0.0.0.0/0 egress.
     */
    egress: z.array(egressRule).optional(),
  })
  .strict();

const keyAttribute = z
  .object({ name: z.string().min(1).max(255), type: z.enum(['S', 'N', 'B']).default('S') })
  .strict();

const table = z
  .object({
    name: tableName,
    partitionKey: keyAttribute,
    /** The sort (range) key; absent when the table must have none. */
    sortKey: keyAttribute.optional(),
    billing: z.enum(['PAY_PER_REQUEST', 'PROVISIONED']).default('PAY_PER_REQUEST'),
    /**
     * Encryption at rest: `aws-owned` (DynamoDB's default, no SSEDescription), `aws-managed`
     * (alias/aws/dynamodb), or a customer managed key by alias.
     */
    encryption: z
      .union([z.enum(['aws-owned', 'aws-managed']), z.object({ key: keyAlias }).strict()])
      .default('aws-owned'),
    /** Point-in-time recovery on or off; absent: not checked. */
    pointInTimeRecovery: z.boolean().optional(),
  })
  .strict();

/** `role:NAME` (a role of the lab account), `service:NAME.amazonaws.com`, or `runner`. */
const bucketPrincipal = z
  .string()
  .regex(
    /^(runner|role:[\w+=,.@-]{1,64}|service:[a-z0-9.-]+\.amazonaws\.com)$/,
    'runner, role:NAME or service:NAME.amazonaws.com',
  );

const bucket = z
  .object({
    name: bucketName,
    versioning: z.boolean().default(true),
    /** Default encryption: SSE-S3 (`AES256`) or SSE-KMS (`aws:kms`, with `key` when a particular one is intended). */
    encryption: z
      .union([
        z.literal('AES256'),
        z.object({ algorithm: z.literal('aws:kms'), key: keyAlias.optional() }).strict(),
      ])
      .default('AES256'),
    /** The bucket policy denies every request made without TLS (aws:SecureTransport false). */
    tlsOnly: z.boolean().default(true),
    /**
     * Who, besides the bucket's own account through IAM, its policy lets in: exactly these. The policy
     * is evaluated, not read: a statement admitting anyone else fails.
     */
    admits: z.array(bucketPrincipal).default([]),
  })
  .strict();

/**
 * A resource of a least-privilege matrix: `table:NAME`, `bucket:NAME` (the bucket), `bucket:NAME/KEY`
 * (an object; `*` allowed in KEY), `table:{other}` / `bucket:{other}` (a table or bucket of the lab's
 * account that no target names, made up per run), or an ARN as it is.
 */
const resourceRef = z
  .string()
  .regex(
    /^(table:[\w.{}-]+|bucket:[a-z0-9.{}-]+(\/.*)?|arn:aws[\w-]*:.+|\*)$/,
    'table:NAME, bucket:NAME, bucket:NAME/KEY, table:{other}, bucket:{other} or an ARN',
  );

/** An IAM action (`dynamodb:PutItem`); wildcards are refused, a matrix names what it means. */
const action = z
  .string()
  .regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, 'an IAM action such as dynamodb:PutItem (no wildcards)');

const entitlement = z
  .object({ actions: z.array(action).min(1), resources: z.array(resourceRef).min(1) })
  .strict();

const privilegeMatrix = {
  /** Every action on every resource here must be allowed. */
  allow: z.array(entitlement).default([]),
  /** Every action on every resource here must be refused. */
  deny: z.array(entitlement).default([]),
};

/** A role whose permissions must be exactly what its work needs (checked by IAM's own simulator, and by ours). */
const leastPrivilegeRole = z.object({ role: z.union([roleName, roleArn]), ...privilegeMatrix }).strict();

/** A person's principal with restricted access (seed 000: "the IAM user has restricted access"). */
const operator = z
  .object({
    /** `user:NAME` or `role:NAME` of the lab account. */
    principal: z.string().regex(/^(user|role):[\w+=,.@-]{1,64}$/, 'user:NAME or role:NAME'),
    ...privilegeMatrix,
    /**
     * One refused read tried for real, as a role the runner may assume (the operator's own role, or one
     * that carries the same policies): AWS must refuse it with IAM's AccessDenied, not a missing resource.
     */
    liveTry: z
      .object({ assume: z.union([roleName, roleArn]), action, resource: resourceRef })
      .strict()
      .optional(),
  })
  .strict();

/** The seed's "Test Lambda" step: invoke the writer and find what this invocation wrote. */
const writer = z
  .object({
    function: functionName,
    /** The event it is invoked with (the seed uses `{}`). */
    event: z.record(z.string(), z.unknown()).default({}),
    /** The table it writes one item to, and the item attribute holding the item's time (ISO 8601 or epoch seconds). */
    table: tableName,
    timeAttribute: z.string().min(1),
    /** The bucket it writes one object to, under `prefix`. */
    bucket: bucketName,
    prefix: z.string().default(''),
    /** How long its item, object and log line may take to appear. */
    timeoutSeconds: z.number().int().min(5).max(900).default(60),
  })
  .strict();

/** DynamoDB from inside a VPC, tried by the reach probe (endpoints.probe) from its placements. */
const dynamodbReach = z
  .object({
    /** A table the probe's role may put, get and delete a run-scoped item in; without it, ListTables only. */
    table: tableName.optional(),
    placements: z
      .array(
        z
          .object({
            /** A placement name of endpoints.probe. */
            placement: z.string().min(1),
            expect: z.enum(['ok', 'denied', 'timeout']),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const application = z
  .object({
    /** Application functions: placement, wiring, runtime and egress (S1–S4). */
    functions: z.array(appFunction).default([]),
    tables: z.array(table).default([]),
    buckets: z.array(bucket).default([]),
    writer: writer.optional(),
    dynamodb: dynamodbReach.optional(),
    roles: z.array(leastPrivilegeRole).default([]),
    operators: z.array(operator).default([]),
  })
  .strict();

export type ApplicationTarget = z.output<typeof application>;
export type AppFunctionTarget = z.output<typeof appFunction>;
export type TableTarget = z.output<typeof table>;
export type AppBucketTarget = z.output<typeof bucket>;
export type WriterTarget = z.output<typeof writer>;
export type EntitlementTarget = z.output<typeof entitlement>;
export type LeastPrivilegeRoleTarget = z.output<typeof leastPrivilegeRole>;
export type OperatorTarget = z.output<typeof operator>;
