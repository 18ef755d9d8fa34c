import type { RequestContext } from '../core/context.ts';
import type { AuthorizationRequest } from '../core/service.ts';
import { decide } from '../iam/authorize.ts';
import { servicePath } from '../network/service-path.ts';
import type { Exchange } from './exchange.ts';

/** Builds the handler's view of a request, with `authorize` bound to the caller and the path it came by. */
export function makeContext(ex: Exchange): RequestContext {
  const credential = ex.credential!;
  const service = ex.service!;
  const region = ex.signed!.region;
  const position = credential.position;
  const path = position ? servicePath(ex.twin, position, service.signingName, region) : undefined;
  const viaEndpoint = path?.reachable && 'endpointId' in path ? path : undefined;
  const ctx: RequestContext = {
    twin: ex.twin,
    service,
    operation: ex.operation!,
    region,
    accountId: credential.principal.accountId,
    principal: credential.principal,
    accessKeyId: credential.accessKeyId,
    requestId: ex.requestId,
    secureTransport: true,
    sourceIp: position?.privateIp ?? ex.sourceIp,
    userAgent: ex.req.headers['user-agent'] ?? '',
    position,
    time: ex.twin.clock.now(),
    origin: ex.origin,
    headers: ex.req.headers,
    authorize(request: AuthorizationRequest) {
      const decision = decide(ex.twin, credential.principal, request, {
        region,
        time: ctx.time,
        sourceIp: ctx.sourceIp,
        secureTransport: ctx.secureTransport,
        ...(viaEndpoint && { sourceVpce: viaEndpoint.endpointId, sourceVpc: position?.vpcId }),
        ...(viaEndpoint?.endpointPolicy && { endpointPolicy: viaEndpoint.endpointPolicy }),
      });
      if (!decision.allowed) {
        throw service.accessDenied(
          `User: ${credential.principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${decision.because}`,
        );
      }
    },
  };
  return ctx;
}
