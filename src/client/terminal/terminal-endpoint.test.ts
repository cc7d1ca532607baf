import { test } from "node:test";
import assert from "node:assert/strict";
import * as server from "../../../server/terminal/protocol.ts";
import {
  TERMINAL_SUBPROTOCOL,
  TOKEN_SUBPROTOCOL_PREFIX,
  terminalPath,
  terminalSubprotocols,
  terminalUrl,
} from "./terminal-endpoint.ts";

test("the browser's copy of the endpoint matches the server protocol", () => {
  assert.equal(TERMINAL_SUBPROTOCOL, server.TERMINAL_SUBPROTOCOL);
  assert.equal(TOKEN_SUBPROTOCOL_PREFIX, server.TOKEN_SUBPROTOCOL_PREFIX);
  for (const id of ["abc", "a/b c", "ünï"]) assert.equal(terminalPath(id), server.terminalPath(id));
});

test("the socket address follows the page's origin and security", () => {
  assert.equal(terminalUrl("http://localhost:4321/lessons/intro/", "s1"), "ws://localhost:4321/api/sessions/s1/terminal");
  assert.equal(terminalUrl("https://academy.example/x?y#z", "s 1"), "wss://academy.example/api/sessions/s%201/terminal");
});

test("the token travels as the second subprotocol", () => {
  assert.deepEqual(terminalSubprotocols("tok"), [server.TERMINAL_SUBPROTOCOL, `${server.TOKEN_SUBPROTOCOL_PREFIX}tok`]);
});
