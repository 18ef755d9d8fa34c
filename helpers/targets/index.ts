export { loadTargets, parseTargets } from './load.ts';
export { type ResolvedTargets, resolveTargets } from './resolve.ts';
export type {
  FlowLogTarget,
  HostTarget,
  ObservabilityTarget,
  PeeringTarget,
  ReachabilityTarget,
  Targets,
  TargetsInput,
  TrailTarget,
  TransitGatewayTarget,
  VpcTarget,
} from './schema.ts';
export { DEFAULT_FLOW_LOG_FORMAT, targetsSchema } from './schema.ts';
export type {
  AppBucketTarget,
  AppFunctionTarget,
  ApplicationTarget,
  EntitlementTarget,
  LeastPrivilegeRoleTarget,
  OperatorTarget,
  TableTarget,
  WriterTarget,
} from './schema-application.ts';
