import { test } from "node:test";
import assert from "node:assert/strict";
import { previewAddress } from "./preview-panel.ts";

test("a typed path joins the preview address whatever slashes the learner types", () => {
  assert.equal(previewAddress("/preview/s/k/", "/productpage"), "/preview/s/k/productpage");
  assert.equal(previewAddress("/preview/s/k/", "productpage?u=normal"), "/preview/s/k/productpage?u=normal");
  assert.equal(previewAddress("/preview/s/k", " / "), "/preview/s/k/");
  assert.equal(previewAddress("/preview/s/k/", ""), "/preview/s/k/");
});
