import type { ProtocolName } from '../core/service.ts';
import { awsJson } from './aws-json.ts';
import type { Protocol } from './protocol.ts';
import { query } from './query.ts';
import { restJson, restXml } from './rest.ts';

export const protocols: Record<ProtocolName, Protocol> = {
  ec2Query: query('ec2Query'),
  awsQuery: query('awsQuery'),
  awsJson1_0: awsJson('1.0'),
  awsJson1_1: awsJson('1.1'),
  restJson1: restJson,
  restXml: restXml,
};

export type { Protocol } from './protocol.ts';
