import type { ServiceDefinition } from '../core/service.ts';
import { sts } from './sts/api.ts';

/**
 * Every service the twin serves. Adding a service is adding a line here
 * (see CONTRIBUTING.md, "add a twin operation").
 */
export const services: ServiceDefinition<unknown>[] = [sts as ServiceDefinition<unknown>];

export function serviceBySigningName(name: string): ServiceDefinition<unknown> | undefined {
  return services.find((s) => s.signingName === name);
}
