export { loadTargets, parseTargets } from './load.ts';
export { type ResolvedTargets, resolveTargets } from './resolve.ts';
export type {
  HostTarget,
  PeeringTarget,
  ReachabilityTarget,
  Targets,
  TargetsInput,
  TransitGatewayTarget,
  VpcTarget,
} from './schema.ts';
export { targetsSchema } from './schema.ts';
