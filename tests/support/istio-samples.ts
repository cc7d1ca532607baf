// Where the upstream Istio samples and install profiles live for the compatibility tests:
// `../shared/istio-samples` beside the checkout, or ISTIO_SAMPLES_DIR. They are not shipped
// with the project, so tests that need them skip, and say why, when the folder is absent.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export const istioSamplesDir = resolve(process.env.ISTIO_SAMPLES_DIR ?? join(repoRoot, "../shared/istio-samples"));

/** A skip reason for node:test when the samples are not there, else false. */
export const istioSamplesMissing: string | false = existsSync(join(istioSamplesDir, "samples"))
  ? false
  : `upstream Istio samples not found at ${istioSamplesDir}: put the shared folder beside the checkout (../shared/istio-samples) or set ISTIO_SAMPLES_DIR to run these compatibility tests`;

/** Absolute path of a file or folder inside the samples folder, e.g. "samples/sleep/sleep.yaml". */
export function istioSamplePath(relativePath: string): string {
  return join(istioSamplesDir, relativePath);
}

export function readIstioSample(relativePath: string): string {
  return readFileSync(istioSamplePath(relativePath), "utf8");
}
