// The bundler (Vite, through Astro) turns a side-effect import of a stylesheet into a <link>;
// the type checker only needs to know such imports are allowed.
declare module "*.css" {}
