// The app containers of pods: one handler per container (apps keep process state, so the
// handler lives as long as the pod), chosen by image, and which container listens on a port.
// A port no container serves refuses connections, like a closed port on a real pod.
import type { AppHandler } from '../../apps/app-handler.ts';
import { appForImage, describeImage } from '../../apps/app-registry.ts';
import type { NetworkContainer, NetworkPod } from '../../network/cluster-network.ts';

export interface PodApps {
  /** The container listening on `port`, with its handler, or undefined when none does. */
  listener(pod: NetworkPod, port: number): { container: NetworkContainer; handler: AppHandler } | undefined;
}

export function createPodApps(appFor: (image: string) => AppHandler = appForImage): PodApps {
  const handlers = new Map<string, AppHandler>();
  return {
    listener(pod, port) {
      const containers = pod.containers.filter((c) => c.name !== 'istio-proxy');
      const container =
        containers.find((c) => c.ports.some((p) => p.containerPort === port)) ??
        // Declared container ports are informational in Kubernetes: an app listens where its image does.
        containers.find((c) => describeImage(c.image).ports.includes(port));
      if (container === undefined) return undefined;
      const key = `${pod.uid}/${pod.name}/${container.name}/${container.image}`;
      let handler = handlers.get(key);
      if (handler === undefined) {
        handler = appFor(container.image);
        handlers.set(key, handler);
      }
      return { container, handler };
    },
  };
}
