// API clients for the operator's work on a shared cluster that wait and try again when the API
// server answers 429 Too Many Requests, honouring Retry-After, as client-go does for kubectl
// and controllers. A room of learners starting at once can meet the API server's priority and
// fairness limits; a namespace left half made because of one 429 would be worse than a pause.
import {
  createConfiguration,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  ServerConfiguration,
  wrapHttpLibrary,
  type ApiConstructor,
  type ApiType,
  type RequestContext,
  type ResponseContext,
} from "@kubernetes/client-node";

/** At most this many tries of one request; then the 429 is the answer. */
const MAX_TRIES = 8;
/** Without a usable Retry-After, the wait doubles from this. */
const FIRST_WAIT_MS = 250;
const LONGEST_WAIT_MS = 5_000;

const plain = new IsomorphicFetchHttpLibrary();

export async function sendPatiently(request: RequestContext, sleep: (ms: number) => Promise<void> = defaultSleep): Promise<ResponseContext> {
  for (let tries = 1; ; tries += 1) {
    const response = await plain.send(request).toPromise();
    if (response.httpStatusCode !== 429 || tries >= MAX_TRIES) return response;
    await sleep(waitBefore(tries, response.headers["retry-after"]));
  }
}

/** How long to wait before try `tries + 1`: Retry-After seconds when given, else backing off. */
export function waitBefore(tries: number, retryAfter: string | undefined): number {
  const seconds = retryAfter === undefined ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, LONGEST_WAIT_MS);
  return Math.min(FIRST_WAIT_MS * 2 ** (tries - 1), LONGEST_WAIT_MS);
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A KubeConfig whose API clients wait out 429s. `KubernetesObjectApi.makeApiClient(kc)` goes
 * through `makeApiClient` too, so every client made from it is patient.
 */
export class PatientKubeConfig extends KubeConfig {
  override makeApiClient<T extends ApiType>(apiClientType: ApiConstructor<T>): T {
    const cluster = this.getCurrentCluster();
    if (cluster === null) throw new Error("No active cluster!");
    const configuration = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: this },
      httpApi: wrapHttpLibrary({ send: (request) => sendPatiently(request) }),
    });
    return new apiClientType(configuration);
  }
}
