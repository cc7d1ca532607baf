import { test } from "node:test";
import assert from "node:assert/strict";
import { dispatchRunCommand, listenForRunCommands, RUN_COMMAND_EVENT } from "./run-command-events.ts";

test("a dispatched command reaches the listener", () => {
  const target = new EventTarget();
  const received: string[] = [];
  listenForRunCommands(target, (command) => received.push(command));
  dispatchRunCommand(target, "kubectl get pods");
  assert.deepEqual(received, ["kubectl get pods"]);
});

test("events without a string command are ignored", () => {
  const target = new EventTarget();
  const received: string[] = [];
  listenForRunCommands(target, (command) => received.push(command));
  target.dispatchEvent(new CustomEvent(RUN_COMMAND_EVENT));
  target.dispatchEvent(new CustomEvent(RUN_COMMAND_EVENT, { detail: "ls" }));
  target.dispatchEvent(new CustomEvent(RUN_COMMAND_EVENT, { detail: { command: 42 } }));
  target.dispatchEvent(new Event(RUN_COMMAND_EVENT));
  assert.deepEqual(received, []);
});

test("the returned function stops listening", () => {
  const target = new EventTarget();
  const received: string[] = [];
  const stop = listenForRunCommands(target, (command) => received.push(command));
  stop();
  dispatchRunCommand(target, "ls");
  assert.deepEqual(received, []);
});
