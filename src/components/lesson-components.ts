import MeshDiagram from "./MeshDiagram.astro";
import MeshGraph from "./MeshGraph.astro";

/**
 * Components every lesson's MDX can use without importing them, e.g. `<MeshDiagram />`.
 * Keeping the list here means lessons never depend on where components live.
 */
export const lessonComponents = { MeshDiagram, MeshGraph };
