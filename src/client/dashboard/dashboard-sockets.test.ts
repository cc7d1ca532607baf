import { test } from "node:test";
import assert from "node:assert/strict";
import * as server from "../../../server/dashboard/dashboard-protocol.ts";
import { DASHBOARD_SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX, WATCH_SUBPROTOCOL, socketUrl } from "./dashboard-sockets.ts";

test("the page speaks the server's subprotocols", () => {
  assert.equal(DASHBOARD_SUBPROTOCOL, server.DASHBOARD_SUBPROTOCOL);
  assert.equal(WATCH_SUBPROTOCOL, server.WATCH_SUBPROTOCOL);
  assert.equal(TICKET_SUBPROTOCOL_PREFIX, server.TICKET_SUBPROTOCOL_PREFIX);
});

test("socket addresses follow the page's scheme and host", () => {
  assert.equal(socketUrl("http://academy.test/admin/workshop/?id=w", "/api/workshops/w/live"), "ws://academy.test/api/workshops/w/live");
  assert.equal(socketUrl("https://academy.test:8443/admin/", "/api/x"), "wss://academy.test:8443/api/x");
});
