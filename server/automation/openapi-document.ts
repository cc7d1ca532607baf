// The JSON API as OpenAPI 3.1, written by hand from the handlers (server/http/*-api.ts,
// server/checks/checks-api.ts, server/auto-check/, server/mesh-graph/, the terminal gateway).
// Served at GET /api/openapi.json. openapi-document.test.ts walks the real server: every
// documented operation must be routed, every route in the source must be documented, so a
// new endpoint or method fails the test until it is described here.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const error = (description: string, codes: readonly string[]): Json => ({
  description: `${description} Codes: ${codes.join(", ")}.`,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});
const json = (description: string, schema: Json, headers?: Record<string, Json>): Json => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/json": { schema } },
});
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string): Json => ({ $ref: `#/components/parameters/${name}` });
const body = (schema: Json, required = true): Json => ({ required, content: { "application/json": { schema } } });

const originForbidden = error("The request's Origin is neither this server nor one of ALLOWED_ORIGINS.", ["ORIGIN_FORBIDDEN"]);
const methodNotAllowed = error("Another method is expected; the Allow header lists it.", ["METHOD_NOT_ALLOWED"]);
const tooLarge = error("The request body is over the endpoint's limit.", ["BODY_TOO_LARGE"]);
const csrfRefused = error(
  "Writes need an allowed Origin and the header X-Mesh-Academy: 1 (or the Origin is not allowed).",
  ["ORIGIN_REQUIRED", "ORIGIN_FORBIDDEN", "CSRF_HEADER_MISSING"],
);
const sessionRefused: Record<string, Json> = {
  "401": error("No or a wrong session token (Authorization: Bearer <token>).", ["SESSION_UNAUTHORIZED"]),
  "403": error("The token belongs to another session, or the Origin is not allowed.", ["SESSION_FORBIDDEN", "ORIGIN_FORBIDDEN"]),
  "404": error("No such session (it ended, expired or the server restarted).", ["SESSION_NOT_FOUND"]),
};
const adminRefused: Record<string, Json> = {
  "401": error("No or a wrong instructor token (Authorization: Bearer <ADMIN_TOKEN>).", ["ADMIN_TOKEN_REQUIRED"]),
  "403": error("The server has no ADMIN_TOKEN, or the Origin is not allowed.", ["ADMIN_NOT_CONFIGURED", "ORIGIN_FORBIDDEN"]),
};
/** What a dashboard socket (server/dashboard/dashboard-gateway.ts) answers: the upgrade, or a refusal before it. */
const dashboardSocketAnswers = (notFound: string): Record<string, Json> => ({
  "101": { description: "Switching protocols." },
  "400": { description: "Missing subprotocol." },
  "401": { description: "No valid ticket." },
  "403": { description: "The Origin is not allowed." },
  "404": { description: notFound },
  "503": { description: "The server is shutting down." },
});
const retryAfter: Json = { description: "Seconds until the client may try again.", schema: { type: "integer", minimum: 1 } };
const ndjson = (description: string): Json => ({
  description,
  content: { "application/x-ndjson": { schema: ref("CheckStreamLine") } },
});

