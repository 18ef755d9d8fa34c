import { AwsError } from '../../core/errors.ts';

/**
 * Elastic Load Balancing v2's errors by shape name; the protocol layer
 * writes the awsQuery wire codes (`LoadBalancerNotFound`, `DuplicateListener`,
 * …) and statuses from the SDK's schema (the model's awsQueryError traits).
 * Messages follow what ELB answers (API Reference, each action's Errors).
 */
export const loadBalancerNotFound = () =>
  new AwsError('LoadBalancerNotFoundException', 'One or more load balancers not found');

export const targetGroupNotFound = () =>
  new AwsError('TargetGroupNotFoundException', 'One or more target groups not found');

export const listenerNotFound = () =>
  new AwsError('ListenerNotFoundException', 'One or more listeners not found');

/** Input ELB refuses before looking at state ("Common Errors": ValidationError, 400). */
export const validationError = (message: string) => new AwsError('ValidationError', message, { status: 400 });

export const invalidConfiguration = (message: string) =>
  new AwsError('InvalidConfigurationRequestException', message);

export const invalidTarget = (message: string) => new AwsError('InvalidTargetException', message);

/**
 * What the twin does not serve (Application and Gateway Load Balancers,
 * Lambda and ALB targets), refused as AWS refuses a value it does not
 * support, with a message that says the twin is the one refusing.
 */
export const notServed = (what: string) =>
  new AwsError('ValidationError', `The twin serves only Network Load Balancers: ${what} is not served`, {
    status: 400,
  });

/** ELB's access denied: the awsQuery `AccessDenied` code with IAM's message. */
export function accessDenied(message: string): AwsError {
  return new AwsError('AccessDenied', message, { status: 403 });
}
