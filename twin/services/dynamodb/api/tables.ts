import type {
  CreateTableInput,
  DeleteTableInput,
  DescribeContinuousBackupsInput,
  DescribeTableInput,
  ListTablesInput,
  ListTagsOfResourceInput,
  TagResourceInput,
  UntagResourceInput,
  UpdateContinuousBackupsInput,
  UpdateTableInput,
} from '@aws-sdk/client-dynamodb';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import type { Handler } from '../../../core/service.ts';
import { delay } from '../../../state/profile.ts';
import { useKeyOnBehalf } from '../../kms/lookups.ts';
import {
  accessDenied,
  continuousBackupsTableNotFound,
  invalidParameter,
  resourceArnNotFound,
  resourceInUse,
  validation,
} from '../errors.ts';
import { type DynamoDbModel, statusOf, type TableState } from '../model/index.ts';
import {
  createTable,
  deleteTable,
  describeTable,
  nameFromRef,
  tableIn,
  tableNamed,
  wantsKms,
} from '../model/tables.ts';

/**
 * The key of a KMS-encrypted table, resolved and checked as DynamoDB uses
 * it for the caller: "To use a customer managed key … DynamoDB … calls
 * kms:DescribeKey and kms:CreateGrant on your behalf" (Developer Guide,
 * "Encryption at rest: how it works"); the twin checks the key policy with
 * kms:ViaService for the caller and records the use. KMS's refusal comes
 * back wrapped as DynamoDB wraps it: "KMS key access denied error:
 * com.amazonaws.services.kms.model.AWSKMSException: … (Service: AWSKMS;
 * Status Code: 400; Error Code: AccessDeniedException; …)" as
 * AccessDeniedException (aws/aws-cdk#18616), anything else as "KMS
 * validation error: com.amazonaws.services.kms.model.NotFoundException:
 * Key '…' does not exist (…)" in a ValidationException
 * (aws-solutions/generative-ai-application-builder-on-aws#29).
 */
function kmsKeyArn(ctx: RequestContext, keyId: string): string {
  try {
    return useKeyOnBehalf({
      twin: ctx.twin,
      region: ctx.region,
      principal: ctx.principal,
      keyId,
      operation: 'GenerateDataKey',
      viaService: `dynamodb.${ctx.region}.amazonaws.com`,
      sourceIp: ctx.sourceIp,
      accessKeyId: ctx.accessKeyId,
    }).keyArn;
  } catch (e) {
    if (!(e instanceof AwsError)) throw e;
    const detail = `(Service: AWSKMS; Status Code: 400; Error Code: ${e.code}; Request ID: ${ctx.twin.ids.uuid()}; Proxy: null)`;
    if (e.code === 'AccessDeniedException')
      throw accessDenied(
        `KMS key access denied error: com.amazonaws.services.kms.model.AWSKMSException: ${e.message} ${detail}`,
      );
    throw validation(
      `KMS validation error: com.amazonaws.services.kms.model.${e.code}: ${e.message} ${detail}`,
    );
  }
}

