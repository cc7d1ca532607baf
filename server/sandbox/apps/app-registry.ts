// Which behaviour a container has, chosen by its image the way a kubelet would run it. Each
// call builds a fresh handler: keep one per pod, because some apps hold process state (ratings
// keeps POSTed ratings in memory, like the real process does).

import type { AppHandler } from './app-handler.ts';
import { createDetailsApp } from './bookinfo/details.ts';
import { createProductPageApp } from './bookinfo/productpage.ts';
import { createRatingsApp } from './bookinfo/ratings.ts';
import { createReviewsApp } from './bookinfo/reviews.ts';
import { createClientApp } from './client-app.ts';
import { createFortioServerApp } from './fortio-server.ts';
import { createHelloworldApp } from './helloworld.ts';
import { createHttpbinApp } from './httpbin.ts';
import { servedApp } from './served-app.ts';
import { createWebServerApp } from './web-server.ts';

export type AppName =
  | 'productpage'
  | 'details'
  | 'reviews'
  | 'ratings'
  | 'httpbin'
  | 'helloworld'
  | 'fortio'
  | 'client'
  | 'nginx'
  | 'httpd'
  | 'web-server';

export interface AppDescriptor {
  readonly app: AppName;
  /** The app's own version where it has several (reviews v1/v2/v3, helloworld v1/v2, httpbin go/python). */
  readonly version?: string;
  /** False for client-only images: nothing listens, connections are refused. */
  readonly servesHttp: boolean;
  /** Container ports the app listens on (empty when it serves nothing). */
  readonly ports: readonly number[];
}

export interface ImageReference {
  /** Repository path without registry host, tag or digest (`istio/examples-bookinfo-reviews-v2`). */
  readonly repository: string;
  /** Last path segment of the repository (`examples-bookinfo-reviews-v2`). */
  readonly name: string;
  readonly tag?: string;
}

/** Splits `[registry[:port]/]path[:tag][@digest]`, lower-cased as registries treat names. */
export function parseImageReference(image: string): ImageReference {
  let rest = image.trim().toLowerCase();
  const at = rest.indexOf('@');
  if (at !== -1) rest = rest.slice(0, at);
  const segments = rest.split('/');
  // A first segment with a dot or a port, or "localhost", names a registry, not a namespace.
  if (segments.length > 1 && /[.:]|^localhost$/.test(segments[0] ?? '')) segments.shift();
  const last = segments.pop() ?? '';
  const colon = last.indexOf(':');
  const name = colon === -1 ? last : last.slice(0, colon);
  const tag = colon === -1 ? undefined : last.slice(colon + 1);
  const repository = [...segments, name].join('/');
  return tag === undefined ? { repository, name } : { repository, name, tag };
}

const CLIENT_IMAGES = new Set(['curl', 'sleep', 'busybox', 'alpine', 'ubuntu', 'debian', 'netshoot']);
const PYTHON_HTTPBIN = new Set(['kennethreitz/httpbin', 'kong/httpbin', 'httpbin', 'library/httpbin', 'citizenstig/httpbin']);

export function describeImage(image: string): AppDescriptor {
  const ref = parseImageReference(image);
  const bookinfo = /^examples-bookinfo-(productpage|details|reviews|ratings)-(v[\w-]+)$/.exec(ref.name);
  if (bookinfo !== null) {
    const service = bookinfo[1] as 'productpage' | 'details' | 'reviews' | 'ratings';
    const version = bookinfo[2] ?? 'v1';
    if (service !== 'reviews' || ['v1', 'v2', 'v3'].includes(version)) return { app: service, version, servesHttp: true, ports: [9080] };
  }
  const hello = /^examples-helloworld-(v[\w-]+)$/.exec(ref.name);
  if (hello !== null) return { app: 'helloworld', version: hello[1] ?? 'v1', servesHttp: true, ports: [5000] };
  if (ref.repository.endsWith('go-httpbin')) return { app: 'httpbin', version: 'go', servesHttp: true, ports: [8080] };
  if (PYTHON_HTTPBIN.has(ref.repository) || ref.name === 'httpbin') return { app: 'httpbin', version: 'python', servesHttp: true, ports: [80] };
  // fortio/fortio runs `fortio server`: HTTP echo on 8080 (the load generator is its CLI).
  if (ref.repository === 'fortio/fortio' || ref.name === 'fortio') return { app: 'fortio', servesHttp: true, ports: [8080] };
  if (CLIENT_IMAGES.has(ref.name)) return { app: 'client', servesHttp: false, ports: [] };
  if (ref.name === 'nginx' || ref.name === 'nginx-unprivileged') {
    const port = ref.name === 'nginx' ? 80 : 8080;
    return releaseTag(ref.tag) === undefined
      ? { app: 'nginx', servesHttp: true, ports: [port] }
      : { app: 'nginx', version: releaseTag(ref.tag) as string, servesHttp: true, ports: [port] };
  }
  if (ref.name === 'httpd') return { app: 'httpd', servesHttp: true, ports: [80] };
  return { app: 'web-server', servesHttp: true, ports: [80] };
}

/** The `x.y.z` release a tag names (`1.27.0-alpine` → `1.27.0`), if it names one exactly. */
function releaseTag(tag: string | undefined): string | undefined {
  return /^(\d+\.\d+\.\d+)(?:-[\w.]+)?$/.exec(tag ?? '')?.[1];
}

/** A new handler for a container running `image`. */
export function appForImage(image: string): AppHandler {
  const descriptor = describeImage(image);
  const version = descriptor.version;
  switch (descriptor.app) {
    case 'productpage':
      return servedApp(createProductPageApp());
    case 'details':
      return servedApp(createDetailsApp());
    case 'reviews':
      return servedApp(createReviewsApp(version === 'v2' || version === 'v3' ? version : 'v1'));
    case 'ratings':
      return servedApp(createRatingsApp(version === 'v2' ? 'v2' : 'v1'));
    case 'httpbin':
      return version === 'python' ? servedApp(createHttpbinApp('python')) : servedApp(createHttpbinApp('go'), { headerOrder: 'go' });
    case 'helloworld':
      return servedApp(createHelloworldApp(version ?? 'v1'));
    case 'fortio':
      return servedApp(createFortioServerApp());
    case 'client':
      return createClientApp();
    case 'nginx':
      return servedApp(createWebServerApp('nginx', image, version));
    case 'httpd':
      return servedApp(createWebServerApp('httpd', image));
    case 'web-server':
      return servedApp(createWebServerApp('plain', image));
  }
}
