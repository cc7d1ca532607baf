import { test } from "node:test";
import assert from "node:assert/strict";
import { joinErrorText } from "./join-form.ts";

const utc = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16);

test("each refusal is said in words, with the workshop's time where the server named one", () => {
  assert.equal(joinErrorText("WORKSHOP_ENDED", '"Istio day" ended at 2026-03-01T17:00:00.000Z.', utc), "This workshop ended at 2026-03-01 17:00.");
  assert.equal(joinErrorText("WORKSHOP_NOT_STARTED", '"Istio day" opens at 2026-03-01T09:00:00.000Z.', utc), "This workshop has not started yet: it opens at 2026-03-01 09:00.");
  assert.match(joinErrorText("WORKSHOP_NOT_FOUND", "No workshop has this join code."), /^No workshop has this code\./);
  assert.match(joinErrorText("WORKSHOP_FULL", '"x" is full (3 learners).'), /full/);
  assert.equal(joinErrorText("JOIN_RATE_LIMITED", "Too many join attempts from this address; try again in 42 s."), "Too many tries from your network. Please try again in 42 s.");
  assert.equal(joinErrorText("JOIN_RATE_LIMITED", "slow down"), "Too many tries from your network. Please wait a minute and try again.");
  assert.equal(joinErrorText("WORKSHOP_ENDED", "ended", utc), "This workshop has ended.");
  assert.equal(joinErrorText("UNREACHABLE", "The server cannot be reached; try again in a moment."), "The server cannot be reached; try again in a moment.");
});
