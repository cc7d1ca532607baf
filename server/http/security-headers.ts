// Headers sent with every response. The CSP allows only this server's own scripts, styles,
// images and sockets. Pagefind's search runs WebAssembly, which needs 'wasm-unsafe-eval'
// (not 'unsafe-eval'); xterm.js and Expressive Code set inline styles, hence
// style-src 'unsafe-inline'. Inline scripts are allowed by hash (see inline-script-hashes).

export function securityHeaders(hostHeader: string | undefined, scriptHashes: readonly string[] = []): Record<string, string> {
  // 'self' covers same-host ws:/wss: in current browsers; the explicit entries cover the rest.
  const host = hostHeader && /^[A-Za-z0-9.:[\]-]+$/.test(hostHeader) ? hostHeader : undefined;
  const sockets = host ? ` ws://${host} wss://${host}` : "";
  const hashes = scriptHashes.map((hash) => ` '${hash}'`).join("");
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval'${hashes}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
}

/**
 * Headers every preview answer starts from (the learner's own application, shown in the
 * site's preview panel): an opaque origin that only the site may frame, no sniffing, no
 * referrer. The proxy's own values, when it sets them, take precedence; X-Frame-Options keeps
 * the framing rule even where the proxy's CSP leaves frame-ancestors out.
 */
export function previewSecurityHeaders(): Record<string, string> {
  return {
    "Content-Security-Policy": "sandbox allow-forms allow-popups; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
  };
}
