import { XmlShapeDeserializer, XmlShapeSerializer } from '@aws-sdk/core/protocols';
import type { NormalizedSchema } from '@smithy/core/schema';

/** Settings as the SDK's own XML protocols use them (timestamps as ISO date-time by default). */
export function xmlSettings(namespace: string | undefined, serviceNamespace: string, httpBindings: boolean) {
  return {
    timestampFormat: { useTrait: true, default: 5 as const },
    httpBindings,
    xmlNamespace: namespace,
    serviceNamespace,
  };
}

/** Serializes a value of `schema` and returns the children of its root element. */
export function xmlInner(schema: NormalizedSchema, value: unknown, serviceNamespace: string): string {
  if (schema.isUnitSchema() || !schema.isStructSchema()) return '';
  // biome-ignore lint/suspicious/noExplicitAny: the SDK types these settings loosely; shape matches its own protocols
  const serializer = new XmlShapeSerializer(xmlSettings(undefined, serviceNamespace, false) as any);
  serializer.write(schema, value ?? {});
  const xml = String(serializer.flush());
  if (/^<[^>]*\/>$/.test(xml)) return '';
  return xml.slice(xml.indexOf('>') + 1, xml.lastIndexOf('</'));
}

/** Serializes a value of `schema` as a whole document (restXml bodies and payloads). */
export function xmlDocument(
  schema: NormalizedSchema,
  value: unknown,
  namespace: string | undefined,
  serviceNamespace: string,
): string {
  // biome-ignore lint/suspicious/noExplicitAny: see xmlInner
  const serializer = new XmlShapeSerializer(xmlSettings(namespace, serviceNamespace, true) as any);
  serializer.write(schema, value ?? {});
  return String(serializer.flush());
}

export function readXml(
  schema: NormalizedSchema,
  body: Buffer,
  serviceNamespace: string,
): Promise<Record<string, unknown>> {
  // biome-ignore lint/suspicious/noExplicitAny: see xmlInner
  const deserializer = new XmlShapeDeserializer(xmlSettings(undefined, serviceNamespace, true) as any);
  return deserializer.read(schema, new Uint8Array(body)) as Promise<Record<string, unknown>>;
}
