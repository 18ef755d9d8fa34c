import type { ProtocolName, ServiceDefinition } from '../core/service.ts';
import type { WireRequest } from '../protocols/wire.ts';

/**
 * A request for a service the twin does not serve (Kinesis, RDS, …) still
 * gets an answer its client can read: the twin has no model of that service,
 * so it reads the protocol family from the request's own shape
 * (twin-protocols.md §6): an `X-Amz-Target` header is awsJson (1.0 or 1.1 by
 * its content type), a form body is awsQuery (the only form-speaking service
 * outside it, EC2, is served), anything else is REST, answered as restJson1
 * since a restJson error carries its code in the `x-amzn-ErrorType` header.
 */
export function guessWire(req: WireRequest, signingName: string) {
  const contentType = req.headers['content-type'] ?? '';
  const protocol: ProtocolName = req.headers['x-amz-target']
    ? contentType.includes('1.0')
      ? 'awsJson1_0'
      : 'awsJson1_1'
    : contentType.startsWith('application/x-www-form-urlencoded')
      ? 'awsQuery'
      : 'restJson1';
  const service = {
    signingName,
    iamPrefix: signingName,
    protocol,
    sdk: {},
    namespace: `com.amazonaws.${signingName || 'unknown'}`,
    handlers: {},
  } as unknown as ServiceDefinition<unknown>;
  return { protocol, service, operation: requestedOperation(req, protocol) };
}

/** The operation a request asks for, as its protocol names it, for error messages. */
function requestedOperation(req: WireRequest, protocol: ProtocolName): string {
  if (protocol === 'awsJson1_0' || protocol === 'awsJson1_1') {
    const target = req.headers['x-amz-target'] ?? '';
    return target.slice(target.lastIndexOf('.') + 1);
  }
  if (protocol === 'awsQuery') {
    const form = new URLSearchParams(req.body.toString('utf8'));
    return form.get('Action') ?? new URLSearchParams(req.rawQuery).get('Action') ?? '(no Action)';
  }
  return `${req.method} ${req.path}`;
}
