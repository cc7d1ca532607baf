// Reads lesson checks share: Istio configuration objects, and the ingress gateway's address.
import type { KubernetesObject } from "@kubernetes/client-node";
import type { CheckContext } from "./check-types.ts";

/** An Istio networking object (VirtualService, DestinationRule, …), or undefined when absent. */
export async function readIstioObject(context: CheckContext, kind: string, name: string, namespace = "default"): Promise<KubernetesObject | undefined> {
  try {
    return await context.objects.read({ apiVersion: "networking.istio.io/v1", kind, metadata: { name, namespace } });
  } catch {
    return undefined;
  }
}

/**
 * `http://<external address>:<port>` of istio-ingressgateway, read from its Service: checks
 * reach the gateway as the learner does, from outside, and do not trust a $GATEWAY_URL that
 * may be unset or stale. Undefined while the Service has no external address.
 */
export async function ingressGatewayUrl(context: CheckContext): Promise<string | undefined> {
  try {
    const service = await context.core.readNamespacedService({ name: "istio-ingressgateway", namespace: "istio-system" });
    const ingress = service.status?.loadBalancer?.ingress?.[0];
    const address = ingress?.ip ?? ingress?.hostname;
    const port = service.spec?.ports?.find((entry) => entry.name === "http2")?.port;
    return address === undefined || port === undefined ? undefined : `http://${address}:${port}`;
  } catch {
    return undefined;
  }
}
