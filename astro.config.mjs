// @ts-check
import { defineConfig } from "astro/config";
import expressiveCode from "astro-expressive-code";
import mdx from "@astrojs/mdx";
import { pluginRunButton } from "./src/lessons/run-button-plugin.ts";

export default defineConfig({
  output: "static",
  integrations: [
    // Expressive Code must come before MDX so it renders the code blocks MDX hands on.
    expressiveCode({
      themes: ["github-light", "github-dark"],
      // The site sets data-theme="light"|"dark" on <html> before first paint (see the layout),
      // so code blocks follow the site's toggle rather than only the system preference.
      themeCssSelector: (theme) => `[data-theme='${theme.type}']`,
      useDarkModeMediaQuery: true,
      plugins: [pluginRunButton()],
      defaultProps: { wrap: true },
      frames: { showCopyToClipboardButton: true },
      styleOverrides: {
        borderRadius: "0.5rem",
        codeFontSize: "0.9rem",
      },
    }),
    mdx(),
  ],
});
