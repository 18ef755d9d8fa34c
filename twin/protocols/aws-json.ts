import { JsonShapeDeserializer, JsonShapeSerializer } from '@smithy/core/protocols';
import { AwsError, UnknownOperationError } from '../core/errors.ts';
import type { Protocol } from './protocol.ts';
import { errorTraits, operationInfo } from './schemas.ts';
import type { WireRequest } from './wire.ts';

const settings = { timestampFormat: { useTrait: true, default: 7 as const }, jsonName: false };

/**
 * awsJson 1.0 and 1.1: `POST /` with `X-Amz-Target: <Prefix>.<Op>`. Botocore
 * sends CloudTrail's long prefix (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.Op`),
 * so the operation is the last dotted segment.
 */
export function awsJson(version: '1.0' | '1.1'): Protocol {
  const contentType = `application/x-amz-json-${version}`;
  return {
    recognizes: (req) =>
      Boolean(req.headers['x-amz-target']) && (req.headers['content-type'] ?? '').includes('json'),

    async parse(req, def) {
      const target = req.headers['x-amz-target'] ?? '';
      const operation = target.slice(target.lastIndexOf('.') + 1);
      const info = operationInfo(def, operation);
      if (!info) throw new UnknownOperationError(`Unknown operation ${target}`);
      const text = req.body.length ? req.body.toString('utf8') : '{}';
      try {
        JSON.parse(text);
      } catch {
        throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
      }
      const input = (await new JsonShapeDeserializer(settings).read(info.input, text)) as Record<
        string,
        unknown
      >;
      return { operation, input: input ?? {} };
    },

    serialize(def, operation, output, meta) {
      const info = operationInfo(def, operation)!;
      // A Unit output (PutKeyPolicy, CreateLogGroup) has no members: the SDK wants `{}`.
      let body = '{}';
      if (info.output.isStructSchema()) {
        const serializer = new JsonShapeSerializer(settings);
        serializer.write(info.output, output ?? {});
        const flushed = serializer.flush();
        if (typeof flushed === 'string') body = flushed;
      }
      return {
        status: 200,
        headers: { 'content-type': contentType, 'x-amzn-requestid': meta.requestId },
        body,
      };
    },

    serializeError(def, error, meta) {
      const traits = errorTraits(def, error.code);
      const headers: Record<string, string> = {
        'content-type': contentType,
        'x-amzn-requestid': meta.requestId,
        ...error.headers,
      };
      // Query-compatible services (SQS) also send the legacy code, which sets e.Code / e.Type in SDKs and botocore.
      if (traits.queryCode && def.alsoSpeaks?.includes('awsQuery')) {
        headers['x-amzn-query-error'] =
          `${traits.queryCode};${traits.fault === 'server' ? 'Receiver' : 'Sender'}`;
      }
      const body = JSON.stringify({
        __type: `${def.namespace}#${error.code}`,
        message: error.message,
        ...error.members,
      });
      return { status: error.status ?? traits.status ?? 400, headers, body };
    },
  };
}

export function isJsonRequest(req: WireRequest): boolean {
  return Boolean(req.headers['x-amz-target']);
}
