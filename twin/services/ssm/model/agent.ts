import type { CallerPosition, Principal } from '../../../core/principal.ts';
import { decide } from '../../../iam/authorize.ts';
import { type ServicePath, servicePath } from '../../../network/service-path.ts';
import type { Twin } from '../../../twin.ts';
import { ec2 } from '../../ec2/api.ts';
import type { InstanceState } from '../../ec2/model/state.ts';
import { findInstanceProfileRole } from '../../iam/lookups.ts';

/**
 * The SSM Agent on an instance, as Systems Manager sees it. A node is
 * managed when it has an instance profile; it is Online only when, as in
 * AWS, the instance runs, its role allows the agent's core calls, and the
 * agent reaches the ssm, ssmmessages and ec2messages endpoints
 * (docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html,
 * .../setup-create-vpc.html).
 */
export interface AgentStatus {
  instance: InstanceState;
  /** Listed by DescribeInstanceInformation and a valid SendCommand target. */
  managed: boolean;
  online: boolean;
  /** Why the node is not managed or not Online. */
  because?: string;
  role?: { roleArn: string; roleId: string; roleName: string };
  position?: CallerPosition;
}

/** The endpoints the agent needs, and the action it calls on each. */
const AGENT_CALLS = [
  { service: 'ssm', action: 'ssm:UpdateInstanceInformation' },
  { service: 'ssmmessages', action: 'ssmmessages:CreateControlChannel' },
  { service: 'ec2messages', action: 'ec2messages:GetMessages' },
] as const;

/** `ip-10-0-1-10.ec2.internal` in us-east-1, `ip-10-0-1-10.<region>.compute.internal` elsewhere. */
export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** Where an instance's primary interface sits, as a caller of AWS APIs. */
export function instancePosition(
  twin: Twin,
  instance: InstanceState,
  region: string,
): CallerPosition | undefined {
  const eni = twin
    .model(ec2, instance.ownerId, region)
    .networkInterfaces.get(instance.primaryNetworkInterfaceId);
  if (!eni) return undefined;
  return {
    accountId: instance.ownerId,
    region,
    vpcId: eni.vpcId,
    subnetId: eni.subnetId,
    securityGroupIds: eni.securityGroupIds,
    networkInterfaceId: eni.id,
    privateIp: eni.privateIp,
  };
}

function agentPrincipal(
  instance: InstanceState,
  role: { roleArn: string; roleId: string; roleName: string },
): Principal {
  return {
    kind: 'assumed-role',
    accountId: instance.ownerId,
    arn: `arn:aws:sts::${instance.ownerId}:assumed-role/${role.roleName}/${instance.id}`,
    userId: `${role.roleId}:${instance.id}`,
    roleArn: role.roleArn,
    roleName: role.roleName,
    sessionName: instance.id,
  };
}

/** Why the agent's role may not make its calls over the paths it has, if it may not. */
function roleProblem(
  twin: Twin,
  status: AgentStatus,
  region: string,
  paths: ServicePath[],
): string | undefined {
  const { instance, role, position } = status;
  if (!role || !position) return undefined;
  const principal = agentPrincipal(instance, role);
  for (const [i, call] of AGENT_CALLS.entries()) {
    const path = paths[i];
    const endpoint = path?.reachable && 'endpointId' in path ? path : undefined;
    const decision = decide(
      twin,
      principal,
      { action: call.action, resource: '*' },
      {
        region,
        time: twin.clock.now(),
        sourceIp: position.privateIp,
        secureTransport: true,
        ...(endpoint && { sourceVpce: endpoint.endpointId, sourceVpc: position.vpcId }),
        ...(endpoint?.endpointPolicy && { endpointPolicy: endpoint.endpointPolicy }),
      },
    );
    if (!decision.allowed) return `${role.roleName} may not call ${call.action}: ${decision.because}`;
  }
  return undefined;
}

/**
 * What Systems Manager knows of the agent on `instance` now.
 *
 * @example agentStatus(twin, 'us-east-1', instance).online
 */
export function agentStatus(twin: Twin, region: string, instance: InstanceState): AgentStatus {
  const base: AgentStatus = { instance, managed: false, online: false };
  if (['pending', 'shutting-down', 'terminated'].includes(instance.state)) {
    return { ...base, because: `${instance.id} is ${instance.state}` };
  }
  if (!instance.iamInstanceProfileArn) return { ...base, because: `${instance.id} has no instance profile` };
  const role = findInstanceProfileRole(twin, instance.iamInstanceProfileArn);
  const position = instancePosition(twin, instance, region);
  const status: AgentStatus = {
    ...base,
    managed: true,
    ...(role && { role }),
    ...(position && { position }),
  };
  if (instance.state !== 'running') return { ...status, because: `${instance.id} is ${instance.state}` };
  if (twin.faults.isAgentOffline(instance.id))
    return { ...status, because: `the agent on ${instance.id} is offline (injected fault)` };
  if (!position) return { ...status, because: `${instance.primaryNetworkInterfaceId} does not exist` };
  const paths = AGENT_CALLS.map((c) => servicePath(twin, position, c.service, region));
  const unreachable = paths.findIndex((p) => !p.reachable);
  if (unreachable >= 0) {
    const path = paths[unreachable] as { because: string };
    return {
      ...status,
      because: `the agent cannot reach ${AGENT_CALLS[unreachable]!.service}: ${path.because}`,
    };
  }
  const denied = roleProblem(twin, status, region, paths);
  return denied ? { ...status, because: denied } : { ...status, online: true };
}
