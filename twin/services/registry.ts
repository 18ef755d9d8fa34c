import type { ServiceDefinition } from '../core/service.ts';
import { cloudtrail } from './cloudtrail/api.ts';
import { dynamodb } from './dynamodb/api.ts';
import { ec2 } from './ec2/api.ts';
import { elbv2 } from './elbv2/api.ts';
import { iam } from './iam/api.ts';
import { kms } from './kms/api.ts';
import { lambda } from './lambda/api.ts';
import { logs } from './logs/api.ts';
import { route53 } from './route53/api.ts';
import { s3 } from './s3/api.ts';
import { sns } from './sns/api.ts';
import { sqs } from './sqs/api.ts';
import { ssm } from './ssm/api.ts';
import { sts } from './sts/api.ts';

/**
 * Every service the twin serves. Adding a service is adding a line here
 * (see CONTRIBUTING.md, "add a twin operation").
 */
export const services: ServiceDefinition<unknown>[] = [
  sts as ServiceDefinition<unknown>,
  ec2 as ServiceDefinition<unknown>,
  iam as ServiceDefinition<unknown>,
  ssm as ServiceDefinition<unknown>,
  kms as ServiceDefinition<unknown>,
  cloudtrail as ServiceDefinition<unknown>,
  logs as ServiceDefinition<unknown>,
  lambda as ServiceDefinition<unknown>,
  sqs as ServiceDefinition<unknown>,
  sns as ServiceDefinition<unknown>,
  s3 as ServiceDefinition<unknown>,
  dynamodb as ServiceDefinition<unknown>,
  elbv2 as ServiceDefinition<unknown>,
  route53 as ServiceDefinition<unknown>,
];

export function serviceBySigningName(name: string): ServiceDefinition<unknown> | undefined {
  return services.find((s) => s.signingName === name);
}
