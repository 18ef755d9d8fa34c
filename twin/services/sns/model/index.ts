import { type Twin, worldPart } from '../../../twin.ts';
import type { TopicState } from './state.ts';

export type { Notification, SnsAttribute, SubscriptionState, TopicState } from './state.ts';

/**
 * Every SNS model of a twin by `account/region`, so delivery and other
 * services find topics by ARN without importing SNS's definition (api.ts
 * imports this file). Held by the twin, beside the models it indexes.
 */
const snsModels = worldPart({
  name: 'sns.topics',
  make: () => new Map<string, SnsModel>(),
  show: (byKey) => Object.fromEntries([...byKey].map(([key, m]) => [key, m.topics.size])),
});

/** The SNS model of an account and region, if anything ever made it (no model: no topics). */
export function existingModel(twin: Twin, accountId: string, region: string): SnsModel | undefined {
  return twin.partIfMade(snsModels)?.get(`${accountId}/${region}`);
}

/** Every SNS model of a twin in a region (ListSubscriptions looks across topic owners). */
export function modelsInRegion(twin: Twin, region: string): SnsModel[] {
  return [...(twin.partIfMade(snsModels)?.values() ?? [])].filter((m) => m.region === region);
}

/** SNS state of one account in one region: its topics by name. */
export class SnsModel {
  readonly topics = new Map<string, TopicState>();

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
    readonly region: string,
  ) {
    twin.part(snsModels).set(`${accountId}/${region}`, this);
  }

  arnOf(name: string): string {
    return `arn:aws:sns:${this.region}:${this.accountId}:${name}`;
  }
}

/** `arn:aws:sns:REGION:ACCOUNT:NAME[:SUBSCRIPTION-ID]` → its parts. */
export function parseSnsArn(
  arn: string | undefined,
): { region: string; accountId: string; name: string; id?: string } | undefined {
  const m = /^arn:aws[\w-]*:sns:([\w-]+):(\d{12}):([\w.-]+)(?::([\w-]+))?$/.exec(arn ?? '');
  if (!m) return undefined;
  return { region: m[1]!, accountId: m[2]!, name: m[3]!, ...(m[4] && { id: m[4] }) };
}

/** The topic an ARN names (in any account of the twin), or undefined. */
export function topicByArn(twin: Twin, arn: string | undefined): TopicState | undefined {
  const parts = parseSnsArn(arn);
  if (!parts || parts.id) return undefined;
  return existingModel(twin, parts.accountId, parts.region)?.topics.get(parts.name);
}

/** The subscription an ARN names, with its topic, or undefined. */
export function subscriptionByArn(twin: Twin, arn: string | undefined) {
  const parts = parseSnsArn(arn);
  if (!parts?.id) return undefined;
  const topic = existingModel(twin, parts.accountId, parts.region)?.topics.get(parts.name);
  const subscription = topic?.subscriptions.get(arn!);
  return topic && subscription ? { topic, subscription } : undefined;
}
