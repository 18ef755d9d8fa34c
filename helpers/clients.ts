import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { maxAttemptsSetting } from './aws-settings.ts';
import { recordCall } from './calls.ts';
import { tellCall } from './pending.ts';
import { runId } from './run.ts';
import { APP_ID } from './version.ts';

/**
 * SDK v3 clients for one account, made on first use. Credentials come from
 * the default chain, optionally through a role assumed in that account; the
 * endpoint from the SDK's own settings (AWS_ENDPOINT_URL and friends), so
 * the suite reaches a real account or the twin without knowing which.
 * Every call is counted for the reports.
 */
export interface AccountAccess {
  region: string;
  assumeRoleArn?: string | undefined;
  /** The ExternalId the role's trust policy asks for (its `sts:ExternalId` condition). */
  externalId?: string | undefined;
  /** How long the assumed role's session lasts (STS's DurationSeconds; its default is one hour). */
  durationSeconds?: number | undefined;
  /** Static credentials (an assumed role's session), when the caller has them. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  /** An explicit endpoint; the suite leaves this to the SDK's settings (AWS_ENDPOINT_URL). */
  endpoint?: string | undefined;
}

/** How the runner reaches an account the targets name: the role it assumes there, and how. */
export function roleAccess(
  account: { assumeRoleArn?: string; externalId?: string; durationSeconds?: number } | undefined,
): Pick<AccountAccess, 'assumeRoleArn' | 'externalId' | 'durationSeconds'> {
  return {
    assumeRoleArn: account?.assumeRoleArn,
    externalId: account?.externalId,
    durationSeconds: account?.durationSeconds,
  };
}

const constructors = {
  ec2: EC2Client,
  ssm: SSMClient,
  sts: STSClient,
  iam: IAMClient,
  s3: S3Client,
  lambda: LambdaClient,
  kms: KMSClient,
  sns: SNSClient,
  sqs: SQSClient,
  cloudtrail: CloudTrailClient,
  logs: CloudWatchLogsClient,
  dynamodb: DynamoDBClient,
  elbv2: ElasticLoadBalancingV2Client,
  route53: Route53Client,
} as const;

export type ServiceKey = keyof typeof constructors;
export type AwsClients = { [K in ServiceKey]: InstanceType<(typeof constructors)[K]> };

const cache = new Map<string, AwsClients>();

/**
 * @example
 *   const { ec2 } = clientsFor({ region: 'us-east-1' });
 *   await ec2.send(new DescribeVpcsCommand({}));
 */
export function clientsFor(access: AccountAccess): AwsClients {
  // JSON writes an absent part as null: no placeholder needed.
  const key = JSON.stringify([
    access.region,
    access.assumeRoleArn,
    access.externalId,
    access.durationSeconds,
    access.credentials?.accessKeyId,
    access.endpoint,
  ]);
  let clients = cache.get(key);
  if (!clients) {
    clients = makeClients(access);
    cache.set(key, clients);
  }
  return clients;
}

/**
 * Forgets every client made so far, with the credentials they hold: for a
 * process that runs the suite again against a world whose keys changed
 * (the drift matrix resets its twin between runs).
 */
export function forgetClients(): void {
  cache.clear();
}

function makeClients(access: AccountAccess): AwsClients {
  const credentials: AwsCredentialIdentityProvider | AccountAccess['credentials'] =
    access.credentials ??
    (access.assumeRoleArn
      ? fromTemporaryCredentials({
          params: {
            RoleArn: access.assumeRoleArn,
            RoleSessionName: `meshcheck-${runId()}`,
            ...(access.externalId !== undefined && { ExternalId: access.externalId }),
            ...(access.durationSeconds !== undefined && { DurationSeconds: access.durationSeconds }),
          },
          // The role is assumed from the base credentials: the SDK's default chain, which honours the
          // profile (AWS_PROFILE, `--profile`) and the profile's own role_arn/source_profile.
          clientConfig: {
            region: access.region,
            maxAttempts: maxAttemptsSetting(),
            userAgentAppId: APP_ID,
            ...(access.endpoint && { endpoint: access.endpoint }),
          },
        })
      : undefined);
  const made = new Map<ServiceKey, unknown>();
  const clients = {} as AwsClients;
  for (const service of Object.keys(constructors) as ServiceKey[]) {
    Object.defineProperty(clients, service, {
      enumerable: true,
      get() {
        if (!made.has(service)) made.set(service, makeClient(service, access, credentials));
        return made.get(service);
      },
    });
  }
  return clients;
}

function makeClient(service: ServiceKey, access: AccountAccess, credentials: unknown) {
  const Ctor = constructors[service] as new (
    config: object,
  ) => {
    middlewareStack: { add: (mw: unknown, opts: object) => void };
  };
  const client = new Ctor({
    region: access.region,
    ...(access.endpoint && { endpoint: access.endpoint }),
    // Attempts per call, retries included: the SDK's own chain (AWS_MAX_ATTEMPTS, the profile's
    // max_attempts) with meshcheck's default (helpers/aws-settings.ts says why); exhausted retries become
    // CannotTellError (exit 3). The retry mode is left to the SDK (AWS_RETRY_MODE, the profile's
    // retry_mode, else standard).
    maxAttempts: maxAttemptsSetting(),
    userAgentAppId: APP_ID,
    ...(credentials ? { credentials } : {}),
  });
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      recordCall(service, operation);
      tellCall(`${service}.${operation}`);
      return next(args);
    },
    { step: 'initialize', name: 'meshcheckCallCounter' },
  );
  return client;
}
