import { AwsError } from '../../../core/errors.ts';

/**
 * Flow log record formats (VPC User Guide, "Flow log records", table
 * "Available fields"): each field with the flow log version that brought
 * it. The default format is every version 2 field in table order; a
 * custom format names fields as `${field}` separated by spaces, at least
 * one, and its records carry the highest version among its fields.
 */
export const FIELD_VERSIONS: Readonly<Record<string, number>> = {
  version: 2,
  'account-id': 2,
  'interface-id': 2,
  srcaddr: 2,
  dstaddr: 2,
  srcport: 2,
  dstport: 2,
  protocol: 2,
  packets: 2,
  bytes: 2,
  start: 2,
  end: 2,
  action: 2,
  'log-status': 2,
  'vpc-id': 3,
  'subnet-id': 3,
  'instance-id': 3,
  'tcp-flags': 3,
  type: 3,
  'pkt-srcaddr': 3,
  'pkt-dstaddr': 3,
  region: 4,
  'az-id': 4,
  'sublocation-type': 4,
  'sublocation-id': 4,
  'pkt-src-aws-service': 5,
  'pkt-dst-aws-service': 5,
  'flow-direction': 5,
  'traffic-path': 5,
  'ecs-cluster-arn': 7,
  'ecs-cluster-name': 7,
  'ecs-container-instance-arn': 7,
  'ecs-container-instance-id': 7,
  'ecs-container-id': 7,
  'ecs-second-container-id': 7,
  'ecs-service-name': 7,
  'ecs-task-definition-arn': 7,
  'ecs-task-arn': 7,
  'ecs-task-id': 7,
  'reject-reason': 8,
};

const DEFAULT_FIELDS = Object.keys(FIELD_VERSIONS).filter((f) => FIELD_VERSIONS[f] === 2);

/** The default format as DescribeFlowLogs shows it. */
export const DEFAULT_LOG_FORMAT = DEFAULT_FIELDS.map((f) => `\${${f}}`).join(' ');

export interface LogFormat {
  /** The text as given (or the default), for DescribeFlowLogs. */
  text: string;
  fields: string[];
  /** The `version` a record of this format carries. */
  version: number;
}

/**
 * Parses and checks a LogFormat. Wording of the refusal is the twin's:
 * AWS answers InvalidParameter for an unknown field, as for the other
 * malformed parameters of CreateFlowLogs.
 */
export function parseLogFormat(text: string | undefined): LogFormat {
  if (text === undefined) return { text: DEFAULT_LOG_FORMAT, fields: DEFAULT_FIELDS, version: 2 };
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  if (!tokens.length) throw new AwsError('InvalidParameter', 'LogFormat must include at least one field.');
  const fields = tokens.map((token) => {
    const m = /^\$\{([a-z0-9-]+)\}$/.exec(token);
    if (!m || FIELD_VERSIONS[m[1]!] === undefined)
      throw new AwsError('InvalidParameter', `Unknown field in LogFormat: ${token}`);
    return m[1]!;
  });
  const version = Math.max(...fields.map((f) => FIELD_VERSIONS[f]!));
  return { text, fields, version };
}
