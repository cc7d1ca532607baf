// The live mesh graph panel: while the panel is visible it holds the graph's event stream open
// (server push, see server/mesh-graph/mesh-graph-api.ts) and redraws on every graph. Nodes and
// edges are focusable buttons in the SVG; a table says the same for screen readers (and for
// anyone who prefers it, behind the Table toggle). Choosing an edge lists its recent requests;
// choosing a request draws its hops as a waterfall.
import { describeEdge } from "./describe-edge.ts";
import { graphEvents } from "./graph-event-stream.ts";
import { layoutMeshGraph, type MeshGraphLayout } from "./layout-mesh-graph.ts";
import type { MeshEdge, MeshGraph, MeshNode, MeshRecentRequest } from "./mesh-graph-data.ts";
import { requestsOnEdge } from "./requests-on-edge.ts";
import { waterfallRows } from "./request-waterfall.ts";

export interface MeshGraphSession {
  id: string;
  token: string;
}

export interface MeshGraphOptions {
  /** The page's session, or null before the terminal has one. */
  session: () => MeshGraphSession | null;
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Wait before opening the stream again after it ends or fails. */
  retryMs?: number;
}

const SVG = "http://www.w3.org/2000/svg";

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

function html<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  if (className !== undefined) element.className = className;
  return element;
}

function part<T extends Element>(root: Element, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (found === null) throw new Error(`mesh graph: ${selector} is missing`);
  return found;
}

/** A small drawn padlock (fonts for an emoji lock are not everywhere); open when only some requests used mTLS. */
function padlock(x: number, y: number, closed: boolean): SVGGElement {
  const g = svg("g", { class: `mg-lock${closed ? "" : " mg-lock-partial"}`, transform: `translate(${(x - 4).toFixed(1)} ${y.toFixed(1)})` });
  g.append(svg("path", { d: closed ? "M 2 4 V 2.5 a 2 2 0 0 1 4 0 V 4" : "M 2 4 V 2.5 a 2 2 0 0 1 4 0", class: "mg-lock-shackle" }), svg("rect", { x: 0.5, y: 4, width: 7, height: 5.5, rx: 1, class: "mg-lock-body" }));
  return g;
}

function nodeSummary(node: MeshNode): string {
  const kind = node.kind === "client" ? "client" : node.kind;
  const sidecar = node.sidecar === undefined || node.sidecar === "unknown" ? "" : `, sidecar ${node.sidecar}`;
  const proxies = node.proxies === undefined ? "" : node.proxies === "connected" ? ", proxies connected to istiod" : node.proxies === "partial" ? ", some proxies without istiod" : ", proxies without istiod (config may be stale)";
  const badges = node.badges.length === 0 ? "" : `, ${node.badges.map((b) => b.text).join(", ")}`;
  return `${node.label} (${kind}${node.namespace === undefined ? "" : ` in ${node.namespace}`})${sidecar}${proxies}${badges}`;
}

