import type { RequestContext } from '../core/context.ts';
import type { Credential } from '../core/principal.ts';
import type { AuthorizationRequest, ServiceDefinition } from '../core/service.ts';
import { decide } from '../iam/authorize.ts';
import { servicePath } from '../network/service-path.ts';
import type { Twin } from '../twin.ts';

export interface ContextParams {
  twin: Twin;
  service: ServiceDefinition<unknown>;
  operation: string;
  region: string;
  credential: Credential;
  requestId: string;
  sourceIp: string;
  userAgent: string;
  origin: string;
  headers: Record<string, string>;
}

/**
 * Builds the handler's view of a request, with `authorize` bound to the
 * caller and to the path its call took (a VPC endpoint's policy applies
 * to calls that go through it). Shared by the server and in-process calls.
 */
export function makeContext(p: ContextParams): RequestContext {
  const { twin, credential, service, region } = p;
  const position = credential.position;
  const path = position ? servicePath(twin, position, service.signingName, region) : undefined;
  const viaEndpoint = path?.reachable && 'endpointId' in path ? path : undefined;
  const ctx: RequestContext = {
    twin,
    service,
    operation: p.operation,
    region,
    accountId: credential.principal.accountId,
    principal: credential.principal,
    accessKeyId: credential.accessKeyId,
    requestId: p.requestId,
    secureTransport: true,
    sourceIp: position?.privateIp ?? p.sourceIp,
    userAgent: p.userAgent,
    position,
    time: twin.clock.now(),
    origin: p.origin,
    headers: p.headers,
    modelIn: (accountId, inRegion) => twin.model(service, accountId, inRegion),
    modelsEverywhere: () => twin.modelsOf(service),
    authorize(request: AuthorizationRequest) {
      const decision = decide(twin, credential.principal, request, {
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
