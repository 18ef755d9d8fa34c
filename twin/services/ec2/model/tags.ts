import { AwsError } from '../../../core/errors.ts';
import { type Ec2ResourceKind, invalidParameter, notFoundError } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import { peeringsVisibleTo, peeringTagsFor, type World } from './peering.ts';
import type { Tags } from './state.ts';

/**
 * Taggable EC2 resources by id prefix: the Map of Ec2Model that holds them,
 * the `ResourceType` DescribeTags names (API_TagSpecification) and the
 * NotFound error for an unknown id. Longer prefixes first.
 */
const TAGGABLE: readonly { prefix: string; map: string; type: string; kind?: Ec2ResourceKind }[] = [
  {
    prefix: 'tgw-attach-',
    map: 'transitGatewayAttachments',
    type: 'transit-gateway-attachment',
    kind: 'transitGatewayAttachment',
  },
  {
    prefix: 'tgw-rtb-',
    map: 'transitGatewayRouteTables',
    type: 'transit-gateway-route-table',
    kind: 'transitGatewayRouteTable',
  },
  { prefix: 'tgw-', map: 'transitGateways', type: 'transit-gateway', kind: 'transitGateway' },
  {
    prefix: 'vpce-svc-',
    map: 'endpointServiceConfigurations',
    type: 'vpc-endpoint-service',
    kind: 'endpointService',
  },
  { prefix: 'vpce-', map: 'vpcEndpoints', type: 'vpc-endpoint', kind: 'vpcEndpoint' },
  { prefix: 'vpc-', map: 'vpcs', type: 'vpc', kind: 'vpc' },
  { prefix: 'subnet-', map: 'subnets', type: 'subnet', kind: 'subnet' },
  { prefix: 'rtb-', map: 'routeTables', type: 'route-table', kind: 'routeTable' },
  { prefix: 'sg-', map: 'securityGroups', type: 'security-group', kind: 'securityGroup' },
  { prefix: 'acl-', map: 'networkAcls', type: 'network-acl', kind: 'networkAcl' },
  { prefix: 'eni-', map: 'networkInterfaces', type: 'network-interface', kind: 'networkInterface' },
  { prefix: 'i-', map: 'instances', type: 'instance', kind: 'instance' },
  { prefix: 'igw-', map: 'internetGateways', type: 'internet-gateway', kind: 'internetGateway' },
  { prefix: 'nat-', map: 'natGateways', type: 'natgateway', kind: 'natGateway' },
  { prefix: 'eipalloc-', map: 'elasticIps', type: 'elastic-ip', kind: 'allocation' },
  { prefix: 'pl-', map: 'prefixLists', type: 'prefix-list', kind: 'prefixList' },
  { prefix: 'fl-', map: 'flowLogs', type: 'vpc-flow-log', kind: 'flowLog' },
];

export interface Taggable {
  id: string;
  type: string;
  /** The tag set this account sees (a peering connection keeps one per side). */
  tags: Tags;
}

type TaggedRecord = { tags?: Tags };

function mapsOf(model: Ec2Model): Map<string, Map<string, TaggedRecord>> {
  const maps = new Map<string, Map<string, TaggedRecord>>();
  for (const [name, value] of Object.entries(model)) if (value instanceof Map) maps.set(name, value);
  return maps;
}

function typeOf(id: string): string {
  return TAGGABLE.find((t) => id.startsWith(t.prefix))?.type ?? id.slice(0, id.indexOf('-'));
}

/**
 * Every tagged resource the account sees, from every Map of its model
 * (including maps other files add) plus the peering connections it is a
 * party to.
 */
export function allTaggables(model: Ec2Model, world: World, now: number): Taggable[] {
  const viewer = { accountId: model.accountId, region: model.region };
  const out: Taggable[] = [];
  for (const [name, map] of mapsOf(model)) {
    if (name === 'peeringConnections') continue;
    for (const [id, record] of map) if (record.tags) out.push({ id, type: typeOf(id), tags: record.tags });
  }
  for (const conn of peeringsVisibleTo(world, viewer, now)) {
    out.push({ id: conn.id, type: 'vpc-peering-connection', tags: peeringTagsFor(conn, viewer) });
  }
  return out;
}

/** The resource behind an id, or its kind's NotFound error (`InvalidID` when the prefix is unknown). */
export function taggable(model: Ec2Model, world: World, id: string, now: number): Taggable {
  if (id.startsWith('pcx-')) {
    const viewer = { accountId: model.accountId, region: model.region };
    const conn = peeringsVisibleTo(world, viewer, now).find((c) => c.id === id);
    if (!conn) throw notFoundError('peering', id);
    return { id, type: 'vpc-peering-connection', tags: peeringTagsFor(conn, viewer) };
  }
  const entry = TAGGABLE.find((t) => id.startsWith(t.prefix));
  const record = entry ? mapsOf(model).get(entry.map)?.get(id) : undefined;
  if (record?.tags) return { id, type: entry!.type, tags: record.tags };
  if (entry?.kind) throw notFoundError(entry.kind, id);
  throw new AwsError('InvalidID', `The ID '${id}' is not valid`);
}

/** CreateTags: up to 50 per resource; `aws:` keys are AWS's own (tag restrictions, Using_Tags.html). */
export function createTags(
  model: Ec2Model,
  world: World,
  ids: string[],
  tags: { Key?: string; Value?: string }[],
  now: number,
): void {
  const targets = ids.map((id) => taggable(model, world, id, now));
  for (const tag of tags) {
    if (!tag.Key) throw new AwsError('InvalidParameterValue', 'Tag key cannot be empty.');
    if (tag.Key.toLowerCase().startsWith('aws:'))
      throw invalidParameter("Tag keys starting with 'aws:' are reserved for internal use");
  }
  for (const target of targets) {
    for (const tag of tags) target.tags[tag.Key!] = tag.Value ?? '';
    if (Object.keys(target.tags).length > 50)
      throw new AwsError('TagLimitExceeded', 'The maximum number of tags for a resource has been reached.');
  }
}

/**
 * DeleteTags: a tag given with a value goes only if the value matches; with
 * no value it goes whatever its value; with no tags at all every tag goes
 * (API_DeleteTags).
 */
export function deleteTags(
  model: Ec2Model,
  world: World,
  ids: string[],
  tags: { Key?: string; Value?: string }[] | undefined,
  now: number,
): void {
  const targets = ids.map((id) => taggable(model, world, id, now));
  for (const target of targets) {
    for (const key of Object.keys(target.tags)) {
      const asked = tags?.length ? tags.find((t) => t.Key === key) : { Key: key };
      if (asked && (asked.Value === undefined || asked.Value === target.tags[key])) delete target.tags[key];
    }
  }
}
