import { test } from "node:test";
import assert from "node:assert/strict";
import { parseStoredSession, SESSION_STORAGE_KEY, SessionStore, type KeyValueStorage } from "./session-store.ts";

function memoryStorage(): KeyValueStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

test("a saved session is loaded back", () => {
  const storage = memoryStorage();
  new SessionStore(storage).save({ id: "s1", token: "t1" });
  assert.deepEqual(new SessionStore(storage).load(), { id: "s1", token: "t1" });
  assert.ok(storage.items.has(SESSION_STORAGE_KEY));
});

test("clear forgets the session", () => {
  const storage = memoryStorage();
  const store = new SessionStore(storage);
  store.save({ id: "s1", token: "t1" });
  store.clear();
  assert.equal(store.load(), null);
});

test("nothing stored, corrupt JSON or a wrong shape load as no session", () => {
  const storage = memoryStorage();
  const store = new SessionStore(storage);
  assert.equal(store.load(), null);
  storage.items.set(SESSION_STORAGE_KEY, "{not json");
  assert.equal(store.load(), null);
  storage.items.set(SESSION_STORAGE_KEY, JSON.stringify({ id: "s1" }));
  assert.equal(store.load(), null);
});

test("storage that throws or is missing is treated as empty", () => {
  const failing: KeyValueStorage = {
    getItem: () => { throw new Error("SecurityError"); },
    setItem: () => { throw new Error("QuotaExceededError"); },
    removeItem: () => { throw new Error("SecurityError"); },
  };
  for (const store of [new SessionStore(failing), new SessionStore(null)]) {
    store.save({ id: "s1", token: "t1" });
    assert.equal(store.load(), null);
    store.clear();
  }
});

test("parseStoredSession keeps only id and token, and rejects empty values", () => {
  assert.deepEqual(parseStoredSession({ id: "a", token: "b", extra: 1 }), { id: "a", token: "b" });
  assert.equal(parseStoredSession({ id: "", token: "b" }), null);
  assert.equal(parseStoredSession({ id: "a", token: 5 }), null);
  assert.equal(parseStoredSession(null), null);
  assert.equal(parseStoredSession("a"), null);
});