export function mountMeshGraph(root: HTMLElement, options: MeshGraphOptions): () => void {
  const request = options.fetch ?? ((input, init) => fetch(input, init));
  const retryMs = options.retryMs ?? 2000;
  const status = part<HTMLElement>(root, "[data-mesh-status]");
  const canvas = part<HTMLElement>(root, "[data-mesh-canvas]");
  const tableBody = part<HTMLTableSectionElement>(root, "[data-mesh-table] tbody");
  const tableWrap = part<HTMLElement>(root, "[data-mesh-table-wrap]");
  const tableToggle = part<HTMLButtonElement>(root, "[data-mesh-view]");
  const details = part<HTMLElement>(root, "[data-mesh-details]");
  let graph: MeshGraph | null = null;
  let selected: string | null = null;
  let stream: AbortController | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  // Marker ids are document-wide; two graphs on one page must not share them.
  const rootId = Math.random().toString(36).slice(2, 8);

  const say = (text: string): void => {
    status.textContent = text;
  };

  const authHeaders = (session: MeshGraphSession): RequestInit => ({ headers: { authorization: `Bearer ${session.token}` } });

  const showNode = (node: MeshNode): void => {
    details.replaceChildren();
    details.append(html("h3", node.label));
    const facts = html("p", nodeSummary(node));
    details.append(facts);
    if (node.pods.length > 0) {
      const list = html("ul");
      for (const pod of node.pods) list.append(html("li", `${pod.name} — ${pod.phase}${pod.ready ? ", ready" : ", not ready"}, ${pod.sidecar ? `istio-proxy injected, ${pod.proxy === "connected" ? "connected to istiod" : "no istiod to sync with"}` : "no sidecar"}`));
      details.append(list);
    }
    for (const badge of node.badges) details.append(html("p", `${badge.text} — ${badge.source}`, "mg-badge-line"));
  };

  const showRequest = (picked: MeshRecentRequest, heading: HTMLElement): void => {
    details.querySelector(".mg-waterfall")?.remove();
    const figure = html("figure", undefined, "mg-waterfall");
    figure.append(html("figcaption", `${picked.method} ${picked.url} — ${picked.status ?? picked.error ?? "no answer"} in ${picked.elapsedMs} ms`));
    const list = html("ol");
    for (const row of waterfallRows(picked)) {
      const item = html("li");
      item.style.setProperty("--depth", String(row.hop.depth));
      const label = html("span", row.label, "mg-hop-label");
      const track = html("span", undefined, "mg-hop-track");
      const bar = html("span", undefined, "mg-hop-bar");
      bar.style.marginInlineStart = `${row.offset}%`;
      bar.style.inlineSize = `${row.width}%`;
      bar.title = `${row.durationMs} ms`;
      track.append(bar);
      item.append(label, track, html("span", `${row.durationMs} ms${row.detail === "" ? "" : ` · ${row.detail}`}`, "mg-hop-detail"));
      list.append(item);
    }
    figure.append(list);
    heading.after(figure);
  };

  const showEdge = async (edge: MeshEdge): Promise<void> => {
    if (graph === null) return;
    const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
    details.replaceChildren(html("h3", `${nodes.get(edge.source)?.label ?? edge.source} → ${nodes.get(edge.target)?.label ?? edge.target}`), html("p", describeEdge(edge, nodes).summary));
    for (const badge of edge.badges) details.append(html("p", `${badge.text} — ${badge.source}`, "mg-badge-line"));
    const codes = Object.entries(edge.codes).map(([code, count]) => `${code === "0" ? "no response" : code}: ${count}`).join(", ");
    if (codes !== "") details.append(html("p", `Responses: ${codes}${edge.flags.length > 0 ? ` (flags ${edge.flags.join(", ")})` : ""}`));
    const session = options.session();
    if (session === null) return;
    const response = await request(`/api/sessions/${encodeURIComponent(session.id)}/mesh`, authHeaders(session));
    if (!response.ok) {
      details.append(html("p", "The recent requests could not be read."));
      return;
    }
    const body = (await response.json()) as { requests: MeshRecentRequest[] };
    const recent = requestsOnEdge(edge, graph.nodes, body.requests).slice(-10).reverse();
    const heading = html("h4", recent.length === 0 ? "No recent request on this edge" : "Recent requests");
    details.append(heading);
    const list = html("ul", undefined, "mg-requests");
    for (const item of recent) {
      const button = html("button", `${new Date(item.at).toLocaleTimeString()} ${item.method} ${item.url} → ${item.status ?? item.error ?? "?"} (${item.elapsedMs} ms)`);
      button.type = "button";
      // The hops open above the list, where the eye already is.
      button.addEventListener("click", () => showRequest(item, heading));
      const li = html("li");
      li.append(button);
      list.append(li);
    }
    details.append(list);
  };

  const activate = (id: string): void => {
    selected = id;
    const edge = graph?.edges.find((e) => e.id === id);
    if (edge !== undefined) {
      void showEdge(edge).catch(() => details.append(html("p", "The recent requests could not be read.")));
      return;
    }
    const node = graph?.nodes.find((n) => n.id === id);
    if (node !== undefined) showNode(node);
  };

  const focusable = (element: SVGGElement, id: string, label: string): void => {
    element.setAttribute("tabindex", "0");
    element.setAttribute("role", "button");
    element.setAttribute("aria-label", label);
    element.dataset.id = id;
    element.addEventListener("click", () => activate(id));
    element.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        activate(id);
      }
    });
  };

  const drawSvg = (current: MeshGraph, placed: MeshGraphLayout): SVGSVGElement => {
    const nodes = new Map(current.nodes.map((n) => [n.id, n]));
    // Shrink a wide mesh to the panel, but never below a size whose text stays legible; past that it scrolls.
    const available = canvas.clientWidth;
    // An empty mesh (a lesson's graph before anything is deployed) lays out to -Infinity.
    const width = Math.max(placed.width, 10);
    const height = Math.max(placed.height, 10);
    const scale = available > 0 && width > available ? Math.max(0.75, available / width) : 1;
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: Math.round(width * scale), height: Math.round(height * scale), role: "group", "aria-label": "Mesh graph: callers on the left, services, then workload versions" });
    const defs = svg("defs");
    for (const health of ["healthy", "degraded", "failing", "quiet"]) {
      const marker = svg("marker", { id: `mg-arrow-${health}-${rootId}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
      marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: `mg-arrowhead mg-${health}` }));
      defs.append(marker);
    }
    root.append(defs);
    for (const { edge, points } of placed.edges) {
      const described = describeEdge(edge, nodes);
      // A TCP edge is drawn dashed: bytes through a proxy, not requests it understood.
      const g = svg("g", { class: `mg-edge mg-${edge.health}${edge.protocol === "tcp" ? " mg-tcp" : ""}` });
      focusable(g, edge.id, described.summary);
      const d = points.map((p, i) => `${i === 0 ? "M" : "L"} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(" ");
      g.append(svg("path", { d, class: "mg-edge-hit" }), svg("path", { d, class: "mg-edge-line", "marker-end": `url(#mg-arrow-${edge.health}-${rootId})` }));
      const middle = points[Math.floor(points.length / 2)];
      if (middle !== undefined && edge.health !== "quiet") {
        const text = svg("text", { x: middle.x, y: middle.y - 5, class: "mg-edge-label", "text-anchor": "middle" });
        text.textContent = described.label;
        g.append(text);
        if (edge.mtls !== "none") g.append(padlock(middle.x, middle.y + 4, edge.mtls === "all"));
      }
      root.append(g);
    }
    for (const placedNode of placed.nodes) {
      const { node, x, y, width, height } = placedNode;
      const g = svg("g", { class: `mg-node mg-${node.kind}`, transform: `translate(${(x - width / 2).toFixed(1)} ${(y - height / 2).toFixed(1)})` });
      focusable(g, node.id, nodeSummary(node));
      const radius = node.kind === "service" ? height / 2 : node.kind === "client" ? 2 : 6;
      g.append(svg("rect", { width, height, rx: radius, class: "mg-node-box" }));
      if (node.sidecar !== undefined && node.sidecar !== "unknown") {
        // The sidecar dot: filled when every pod has one, hollow when none, half when some.
        g.append(svg("circle", { cx: 12, cy: height / 2, r: 5, class: `mg-sidecar mg-sidecar-${node.sidecar}${node.proxies !== undefined && node.proxies !== "connected" ? " mg-proxy-stale" : ""}` }));
      }
      const label = svg("text", { x: node.sidecar !== undefined && node.sidecar !== "unknown" ? 22 : 10, y: height / 2 + 4, class: "mg-node-label" });
      label.textContent = node.label;
      g.append(label);
      if (node.badges.length > 0) {
        const deny = node.badges.some((b) => b.kind === "deny");
        const badge = svg("text", { x: width - 6, y: 11, "text-anchor": "end", class: `mg-node-badge${deny ? " mg-deny" : ""}` });
        badge.textContent = deny ? "✕" : "◆";
        g.append(badge);
      }
      root.append(g);
    }
    return root;
  };

  const drawTable = (current: MeshGraph): void => {
    const nodes = new Map(current.nodes.map((n) => [n.id, n]));
    tableBody.replaceChildren();
    for (const edge of current.edges) {
      const row = html("tr");
      row.dataset.health = edge.health;
      const cells = describeEdge(edge, nodes).cells;
      for (const [index, text] of cells.entries()) {
        if (index === 0) {
          const header = html("th", text);
          header.scope = "row";
          row.append(header);
        } else row.append(html("td", text));
      }
      tableBody.append(row);
    }
  };

  const render = (current: MeshGraph): void => {
    graph = current;
    const focused = document.activeElement instanceof SVGElement && canvas.contains(document.activeElement) ? (document.activeElement as SVGElement).dataset.id : undefined;
    const placed = layoutMeshGraph(current);
    canvas.replaceChildren(drawSvg(current, placed));
    drawTable(current);
    const active = current.edges.filter((e) => e.health !== "quiet").length;
    say(current.telemetry === "live" ? `${current.nodes.length} nodes, ${active} edges with traffic in the last minute` : (current.note ?? "No traffic data."));
    root.dataset.updated = String(current.at);
    // Keep keyboard focus on the same node or edge across redraws.
    if (focused !== undefined) canvas.querySelector<SVGGElement>(`[data-id="${CSS.escape(focused)}"]`)?.focus();
    if (selected !== null && !details.querySelector(".mg-waterfall")) {
      const node = current.nodes.find((n) => n.id === selected);
      if (node !== undefined) showNode(node);
    }
  };

  const open = async (): Promise<void> => {
    clearTimeout(retry);
    if (stopped || root.hidden || stream !== null) return;
    const session = options.session();
    if (session === null) {
      say("The graph appears once the terminal has a session.");
      retry = setTimeout(() => void open(), retryMs);
      return;
    }
    const controller = new AbortController();
    stream = controller;
    try {
      const response = await request(`/api/sessions/${encodeURIComponent(session.id)}/mesh-graph/events`, { ...authHeaders(session), signal: controller.signal });
      if (!response.ok || response.body === null) {
        say(response.status === 409 ? "Your sandbox is still starting." : response.status === 401 || response.status === 404 ? "The session has ended; start a new one in the terminal." : "The graph could not be loaded.");
      } else {
        for await (const next of graphEvents(response.body)) render(next);
      }
    } catch {
      if (!controller.signal.aborted) say("The connection to the graph was lost; trying again.");
    } finally {
      if (stream === controller) stream = null;
    }
    if (!stopped && !root.hidden) retry = setTimeout(() => void open(), retryMs);
  };

  const close = (): void => {
    clearTimeout(retry);
    stream?.abort();
    stream = null;
  };

  const onVisibility = new MutationObserver(() => (root.hidden ? close() : void open()));
  onVisibility.observe(root, { attributes: true, attributeFilter: ["hidden"] });
  const onTableToggle = (): void => {
    const showTable = tableToggle.getAttribute("aria-pressed") !== "true";
    tableToggle.setAttribute("aria-pressed", String(showTable));
    tableWrap.classList.toggle("mg-visually-hidden", !showTable);
    canvas.hidden = showTable;
  };
  tableToggle.addEventListener("click", onTableToggle);
  void open();
  return () => {
    stopped = true;
    close();
    onVisibility.disconnect();
    tableToggle.removeEventListener("click", onTableToggle);
  };
}