export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Mesh Academy API",
    version: "1",
    summary: "Sessions (sandboxes), lesson checks, learners' progress and workshops.",
    description:
      "JSON over HTTP on the same origin as the site. Errors are always {\"error\": {\"code\", \"message\"}}; branch on `code`, show `message`. " +
      "A path under /api/ that no endpoint serves answers 404 NOT_FOUND. Every answer carries the security headers (CSP, frame-ancestors, nosniff, Referrer-Policy). " +
      "Webhook events are described in server/automation/README.md.",
    license: { name: "Apache-2.0", identifier: "Apache-2.0" },
  },
  servers: [{ url: "/" }],
  tags: [
    { name: "sessions", description: "One sandbox per learner: create, read, end, its terminal and traffic." },
    { name: "checks", description: "A lesson's steps and their checks against the learner's sandbox." },
    { name: "progress", description: "The learner behind the signed cookie: steps done and display name." },
    { name: "workshops", description: "Instructors' workshops (ADMIN_TOKEN) and joining one with a code." },
    { name: "dashboard", description: "The instructor's live grid, its exports and terminal watching (ADMIN_TOKEN)." },
    { name: "meta", description: "This document." },
  ],
  paths: {
    "/api/openapi.json": {
      get: {
        tags: ["meta"],
        operationId: "getOpenApiDocument",
        summary: "This OpenAPI document",
        responses: { "200": json("The document.", { type: "object" }), "405": methodNotAllowed },
      },
    },
    "/api/sandbox": {
      get: {
        tags: ["sessions"],
        operationId: "getSandboxProvider",
        summary: "What runs this server's sandboxes",
        description: "Public. Lets a page adapt before any session exists, e.g. mark lessons that need a cluster of their own when learners share one.",
        responses: {
          "200": json("The provider.", {
            type: "object",
            required: ["provider"],
            properties: { provider: { enum: ["embedded", "cluster"], description: "An emulated cluster per learner, or a namespace of a shared real cluster (SANDBOX_PROVIDER)." } },
          }),
          "405": methodNotAllowed,
        },
      },
    },
    "/api/sessions": {
      post: {
        tags: ["sessions"],
        operationId: "createSession",
        summary: "Create a sandbox session",
        description:
          "Starts a sandbox in the background (its state is `starting` until the terminal is ready). Limited per client address: " +
          "SESSION_CREATES_PER_MINUTE creations a minute (default 1200). SESSIONS_PER_CLIENT live sessions per learner (the signed " +
          "learner cookie), or per client address for requests without one; SESSIONS_MAX in all.",
        requestBody: body({ type: "object", additionalProperties: false, properties: { start: ref("SandboxStart") } }, false),
        responses: {
          "201": json("Created. Keep the token: it is shown once.", { type: "object", required: ["id", "token"], properties: { id: { type: "string" }, token: { type: "string" } } }, {
            Location: { description: "/api/sessions/{id}", schema: { type: "string" } },
          }),
          "400": error("The body is not JSON or names an unknown starting state.", ["BAD_REQUEST"]),
          "403": originForbidden,
          "405": methodNotAllowed,
          "413": tooLarge,
          "429": {
            ...(error("Too many sessions: creations per minute from this address, live sessions of this learner (or address, without a cookie), or the server is full.", [
              "SESSION_RATE_LIMITED",
              "SESSION_LIMIT_CLIENT",
              "SESSION_LIMIT_GLOBAL",
            ]) as object),
            headers: { "Retry-After": retryAfter },
          },
        },
      },
    },
    "/api/sessions/{sessionId}": {
      parameters: [param("sessionId")],
      get: {
        tags: ["sessions"],
        operationId: "getSession",
        summary: "A session's state",
        security: [{ sessionToken: [] }],
        responses: {
          "200": json("The session.", {
            type: "object",
            required: ["id", "state", "provider"],
            properties: {
              id: { type: "string" },
              state: { enum: ["starting", "ready", "ended", "error"] },
              preview: { type: "string", description: "Path of the preview panel (the sandbox's ingress gateway), when the session exists." },
              provider: { enum: ["embedded", "cluster"], description: "What runs the sandbox: an emulated cluster of its own, or a namespace of a shared real cluster." },
            },
          }),
          "400": error("The session id is malformed.", ["BAD_REQUEST"]),
          ...sessionRefused,
          "405": methodNotAllowed,
        },
      },
      delete: {
        tags: ["sessions"],
        operationId: "endSession",
        summary: "End a session and dispose of its sandbox",
        security: [{ sessionToken: [] }],
        responses: { "204": { description: "Ended." }, "400": error("The session id is malformed.", ["BAD_REQUEST"]), ...sessionRefused, "405": methodNotAllowed },
      },
    },
    "/api/sessions/{sessionId}/mesh": {
      parameters: [param("sessionId")],
      get: {
        tags: ["sessions"],
        operationId: "getSessionTraffic",
        summary: "Traffic per edge and the latest requests with their hop-by-hop traces",
        security: [{ sessionToken: [] }],
        responses: {
          "200": json("The sandbox's telemetry.", {
            type: "object",
            required: ["edges", "requests"],
            properties: { edges: { type: "array", items: { type: "object" } }, requests: { type: "array", items: { type: "object" } } },
          }),
          ...sessionRefused,
          "405": methodNotAllowed,
          "409": error("The sandbox has not started yet.", ["SANDBOX_NOT_READY"]),
          "501": error("This kind of sandbox does not report its traffic.", ["NO_TELEMETRY"]),
        },
      },
    },
    "/api/sessions/{sessionId}/mesh-graph": {
      parameters: [param("sessionId")],
      get: {
        tags: ["sessions"],
        operationId: "getMeshGraph",
        summary: "The mesh graph of the learner's sandbox (workloads, services, gateways, edges with traffic)",
        security: [{ sessionToken: [] }],
        responses: {
          "200": json("The graph.", ref("MeshGraph")),
          ...sessionRefused,
          "405": methodNotAllowed,
          "409": error("The sandbox has not started yet.", ["SANDBOX_NOT_READY"]),
        },
      },
    },
    "/api/sessions/{sessionId}/mesh-graph/events": {
      parameters: [param("sessionId")],
      get: {
        tags: ["sessions"],
        operationId: "streamMeshGraph",
        summary: "The mesh graph whenever it changes, as server-sent events",
        description: "`event: graph` with a MeshGraph as data on every change, `: keep-alive` comments in between; the stream ends after 10 minutes. Read with fetch (EventSource cannot send Authorization).",
        security: [{ sessionToken: [] }],
        responses: {
          "200": { description: "The stream.", content: { "text/event-stream": { schema: { type: "string" } } } },
          ...sessionRefused,
          "405": methodNotAllowed,
          "409": error("The sandbox has not started yet.", ["SANDBOX_NOT_READY"]),
        },
      },
    },
    "/api/sessions/{sessionId}/terminal": {
      parameters: [param("sessionId")],
      get: {
        tags: ["sessions"],
        operationId: "openTerminal",
        summary: "The terminal (WebSocket)",
        description:
          "A WebSocket upgrade with the subprotocol `mesh-academy.terminal.v1` and the session token as a second subprotocol (`token.<token>`); the protocol is in server/terminal/protocol.ts. " +
          "Refusals are plain HTTP answers before the upgrade. A request without `Upgrade: websocket` is not served (404 NOT_FOUND).",
        "x-websocket": true,
        responses: {
          "101": { description: "Switching protocols." },
          "400": { description: "Malformed session id or missing subprotocol." },
          "401": { description: "No or a wrong token." },
          "403": { description: "The Origin is not allowed, or the token is another session's." },
          "404": { description: "No such session." },
          "503": { description: "The server is shutting down." },
        },
      },
    },
    "/api/lessons/{lesson}/steps": {
      parameters: [param("lesson")],
      get: {
        tags: ["checks"],
        operationId: "getLessonSteps",
        summary: "A lesson's steps: titles, hints, solutions and the names of their checks",
        responses: {
          "200": json("The steps.", {
            type: "object",
            required: ["lesson", "steps"],
            properties: {
              lesson: { type: "string" },
              steps: {
                type: "array",
                items: {
                  type: "object",
                  required: ["id", "title", "hints", "solution", "checks"],
                  properties: {
                    id: { type: "string" },
                    title: { type: "string" },
                    hints: { type: "array", items: { type: "string" } },
                    solution: { type: "string" },
                    checks: { type: "array", items: { type: "string" } },
                  },
                },
              },
            },
          }),
          "400": error("The path is malformed.", ["BAD_REQUEST"]),
          "403": originForbidden,
          "404": error("No such lesson.", ["LESSON_NOT_FOUND"]),
          "405": methodNotAllowed,
          "413": tooLarge,
          "500": error("The lesson's files are broken.", ["LESSON_INVALID", "STEPS_INVALID"]),
        },
      },
    },
    "/api/sessions/{sessionId}/lessons/{lesson}/steps/{step}/checks": {
      parameters: [param("sessionId"), param("lesson"), param("step")],
      post: {
        tags: ["checks"],
        operationId: "runStepChecks",
        summary: "Run a step's checks against the session's sandbox",
        description: "Streams one JSON object per line as the checks finish. When all pass, the completion is recorded for the learner behind the cookie (if any) and webhooks report step.completed.",
        security: [{ sessionToken: [] }],
        responses: {
          "200": ndjson("start, one result per check, end."),
          "400": error("The path is malformed.", ["BAD_REQUEST"]),
          "401": error("No or a wrong session token.", ["SESSION_UNAUTHORIZED"]),
          "403": error("The token belongs to another session, or the Origin is not allowed.", ["SESSION_FORBIDDEN", "ORIGIN_FORBIDDEN"]),
          "404": error("No such session, lesson or step.", ["SESSION_NOT_FOUND", "LESSON_NOT_FOUND", "STEP_NOT_FOUND"]),
          "405": methodNotAllowed,
          "409": error("The sandbox has not started yet.", ["SANDBOX_NOT_READY"]),
          "413": tooLarge,
          "429": error("This session's checks are already running.", ["CHECKS_RUNNING"]),
          "500": error("The lesson's files are broken.", ["LESSON_INVALID", "STEPS_INVALID"]),
        },
      },
    },
    "/api/sessions/{sessionId}/lessons/{lesson}/steps/{step}/auto": {
      parameters: [param("sessionId"), param("lesson"), param("step")],
      get: {
        tags: ["checks"],
        operationId: "awaitStep",
        summary: "Wait for a step: its checks run again on every cluster change until they pass",
        description: "Streams `result` lines for each run and ends with `{\"type\":\"end\",\"passed\":true}`, or `passed: false` after 10 minutes.",
        security: [{ sessionToken: [] }],
        responses: {
          "200": ndjson("results of each run, then end."),
          ...sessionRefused,
          "404": error("No such session, or the lesson has no such step.", ["SESSION_NOT_FOUND", "STEP_NOT_FOUND"]),
          "405": methodNotAllowed,
          "409": error("The sandbox has not started yet.", ["SANDBOX_NOT_READY"]),
        },
      },
    },
    "/api/progress": {
      get: {
        tags: ["progress"],
        operationId: "getProgress",
        summary: "The cookie's learner and every step they started or completed",
        description: "Without a (valid) cookie: `{\"learner\": null, \"steps\": []}`; nothing is created by a read.",
        security: [{ learnerCookie: [] }, {}],
        responses: {
          "200": json("The progress.", {
            type: "object",
            required: ["learner", "steps"],
            properties: { learner: { oneOf: [ref("Learner"), { type: "null" }] }, steps: { type: "array", items: ref("StepProgress") } },
          }),
          "403": originForbidden,
          "405": methodNotAllowed,
        },
      },
    },
    "/api/progress/steps": {
      post: {
        tags: ["progress"],
        operationId: "recordStep",
        summary: "Record that a step was shown (started) or passed",
        description: "Creates the learner and sets the cookie when there is none. A 200 means the write is on disk. The first time a step passes, webhooks report step.completed (and lesson.completed when it was the lesson's last).",
        security: [{ learnerCookie: [], csrfHeader: [] }, { csrfHeader: [] }],
        requestBody: body({
          type: "object",
          additionalProperties: false,
          required: ["lesson", "step", "event"],
          properties: { lesson: ref("Slug"), step: ref("Slug"), event: { enum: ["started", "passed"] } },
        }),
        responses: {
          "200": json("Recorded.", { type: "object", required: ["step"], properties: { step: ref("StepProgress"), firstTime: { type: "boolean", description: "With event passed: false when it had passed before." } } }, {
            "Set-Cookie": { description: "The learner cookie (created or renewed).", schema: { type: "string" } },
          }),
          "400": error("The body is not JSON or not of this shape.", ["BAD_REQUEST"]),
          "403": csrfRefused,
          "405": methodNotAllowed,
          "413": tooLarge,
        },
      },
    },
    "/api/progress/learner": {
      put: {
        tags: ["progress"],
        operationId: "setDisplayName",
        summary: "Set or clear the learner's display name",
        security: [{ learnerCookie: [], csrfHeader: [] }, { csrfHeader: [] }],
        requestBody: body({ type: "object", additionalProperties: false, required: ["displayName"], properties: { displayName: { oneOf: [ref("DisplayName"), { type: "null" }] } } }),
        responses: {
          "200": json("Saved.", { type: "object", required: ["learner"], properties: { learner: ref("Learner") } }, {
            "Set-Cookie": { description: "The learner cookie (created or renewed).", schema: { type: "string" } },
          }),
          "400": error("The body is not JSON, or the name is too long or holds control characters.", ["BAD_REQUEST"]),
          "403": csrfRefused,
          "405": methodNotAllowed,
          "413": tooLarge,
        },
      },
    },
    "/api/workshops": {
      get: {
        tags: ["workshops"],
        operationId: "listWorkshops",
        summary: "Every workshop",
        security: [{ adminToken: [] }],
        responses: { "200": json("The workshops, by start time.", { type: "object", required: ["workshops"], properties: { workshops: { type: "array", items: ref("Workshop") } } }), ...adminRefused, "405": methodNotAllowed },
      },
      post: {
        tags: ["workshops"],
        operationId: "createWorkshop",
        summary: "Create a workshop",
        security: [{ adminToken: [] }],
        requestBody: body({
          type: "object",
          additionalProperties: false,
          required: ["title", "lessons", "capacity", "startsAt", "endsAt"],
          properties: {
            title: { type: "string", minLength: 1, maxLength: 120 },
            lessons: { type: "array", items: ref("Slug"), minItems: 1, maxItems: 50 },
            capacity: { type: "integer", minimum: 1, maximum: 10000 },
            startsAt: { type: "string", format: "date-time" },
            endsAt: { type: "string", format: "date-time", description: "After startsAt." },
            joinCode: { type: "string", pattern: "^[A-HJKMNP-Za-hjkmnp-z2-9-]{4,16}$", description: "Generated (6 symbols) when left out." },
          },
        }),
        responses: {
          "201": json("Created.", { type: "object", required: ["workshop"], properties: { workshop: ref("Workshop") } }, { Location: { description: "/api/workshops/{id}", schema: { type: "string" } } }),
          "400": error("The body is not a valid workshop.", ["BAD_REQUEST"]),
          ...adminRefused,
          "405": methodNotAllowed,
          "409": error("Another workshop uses this join code.", ["JOIN_CODE_TAKEN"]),
          "413": tooLarge,
        },
      },
    },
    "/api/workshops/{workshopId}": {
      parameters: [param("workshopId")],
      get: {
        tags: ["workshops"],
        operationId: "getWorkshop",
        summary: "A workshop with its members and their steps in the workshop's lessons",
        security: [{ adminToken: [] }],
        responses: {
          "200": json("The workshop.", {
            type: "object",
            required: ["workshop", "members"],
            properties: {
              workshop: ref("Workshop"),
              members: {
                type: "array",
                items: {
                  type: "object",
                  required: ["displayName", "joinedAt", "steps"],
                  properties: {
                    displayName: { type: "string" },
                    joinedAt: { type: "string", format: "date-time" },
                    steps: {
                      type: "array",
                      items: {
                        type: "object",
                        properties: {
                          lesson: { type: "string" },
                          step: { type: "string" },
                          startedAt: { type: ["integer", "null"] },
                          completedAt: { type: ["integer", "null"] },
                          spentMs: { type: ["integer", "null"] },
                        },
                      },
                    },
                  },
                },
              },
            },
          }),
          ...adminRefused,
          "404": error("No workshop with this id.", ["WORKSHOP_NOT_FOUND", "NOT_FOUND"]),
          "405": methodNotAllowed,
        },
      },
    },
    "/api/workshops/{workshopId}/tickets": {
      parameters: [param("workshopId")],
      post: {
        tags: ["dashboard"],
        operationId: "issueDashboardTicket",
        summary: "A one-time ticket for one of the dashboard's WebSockets",
        description: "Send it as the second WebSocket subprotocol, `ticket.<ticket>`, within expiresInMs.",
        security: [{ adminToken: [] }],
        responses: {
          "201": json("Issued.", { type: "object", required: ["ticket", "expiresInMs"], properties: { ticket: { type: "string" }, expiresInMs: { type: "integer" } } }),
          ...adminRefused,
          "404": error("No workshop with this id.", ["WORKSHOP_NOT_FOUND"]),
          "405": methodNotAllowed,
        },
      },
    },
    "/api/workshops/{workshopId}/grid": {
      parameters: [param("workshopId"), param("stuckAfterMinutes"), param("stuckAfterFailedChecks")],
      get: {
        tags: ["dashboard"],
        operationId: "getDashboardGrid",
        summary: "The live grid now: learners × steps, time on the current step, failed checks, stuck",
        security: [{ adminToken: [] }],
        responses: {
          "200": json("The grid.", { type: "object", required: ["grid"], properties: { grid: ref("Grid") } }),
          ...adminRefused,
          "404": error("No workshop with this id.", ["WORKSHOP_NOT_FOUND"]),
          "405": methodNotAllowed,
        },
      },
    },
    "/api/workshops/{workshopId}/export.csv": {
      parameters: [param("workshopId"), param("stuckAfterMinutes"), param("stuckAfterFailedChecks")],
      get: {
        tags: ["dashboard"],
        operationId: "exportGridCsv",
        summary: "The grid as a CSV download",
        security: [{ adminToken: [] }],
        responses: {
          "200": { description: "An attachment.", content: { "text/csv": { schema: { type: "string" } } } },
          ...adminRefused,
          "404": error("No workshop with this id.", ["WORKSHOP_NOT_FOUND"]),
          "405": methodNotAllowed,
        },
      },
    },
    "/api/workshops/{workshopId}/export.json": {
      parameters: [param("workshopId"), param("stuckAfterMinutes"), param("stuckAfterFailedChecks")],
      get: {
        tags: ["dashboard"],
        operationId: "exportGridJson",
        summary: "The grid as a JSON download",
        security: [{ adminToken: [] }],
        responses: {
          "200": json("An attachment (server/dashboard/grid-export.ts): the grid with times as ISO 8601 and one entry per learner.", {
            type: "object",
            required: ["workshop", "exportedAt", "rules", "steps", "learners"],
            properties: {
              workshop: { type: "object", properties: { id: { type: "string" }, title: { type: "string" }, lessons: { type: "array", items: { type: "string" } } } },
              exportedAt: { type: "string", format: "date-time" },
              rules: { type: "object", properties: { afterMs: { type: "integer" }, afterFailedChecks: { type: "integer" } } },
              steps: { type: "array", items: { type: "object", properties: { lesson: { type: "string" }, step: { type: "string" }, title: { type: "string" } } } },
              learners: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    displayName: { type: "string" },
                    joinedAt: { type: "string", format: "date-time" },
                    stepsDone: { type: "integer" },
                    currentStep: { oneOf: [{ type: "object", properties: { lesson: { type: "string" }, step: { type: "string" } } }, { type: "null" }] },
                    msOnCurrentStep: { type: ["integer", "null"] },
                    failedChecks: { type: "integer" },
                    stuck: { type: "boolean" },
                    steps: { type: "array", items: { type: "object" } },
                  },
                },
              },
            },
          }),
          ...adminRefused,
          "404": error("No workshop with this id.", ["WORKSHOP_NOT_FOUND"]),
          "405": methodNotAllowed,
        },
      },
    },
    "/api/workshops/{workshopId}/live": {
      parameters: [param("workshopId")],
      get: {
        tags: ["dashboard"],
        operationId: "openDashboardSocket",
        summary: "The grid, pushed as it changes (WebSocket)",
        description: "Subprotocols `mesh-academy.dashboard.v1` and `ticket.<ticket>` (POST …/tickets); an allowed Origin. Messages are in server/dashboard/dashboard-protocol.ts.",
        "x-websocket": true,
        responses: dashboardSocketAnswers("No such workshop."),
      },
    },
    "/api/workshops/{workshopId}/learners/{learnerKey}/terminal": {
      parameters: [param("workshopId"), param("learnerKey")],
      get: {
        tags: ["dashboard"],
        operationId: "watchLearnerTerminal",
        summary: "A learner's terminal, read-only (WebSocket); the learner is told someone watches",
        description: "Subprotocols `mesh-academy.watch.v1` and `ticket.<ticket>`; an allowed Origin. `learnerKey` is a grid row's key.",
        "x-websocket": true,
        responses: dashboardSocketAnswers("No such workshop or learner, or the learner has no terminal open."),
      },
    },
    "/api/join": {
      post: {
        tags: ["workshops"],
        operationId: "joinWorkshop",
        summary: "Join a workshop with its code and a display name",
        description: "Sets the learner cookie. Every attempt counts against JOIN_ATTEMPTS_PER_MINUTE per client address (default 10), before the code is looked up.",
        security: [{ csrfHeader: [] }],
        requestBody: body({ type: "object", additionalProperties: false, required: ["code", "displayName"], properties: { code: { type: "string", maxLength: 32 }, displayName: ref("DisplayName") } }),
        responses: {
          "200": json(
            "Joined (or joined again under a new name).",
            {
              type: "object",
              required: ["workshop"],
              properties: {
                workshop: {
                  type: "object",
                  required: ["id", "title", "lessons", "startsAt", "endsAt"],
                  properties: {
                    id: { type: "string" },
                    title: { type: "string" },
                    lessons: { type: "array", items: { type: "string" } },
                    startsAt: { type: "string", format: "date-time" },
                    endsAt: { type: "string", format: "date-time" },
                  },
                },
              },
            },
            { "Set-Cookie": { description: "The learner cookie.", schema: { type: "string" } } },
          ),
          "400": error("The body is not of this shape.", ["BAD_REQUEST"]),
          "403": csrfRefused,
          "404": error("No workshop has this code.", ["WORKSHOP_NOT_FOUND"]),
          "405": methodNotAllowed,
          "409": error("The workshop has not started, or it is full.", ["WORKSHOP_NOT_STARTED", "WORKSHOP_FULL"]),
          "410": error("The workshop has ended.", ["WORKSHOP_ENDED"]),
          "413": tooLarge,
          "429": { ...(error("Too many join attempts from this address.", ["JOIN_RATE_LIMITED"]) as object), headers: { "Retry-After": retryAfter } },
        },
      },
    },
  },
  components: {
    securitySchemes: {
      sessionToken: { type: "http", scheme: "bearer", description: "The token POST /api/sessions returned." },
      adminToken: { type: "http", scheme: "bearer", description: "The server's ADMIN_TOKEN." },
      learnerCookie: { type: "apiKey", in: "cookie", name: "mesh_academy_learner", description: "Signed learner id, HttpOnly; set by the server." },
      csrfHeader: { type: "apiKey", in: "header", name: "X-Mesh-Academy", description: "Must be `1`, together with an allowed Origin header." },
    },
    parameters: {
      sessionId: { name: "sessionId", in: "path", required: true, schema: { type: "string" } },
      lesson: { name: "lesson", in: "path", required: true, schema: { type: "string" }, example: "welcome" },
      step: { name: "step", in: "path", required: true, schema: { type: "string" }, example: "create-namespace" },
      workshopId: { name: "workshopId", in: "path", required: true, schema: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" } },
      learnerKey: { name: "learnerKey", in: "path", required: true, schema: { type: "string" }, description: "A grid row's key (a digest, never the learner's id)." },
      stuckAfterMinutes: { name: "stuckAfterMinutes", in: "query", required: false, schema: { type: "number" }, description: "Time on one step after which a learner is stuck (clamped to the server's limits); the server's STUCK_AFTER_MINUTES when omitted." },
      stuckAfterFailedChecks: { name: "stuckAfterFailedChecks", in: "query", required: false, schema: { type: "integer" }, description: "Failed Check runs on one step after which a learner is stuck (clamped); the server's STUCK_AFTER_FAILED_CHECKS when omitted." },
    },
    schemas: {
      Error: {
        type: "object",
        required: ["error"],
        properties: { error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" } } } },
      },
      Slug: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$" },
      DisplayName: { type: "string", minLength: 1, maxLength: 60, description: "Plain text without control or bidi characters; shown with textContent only." },
      SandboxStart: { enum: ["empty", "istio", "istio-injected", "bookinfo", "bookinfo-gateway"], description: "The state the sandbox starts in; empty by default." },
      Learner: { type: "object", required: ["displayName"], properties: { displayName: { type: ["string", "null"] } } },
      StepProgress: {
        type: "object",
        required: ["lesson", "step", "startedAt", "completedAt", "spentMs", "source"],
        properties: {
          lesson: { type: "string" },
          step: { type: "string" },
          startedAt: { type: ["integer", "null"], description: "ms since the epoch" },
          completedAt: { type: ["integer", "null"], description: "ms since the epoch" },
          spentMs: { type: ["integer", "null"] },
          source: { enum: ["checks", "page", null] },
        },
      },
      Workshop: {
        type: "object",
        required: ["id", "title", "lessons", "capacity", "startsAt", "endsAt", "joinCode"],
        properties: {
          id: { type: "string" },
          title: { type: "string" },
          lessons: { type: "array", items: { type: "string" } },
          capacity: { type: "integer" },
          startsAt: { type: "string", format: "date-time" },
          endsAt: { type: "string", format: "date-time" },
          joinCode: { type: "string" },
        },
      },
      CheckStreamLine: {
        oneOf: [
          { type: "object", required: ["type", "lesson", "step", "checks"], properties: { type: { const: "start" }, lesson: { type: "string" }, step: { type: "string" }, checks: { type: "array", items: { type: "string" } } } },
          {
            type: "object",
            required: ["type", "index", "check", "status"],
            properties: { type: { const: "result" }, index: { type: "integer" }, check: { type: "string" }, status: { enum: ["passed", "failed", "error"] }, message: { type: "string" }, code: { type: "string" } },
          },
          { type: "object", required: ["type", "passed"], properties: { type: { const: "end" }, passed: { type: "boolean" } } },
        ],
      },
      Grid: {
        type: "object",
        required: ["workshop", "columns", "rows", "rules", "serverNow"],
        description: "See server/dashboard/dashboard-protocol.ts for every field.",
        properties: {
          workshop: { type: "object", properties: { id: { type: "string" }, title: { type: "string" }, lessons: { type: "array", items: { type: "string" } } } },
          columns: { type: "array", items: { type: "object", properties: { lesson: { type: "string" }, step: { type: "string" }, title: { type: "string" } } } },
          rows: { type: "array", items: { type: "object", properties: { key: { type: "string" }, displayName: { type: "string" } } } },
          rules: { type: "object", properties: { afterMs: { type: "integer" }, afterFailedChecks: { type: "integer" } } },
          serverNow: { type: "integer" },
        },
      },
      MeshEdge: {
        type: "object",
        description:
          "Traffic from one node to another over the window (src/client/mesh-graph/mesh-graph-data.ts `MeshEdge`). An `http` edge counts requests; a `tcp` edge (a Service port Istio proxies as TCP) counts connections and bytes instead, with requests, rate and errorRate 0, no latency and no codes. Between the same two nodes there may be one edge of each protocol.",
        required: ["id", "source", "target", "service", "protocol", "requests", "rate", "errorRate", "mtls", "codes", "flags", "health", "badges"],
        properties: {
          id: { type: "string" },
          source: { type: "string", description: "The id of the calling node." },
          target: { type: "string", description: "The id of the node called." },
          service: { type: "string", description: "The destination service's host (`reviews.default.svc.cluster.local`)." },
          protocol: { enum: ["http", "tcp"] },
          requests: { type: "integer", minimum: 0, description: "Requests seen in the window (0 on a TCP edge)." },
          rate: { type: "number", minimum: 0, description: "Requests per second over the window (0 on a TCP edge)." },
          errorRate: { type: "number", minimum: 0, maximum: 1, description: "Share of requests answered with 4xx/5xx or not answered at all (0 on a TCP edge)." },
          connections: { type: "integer", minimum: 0, description: "TCP edges: connections opened in the window." },
          connectionRate: { type: "number", minimum: 0, description: "TCP edges: connections per second over the window." },
          bytesReceived: { type: "integer", minimum: 0, description: "TCP edges: bytes the clients sent in the window (Istio's `istio_tcp_received_bytes_total`)." },
          bytesSent: { type: "integer", minimum: 0, description: "TCP edges: bytes the servers answered in the window (Istio's `istio_tcp_sent_bytes_total`)." },
          byteRate: { type: "number", minimum: 0, description: "TCP edges: bytes per second over the window, both directions." },
          p50Ms: { type: "number", minimum: 0, description: "HTTP edges with requests: median latency (ms)." },
          p99Ms: { type: "number", minimum: 0, description: "HTTP edges with requests: 99th percentile latency (ms)." },
          mtls: { enum: ["all", "some", "none"], description: "Share of the window's requests (TCP: connections) carried over mutual TLS; `none` when quiet." },
          codes: { type: "object", additionalProperties: { type: "integer" }, description: "Response codes over the window (`0` = no response); empty on a TCP edge." },
          flags: { type: "array", items: { type: "string" }, description: "Envoy response flags over the window other than `-` (`UF`, `NR`, `DI`, …; TCP: `UF`, `UH`)." },
          health: { enum: ["healthy", "degraded", "failing", "quiet"] },
          badges: {
            type: "array",
            items: {
              type: "object",
              required: ["kind", "text", "source"],
              properties: {
                kind: { enum: ["route", "weights", "fault", "timeout", "retries", "subsets", "deny", "allow", "mtls"] },
                text: { type: "string" },
                source: { type: "string", description: "The object it comes from (`VirtualService reviews.default`)." },
              },
            },
          },
        },
        if: { properties: { protocol: { const: "tcp" } } },
        then: { required: ["connections", "connectionRate", "bytesReceived", "bytesSent", "byteRate"] },
      },
      MeshGraph: {
        type: "object",
        required: ["at", "windowMs", "telemetry", "nodes", "edges"],
        properties: {
          at: { type: "integer" },
          windowMs: { type: "integer" },
          telemetry: { enum: ["live", "unavailable"] },
          note: { type: "string" },
          nodes: { type: "array", items: { type: "object", required: ["id", "kind", "label"], properties: { id: { type: "string" }, kind: { type: "string" }, label: { type: "string" } } } },
          edges: { type: "array", items: ref("MeshEdge") },
        },
      },
    },
  },
} satisfies { [key: string]: Json };