/** A table by ARN for the tagging operations ("Requested resource not found: ResourcArn: … not found"). */
function tableByArn(model: DynamoDbModel, arn: string | undefined): TableState {
  const m = /^arn:aws[\w-]*:dynamodb:([\w-]+):(\d{12}):table\/([^/]+)$/.exec(arn ?? '');
  if (!m) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn ?? ''}`);
  const table = m[1] === model.region && m[2] === model.accountId ? model.tables.get(m[3]!) : undefined;
  if (!table) throw resourceArnNotFound(arn!);
  return table;
}

function continuousBackups(table: TableState, now: number) {
  return {
    ContinuousBackupsStatus: 'ENABLED' as const,
    PointInTimeRecoveryDescription: table.pointInTimeRecovery
      ? {
          PointInTimeRecoveryStatus: 'ENABLED' as const,
          RecoveryPeriodInDays: table.recoveryPeriodInDays,
          EarliestRestorableDateTime: new Date(
            Math.max(table.pitrSince ?? now, now - table.recoveryPeriodInDays * 86_400_000),
          ),
          // "LatestRestorableDateTime is typically 5 minutes before the current time."
          LatestRestorableDateTime: new Date(Math.max(table.pitrSince ?? now, now - 5 * 60_000)),
        }
      : { PointInTimeRecoveryStatus: 'DISABLED' as const },
  };
}

export const tableHandlers: Record<string, Handler<DynamoDbModel>> = {
  CreateTable(model, input: CreateTableInput, ctx) {
    const kms = wantsKms(input.SSESpecification);
    const keyArn = kms && kmsKeyArn(ctx, kms.keyId);
    const table = createTable(ctx.twin, model, input, keyArn);
    return { TableDescription: describeTable(table, ctx.time) };
  },

  DescribeTable(model, input: DescribeTableInput, ctx) {
    return { Table: describeTable(tableNamed(model, input.TableName), ctx.time) };
  },

  /** "Returns an array of table names … up to 100 names per page" (API_ListTables), in name order. */
  ListTables(model, input: ListTablesInput) {
    const limit = input.Limit ?? 100;
    if (limit < 1 || limit > 100)
      throw validation(
        `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`,
      );
    const names = [...model.tables.keys()].sort();
    const start = input.ExclusiveStartTableName;
    const rest = start === undefined ? names : names.filter((n) => n > start);
    const page = rest.slice(0, limit);
    return {
      TableNames: page,
      ...(rest.length > limit && { LastEvaluatedTableName: page.at(-1) }),
    };
  },

  DeleteTable(model, input: DeleteTableInput, ctx) {
    const table = tableNamed(model, input.TableName);
    deleteTable(ctx.twin, table);
    return { TableDescription: describeTable(table, ctx.time) };
  },

  /**
   * Billing mode, throughput, SSE and deletion protection. "You can only
   * perform one of the following operations at once" and not while the
   * table is CREATING or UPDATING (ResourceInUseException).
   */
  UpdateTable(model, input: UpdateTableInput, ctx) {
    const table = tableNamed(model, input.TableName);
    const status = statusOf(table, ctx.time);
    if (status !== 'ACTIVE')
      throw resourceInUse(
        `Attempt to change a resource which is still in use: Table is being ${status === 'CREATING' ? 'created' : status === 'DELETING' ? 'deleted' : 'updated'}: ${table.name}`,
      );
    if (
      input.GlobalSecondaryIndexUpdates?.length ||
      input.ReplicaUpdates?.length ||
      input.StreamSpecification
    )
      throw validation(
        'The twin does not serve indexes, replicas or streams (see LIMITATIONS in twin/services/dynamodb/api.ts)',
      );
    let changed = false;
    if (input.BillingMode !== undefined || input.ProvisionedThroughput !== undefined) {
      const mode = input.BillingMode ?? table.billingMode;
      if (mode === 'PAY_PER_REQUEST') {
        if (input.ProvisionedThroughput)
          throw invalidParameter(
            'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
          );
        if (table.billingMode !== 'PAY_PER_REQUEST') table.payPerRequestSince = ctx.time;
        Object.assign(table, { billingMode: 'PAY_PER_REQUEST', read: 0, write: 0 });
      } else {
        const t = input.ProvisionedThroughput;
        if (!t || t.ReadCapacityUnits === undefined || t.WriteCapacityUnits === undefined)
          throw invalidParameter('ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
        if (t.ReadCapacityUnits < 1 || t.WriteCapacityUnits < 1)
          throw invalidParameter(
            'ReadCapacityUnits and WriteCapacityUnits must be greater than or equal to 1',
          );
        if (
          table.billingMode === 'PROVISIONED' &&
          t.ReadCapacityUnits === table.read &&
          t.WriteCapacityUnits === table.write
        )
          throw validation(
            'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: ' +
              `${table.read}. Requested ReadCapacityUnits: ${t.ReadCapacityUnits}. Current WriteCapacityUnits provisioned for the table: ${table.write}. Requested WriteCapacityUnits: ${t.WriteCapacityUnits}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
          );
        Object.assign(table, {
          billingMode: 'PROVISIONED',
          read: t.ReadCapacityUnits,
          write: t.WriteCapacityUnits,
        });
      }
      changed = true;
    }
    if (input.SSESpecification) {
      const kms = wantsKms(input.SSESpecification);
      table.kmsKeyArn = kms && kmsKeyArn(ctx, kms.keyId);
      changed = true;
    }
    if (input.DeletionProtectionEnabled !== undefined) {
      table.deletionProtection = input.DeletionProtectionEnabled;
      changed = true;
    }
    if (!changed)
      throw validation(
        'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
      );
    table.updateDoneAt = ctx.time + delay(ctx.twin.profile, 'dynamodbTableCreationMs');
    return { TableDescription: describeTable(table, ctx.time) };
  },

  DescribeContinuousBackups(model, input: DescribeContinuousBackupsInput, ctx) {
    const table = tableIn(model, input.TableName);
    if (!table) throw continuousBackupsTableNotFound(nameFromRef(input.TableName));
    return { ContinuousBackupsDescription: continuousBackups(table, ctx.time) };
  },

  /** PointInTimeRecoveryEnabled, and RecoveryPeriodInDays 1–35 ("The default value is 35 days"). */
  UpdateContinuousBackups(model, input: UpdateContinuousBackupsInput, ctx) {
    const table = tableIn(model, input.TableName);
    if (!table || statusOf(table, ctx.time) === 'DELETING')
      throw continuousBackupsTableNotFound(nameFromRef(input.TableName));
    // A new table's backups are still being enabled: tools wait and retry (aws-amplify/amplify-backend#1654,
    // nasa/cumulus#1116: "fails to be enabled if it is running against newly created tables").
    if (statusOf(table, ctx.time) === 'CREATING')
      throw new AwsError(
        'ContinuousBackupsUnavailableException',
        `Backups are being enabled for the table: ${table.name}. Please retry later`,
      );
    const spec = input.PointInTimeRecoverySpecification;
    if (spec?.PointInTimeRecoveryEnabled === undefined)
      throw validation(
        "1 validation error detected: Value null at 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy constraint: Member must not be null",
      );
    const days = spec.RecoveryPeriodInDays;
    if (days !== undefined) {
      if (!spec.PointInTimeRecoveryEnabled)
        throw invalidParameter(
          'RecoveryPeriodInDays can only be specified when PointInTimeRecoveryEnabled is true',
        );
      if (days < 1 || days > 35)
        throw validation(
          `1 validation error detected: Value '${days}' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value ${days < 1 ? 'greater than or equal to 1' : 'less than or equal to 35'}`,
        );
    }
    if (spec.PointInTimeRecoveryEnabled && !table.pointInTimeRecovery) table.pitrSince = ctx.time;
    table.pointInTimeRecovery = spec.PointInTimeRecoveryEnabled;
    if (spec.PointInTimeRecoveryEnabled) table.recoveryPeriodInDays = days ?? table.recoveryPeriodInDays;
    return { ContinuousBackupsDescription: continuousBackups(table, ctx.time) };
  },

  TagResource(model, input: TagResourceInput) {
    const table = tableByArn(model, input.ResourceArn);
    for (const t of input.Tags ?? []) table.tags.set(t.Key!, t.Value ?? '');
    // "The maximum number of tags per resource is 50" (Developer Guide, tagging restrictions).
    if (table.tags.size > 50) throw new AwsError('LimitExceededException', 'Too many tags for the resource');
    return {};
  },

  UntagResource(model, input: UntagResourceInput) {
    const table = tableByArn(model, input.ResourceArn);
    for (const k of input.TagKeys ?? []) table.tags.delete(k);
    return {};
  },

  ListTagsOfResource(model, input: ListTagsOfResourceInput) {
    const table = tableByArn(model, input.ResourceArn);
    return { Tags: [...table.tags].map(([Key, Value]) => ({ Key, Value })) };
  },
};
