import type { AwsClients } from '../../../helpers/clients.ts';
import { clientsFor } from '../../../helpers/clients.ts';

/**
 * Clients for helper unit tests: real SDK v3 clients (so aws-sdk-client-mock's
 * `mockClient(SomeClient)` intercepts them) that would reach nothing if a mock
 * were missing — the endpoint is a closed loopback port.
 */
export function mockedClients(): AwsClients {
  return clientsFor({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIDUNITTEST', secretAccessKey: 'unit-test-secret' },
  });
}

/** An SDK service exception as a client throws it. */
export function awsError(name: string, status = 400, message = `${name} from the service`): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, attempts: 1 },
  });
}
