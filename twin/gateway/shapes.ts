import type { NormalizedSchema } from '@smithy/core/schema';

/**
 * Whether parsed input has the types its SDK schema declares. The SDK's
 * deserializers read JSON as it comes: `{"KeyId": {"a": 1}}` arrives as an
 * object where a string belongs, and a handler then fails inside (a 500).
 * AWS refuses such a request before any operation runs (awsJson services
 * answer `SerializationException`, e.g. "Start of structure or map found
 * where not expected."), so the gateway checks every member against its
 * schema first and names the first one out of shape.
 */
export function shapeProblem(schema: NormalizedSchema, value: unknown, path = ''): string | undefined {
  if (value === undefined || value === null) return undefined;
  const at = path || 'the input';
  if (schema.isDocumentSchema() || schema.isUnitSchema()) return undefined;
  if (schema.isStructSchema() || schema.isUnionSchema()) {
    if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array)
      return `${at} must be a structure`;
    for (const [name, member] of schema.structIterator()) {
      const problem = shapeProblem(member, (value as Record<string, unknown>)[name], join(path, name));
      if (problem) return problem;
    }
    return undefined;
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) return `${at} must be a list`;
    const item = schema.getValueSchema();
    for (let i = 0; i < value.length; i++) {
      const problem = shapeProblem(item, value[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (schema.isMapSchema()) {
    if (typeof value !== 'object' || Array.isArray(value)) return `${at} must be a map`;
    const item = schema.getValueSchema();
    for (const [k, v] of Object.entries(value)) {
      const problem = shapeProblem(item, v, `${at}.${k}`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (schema.isStringSchema()) return typeof value === 'string' ? undefined : `${at} must be a string`;
  if (schema.isBooleanSchema()) return typeof value === 'boolean' ? undefined : `${at} must be a boolean`;
  if (schema.isBigIntegerSchema() || schema.isBigDecimalSchema()) return undefined;
  if (schema.isNumericSchema())
    return typeof value === 'number' && Number.isFinite(value) ? undefined : `${at} must be a number`;
  if (schema.isTimestampSchema()) {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? `${at} must be a timestamp` : undefined;
    return typeof value === 'number' || typeof value === 'string' ? undefined : `${at} must be a timestamp`;
  }
  if (schema.isBlobSchema())
    return typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value)
      ? `${at} must be a blob`
      : undefined;
  return undefined;
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}
