// Client-only images (curlimages/curl running `sleep infinity`, busybox, the sleep sample):
// nothing listens in the container, so every connection is refused. The handler rejects with
// an ECONNREFUSED AppNetworkError; the data plane turns that into what a caller sees (curl
// exit 7 without a sidecar, Envoy's 503 "upstream connect error … connection failure" with one).

import type { AppHandler } from './app-handler.ts';
import { AppNetworkError } from './app-network-error.ts';

export function createClientApp(): AppHandler {
  return async (_request, context) => {
    throw new AppNetworkError('ECONNREFUSED', `connection refused: nothing listens in pod ${context.pod.namespace}/${context.pod.name}`);
  };
}
