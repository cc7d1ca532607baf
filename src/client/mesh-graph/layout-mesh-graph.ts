// Positions for the mesh graph, computed by dagre (a layered graph layout): callers on the
// left, the services they call, then the workload versions behind them.
import { graphlib, layout } from "@dagrejs/dagre";
import type { MeshEdge, MeshGraph, MeshNode } from "./mesh-graph-data.ts";

export interface PlacedNode {
  node: MeshNode;
  /** Centre of the node's box. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  edge: MeshEdge;
  points: { x: number; y: number }[];
}

export interface MeshGraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const CHAR_WIDTH = 7.2;
const NODE_HEIGHT = 34;

/** The width a node's box needs for its label and badges at the panel's font size. */
export function nodeWidth(node: MeshNode): number {
  const badges = node.badges.length === 0 ? 0 : 16;
  return Math.max(72, Math.round(node.label.length * CHAR_WIDTH + 34 + badges));
}

export function layoutMeshGraph(graph: MeshGraph): MeshGraphLayout {
  // A multigraph: an HTTP and a TCP edge between the same two nodes each get a path.
  const g = new graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 90, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: nodeWidth(node), height: NODE_HEIGHT });
  for (const edge of graph.edges) g.setEdge(edge.source, edge.target, { width: 40, height: 14, labelpos: "c" }, edge.protocol);
  layout(g);
  const label = g.graph();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes: PlacedNode[] = [];
  for (const id of g.nodes()) {
    const placed = g.node(id);
    const node = byId.get(id);
    if (node === undefined || placed === undefined) continue;
    nodes.push({ node, x: placed.x, y: placed.y, width: placed.width, height: placed.height });
  }
  const edges: PlacedEdge[] = graph.edges.map((edge) => ({ edge, points: (g.edge(edge.source, edge.target, edge.protocol)?.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })) }));
  return { width: Math.ceil(label.width ?? 0), height: Math.ceil(label.height ?? 0), nodes, edges };
}
