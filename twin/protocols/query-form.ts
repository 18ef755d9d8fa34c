import { NormalizedSchema } from '@smithy/core/schema';
import { fromBase64 } from '@smithy/core/serde';

/**
 * Reads an awsQuery / ec2Query form body into the operation's input shape,
 * driven by the SDK's own schema. It is the inverse of the SDK's
 * QueryShapeSerializer (@aws-sdk/core/protocols): ec2Query flattens lists
 * (`VpcId.1`) and prefers `ec2QueryName`; awsQuery nests them
 * (`Tags.member.1.Key`) and maps as `entry.N.key` / `entry.N.value`.
 * No library does the server side of these protocols, hence this file.
 */
export interface FormSettings {
  ec2: boolean;
}

export function decodeForm(
  schema: unknown,
  form: URLSearchParams,
  settings: FormSettings,
): Record<string, unknown> {
  const params = new Map<string, string>();
  for (const [k, v] of form) if (k !== 'Action' && k !== 'Version') params.set(k, v);
  const value = readShape(NormalizedSchema.of(schema as never), '', params, settings);
  return (value as Record<string, unknown>) ?? {};
}

function keyFor(member: NormalizedSchema, memberName: string, settings: FormSettings): string {
  const traits = member.getMergedTraits() as { xmlName?: string; ec2QueryName?: string };
  if (settings.ec2 && traits.ec2QueryName) return traits.ec2QueryName;
  const key = traits.xmlName ?? memberName;
  return settings.ec2 ? key[0]!.toUpperCase() + key.slice(1) : key;
}

function hasPrefix(params: Map<string, string>, prefix: string): boolean {
  if (params.has(prefix)) return true;
  for (const k of params.keys()) if (k.startsWith(`${prefix}.`)) return true;
  return false;
}

function readShape(
  ns: NormalizedSchema,
  prefix: string,
  params: Map<string, string>,
  settings: FormSettings,
): unknown {
  if (ns.isStructSchema()) {
    const out: Record<string, unknown> = {};
    for (const [memberName, member] of ns.structIterator()) {
      const key = prefix
        ? `${prefix}.${keyFor(member, memberName, settings)}`
        : keyFor(member, memberName, settings);
      if (!hasPrefix(params, key)) continue;
      const value = readShape(member, key, params, settings);
      if (value !== undefined) out[memberName] = value;
    }
    return out;
  }
  if (ns.isListSchema()) {
    const member = ns.getValueSchema();
    const traits = member.getMergedTraits() as { xmlName?: string; ec2QueryName?: string };
    const flat = settings.ec2 || Boolean(ns.getMergedTraits().xmlFlattened);
    const base = flat
      ? prefix
      : `${prefix}.${(settings.ec2 && traits.ec2QueryName) || traits.xmlName || 'member'}`;
    const items: unknown[] = [];
    for (let i = 1; hasPrefix(params, `${base}.${i}`); i++)
      items.push(readShape(member, `${base}.${i}`, params, settings));
    return items;
  }
  if (ns.isMapSchema()) {
    const flat = Boolean(ns.getMergedTraits().xmlFlattened);
    const keyName = (ns.getKeySchema().getMergedTraits() as { xmlName?: string }).xmlName ?? 'key';
    const valueName = (ns.getValueSchema().getMergedTraits() as { xmlName?: string }).xmlName ?? 'value';
    const out: Record<string, unknown> = {};
    for (let i = 1; ; i++) {
      const entry = flat ? `${prefix}.${i}` : `${prefix}.entry.${i}`;
      const k = params.get(`${entry}.${keyName}`) ?? params.get(`${entry}.${capitalize(keyName)}`);
      if (k === undefined) break;
      const valueKey = hasPrefix(params, `${entry}.${valueName}`)
        ? `${entry}.${valueName}`
        : `${entry}.${capitalize(valueName)}`;
      out[k] = readShape(ns.getValueSchema(), valueKey, params, settings);
    }
    return out;
  }
  const raw = params.get(prefix);
  if (raw === undefined) return undefined;
  if (ns.isBooleanSchema()) return raw === 'true';
  if (ns.isNumericSchema()) return Number(raw);
  if (ns.isTimestampSchema()) return /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
  if (ns.isBlobSchema()) return fromBase64(raw);
  return raw;
}

function capitalize(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}
