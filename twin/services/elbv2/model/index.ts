import type { Twin } from '../../../twin.ts';
import type { ListenerState, LoadBalancerState, TargetGroupState } from './state.ts';

export type * from './state.ts';

/** Elastic Load Balancing v2 state of one account in one Region. */
export class Elbv2Model {
  readonly loadBalancers = new Map<string, LoadBalancerState>();
  readonly targetGroups = new Map<string, TargetGroupState>();
  readonly listeners = new Map<string, ListenerState>();

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
    readonly region: string,
  ) {}

  arnOf(kind: 'loadbalancer/net' | 'targetgroup' | 'listener/net', path: string): string {
    return `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:${kind}/${path}`;
  }
}

/** The signing name (and IAM prefix) of Elastic Load Balancing. */
export const ELBV2_SIGNING_NAME = 'elasticloadbalancing';

/**
 * Every ELBv2 model the twin made, for modules the service definition
 * imports (twin/network reads load balancers without importing api.ts).
 */
export function elbv2Models(twin: Twin): Elbv2Model[] {
  return twin.modelsSigning<Elbv2Model>(ELBV2_SIGNING_NAME).map(([, m]) => m);
}

/** The model holding an ARN's resource, by the account and Region the ARN names. */
export function modelOfArn(twin: Twin, arn: string | undefined): Elbv2Model | undefined {
  const m = /^arn:aws[\w-]*:elasticloadbalancing:([\w-]+):(\d{12}):/.exec(arn ?? '');
  if (!m) return undefined;
  return elbv2Models(twin).find((model) => model.region === m[1] && model.accountId === m[2]);
}

export function loadBalancerByArn(twin: Twin, arn: string | undefined): LoadBalancerState | undefined {
  return modelOfArn(twin, arn)?.loadBalancers.get(arn ?? '');
}

export function targetGroupByArn(twin: Twin, arn: string | undefined): TargetGroupState | undefined {
  return modelOfArn(twin, arn)?.targetGroups.get(arn ?? '');
}

/** Listeners of a load balancer, by port. */
export function listenersOf(model: Elbv2Model, loadBalancerArn: string): ListenerState[] {
  return [...model.listeners.values()]
    .filter((l) => l.loadBalancerArn === loadBalancerArn)
    .sort((a, b) => a.port - b.port);
}

/** Whether the load balancer is past provisioning. */
export function stateOf(lb: LoadBalancerState, now: number): 'provisioning' | 'active' {
  return now >= lb.activeAt ? 'active' : 'provisioning';
}
