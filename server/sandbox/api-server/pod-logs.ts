import type { ServerResponse } from 'node:http';
import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import { StatusError } from '../core/status-error.ts';

/** Where container output comes from (the simulated apps plug in here). */
export interface PodLogSource {
  /** What the container has written so far, one entry per line (without newlines). */
  lines(pod: JsonObject, container: string): string[];
  /** Hears later lines (for `follow=true`); returns a function that stops listening. */
  follow?(pod: JsonObject, container: string, onLine: (line: string) => void): () => void;
}

export interface LogQuery {
  container: string | null;
  follow: boolean;
  tailLines: number | undefined;
  timestamps: boolean;
  previous: boolean;
}

/** Checks a log request the way the kubelet/API server do, then streams the container's lines. */
export function streamPodLogs(res: ServerResponse, pod: JsonObject, query: LogQuery, source: PodLogSource | undefined, now: () => string): void {
  const name = String(asObject(pod.metadata).name ?? '');
  const containers = asArray(asObject(pod.spec).containers).map((c) => String(asObject(c).name ?? ''));
  const initContainers = asArray(asObject(pod.spec).initContainers).map((c) => String(asObject(c).name ?? ''));
  let container = query.container;
  if (container === null || container === '') {
    if (containers.length !== 1) {
      throw StatusError.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initContainers.length > 0 ? ` or one of the init containers: [${initContainers.join(' ')}]` : ''}`);
    }
    container = containers[0] ?? '';
  }
  if (!containers.includes(container) && !initContainers.includes(container)) {
    throw StatusError.badRequest(`container ${container} is not valid for pod ${name}`);
  }
  const statuses = [...asArray(asObject(pod.status).containerStatuses), ...asArray(asObject(pod.status).initContainerStatuses)].map(asObject);
  const status = statuses.find((s) => s.name === container);
  const state = asObject(status?.state);
  const lastTerminated = asObject(asObject(status?.lastState).terminated);
  // The kubelet's validateContainerLogStatus: a crash-looping container serves its last run.
  if (query.previous) {
    if (lastTerminated.containerID === undefined) throw StatusError.badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  } else if (state.running === undefined && state.terminated === undefined && lastTerminated.containerID === undefined) {
    const reason = String(asObject(state.waiting).reason ?? 'ContainerCreating');
    const shown = reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
    throw StatusError.badRequest(`container "${container}" in pod "${name}" is waiting to start: ${shown}`);
  }
  const format = (line: string): string => `${query.timestamps ? `${now().replace('Z', '.000000000Z')} ` : ''}${line}\n`;
  let lines = source?.lines(pod, container) ?? [];
  if (query.tailLines !== undefined && query.tailLines >= 0) lines = query.tailLines === 0 ? [] : lines.slice(-query.tailLines);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  for (const line of lines) res.write(format(line));
  if (!query.follow || source?.follow === undefined) {
    res.end();
    return;
  }
  const stop = source.follow(pod, container, (line) => res.write(format(line)));
  res.on('close', stop);
}
