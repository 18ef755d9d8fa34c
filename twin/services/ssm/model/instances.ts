import type { DescribeInstanceInformationRequest, InstanceInformation } from '@aws-sdk/client-ssm';
import { ec2 } from '../../ec2/api.ts';
import { invalidFilterKey, invalidInstanceId } from '../errors.ts';
import { type AgentStatus, agentStatus, privateDnsName } from './agent.ts';
import type { SsmModel } from './index.ts';

/**
 * DescribeInstanceInformation: managed nodes and their agents. "This
 * operation does not return information for nodes that are either Stopped
 * or Terminated"; naming a node that is not a managed node of the account
 * is an error (DescribeInstanceInformation API reference).
 */
const AGENT_VERSION = '3.3.1142.0';
/** The agent pings Systems Manager every five minutes. */
const PING_INTERVAL_MS = 5 * 60_000;

const LEGACY_KEYS = new Set([
  'InstanceIds',
  'AgentVersion',
  'PingStatus',
  'PlatformTypes',
  'ActivationIds',
  'IamRole',
  'ResourceType',
  'AssociationStatus',
]);

type Criterion = { key: string; values: string[] };

function criteria(input: DescribeInstanceInformationRequest): Criterion[] {
  const legacy = (input.InstanceInformationFilterList ?? []).map((f) => ({
    key: f.key ?? '',
    values: f.valueSet ?? [],
  }));
  const modern = (input.Filters ?? []).map((f) => ({ key: f.Key ?? '', values: f.Values ?? [] }));
  for (const c of [...legacy, ...modern]) {
    const tagKey = c.key === 'tag-key' || c.key.startsWith('tag:');
    if (!LEGACY_KEYS.has(c.key) && !(tagKey && modern.includes(c))) throw invalidFilterKey();
  }
  return [...legacy, ...modern];
}

function lastPing(model: SsmModel, status: AgentStatus, now: number): number {
  const launched = status.instance.launchTime;
  if (status.online) return now - ((now - launched) % PING_INTERVAL_MS);
  return model.lastOnline.get(status.instance.id) ?? launched;
}

function render(model: SsmModel, status: AgentStatus, now: number): InstanceInformation {
  const { instance } = status;
  const ip = status.position?.privateIp ?? instance.privateIp;
  return {
    InstanceId: instance.id,
    PingStatus: status.online ? 'Online' : 'ConnectionLost',
    LastPingDateTime: new Date(lastPing(model, status, now)),
    AgentVersion: AGENT_VERSION,
    IsLatestVersion: false,
    PlatformType: 'Linux',
    PlatformName: 'Amazon Linux',
    PlatformVersion: '2023',
    ResourceType: 'EC2Instance',
    IPAddress: ip,
    ComputerName: privateDnsName(ip, model.region),
    ...(status.role && { IamRole: status.role.roleName }),
    SourceId: instance.id,
    SourceType: 'AWS::EC2::Instance',
  };
}

function matches(info: InstanceInformation, status: AgentStatus, c: Criterion): boolean {
  const tags = status.instance.tags;
  if (c.key === 'tag-key') return c.values.some((v) => v in tags);
  if (c.key.startsWith('tag:')) return c.values.includes(tags[c.key.slice(4)] ?? '\u0000');
  const field: Record<string, string | undefined> = {
    InstanceIds: info.InstanceId,
    AgentVersion: info.AgentVersion,
    PingStatus: info.PingStatus,
    PlatformTypes: info.PlatformType,
    ResourceType: info.ResourceType,
    IamRole: info.IamRole,
  };
  return c.values.includes(field[c.key] ?? '\u0000');
}

/**
 * The managed nodes of the account and region with their agents' state now.
 *
 * @example describeInstances(model, {}, twin.clock.now())[0]?.PingStatus // 'Online'
 */
export function describeInstances(
  model: SsmModel,
  input: DescribeInstanceInformationRequest,
  now: number,
): InstanceInformation[] {
  const filters = criteria(input);
  const statuses = [...model.twin.model(ec2, model.accountId, model.region).instances.values()].map((i) =>
    agentStatus(model.twin, model.region, i),
  );
  const named = filters.filter((c) => c.key === 'InstanceIds').flatMap((c) => c.values);
  const unknown = named.filter((id) => !statuses.some((s) => s.instance.id === id && s.managed));
  if (unknown.length) throw invalidInstanceId(unknown, model.accountId);
  const listed = statuses.filter((s) => s.managed && s.instance.state !== 'stopped');
  for (const s of listed) if (s.online) model.lastOnline.set(s.instance.id, now);
  return listed
    .map((s) => ({ s, info: render(model, s, now) }))
    .filter(({ s, info }) => filters.every((c) => matches(info, s, c)))
    .map(({ info }) => info);
}
