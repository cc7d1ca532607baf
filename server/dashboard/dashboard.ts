// The instructor's dashboard assembled: the hub that keeps live grids, the HTTP API (tickets,
// grid, exports), the WebSocket gateway (live grid, read-only terminal watching), and the
// link between terminal sessions and the learners whose pages opened them.
import type { IncomingMessage } from "node:http";
import { loadLesson } from "../checks/load-lesson.ts";
import type { Logger } from "../log/logger.ts";
import type { ProgressTracker } from "../progress/progress-tracker.ts";
import type { Workshops } from "../progress/workshops.ts";
import type { SessionManager } from "../sessions/session-manager.ts";
import type { Session } from "../sessions/session.ts";
import { AdminToken } from "./admin-token.ts";
import { createDashboardApi, type DashboardApiHandler } from "./dashboard-api.ts";
import { DashboardGateway } from "./dashboard-gateway.ts";
import { DashboardHub } from "./dashboard-hub.ts";
import type { StuckRules } from "./dashboard-protocol.ts";
import { DashboardTickets } from "./dashboard-tickets.ts";

export interface DashboardOptions {
  tracker: ProgressTracker;
  workshops: Workshops;
  sessions: SessionManager;
  lessonsDir: string;
  adminToken: string | undefined;
  allowedOrigins: readonly string[];
  logger: Logger;
  headersFor?: (req: IncomingMessage) => Record<string, string>;
  rules?: StuckRules;
  now?: () => number;
}

export interface Dashboard {
  readonly hub: DashboardHub;
  readonly api: DashboardApiHandler;
  readonly gateway: DashboardGateway;
  /** For the terminal gateway: a socket for `session` opened from a page with this request's cookie. */
  linkSession(session: Session, request: IncomingMessage): void;
  close(): Promise<void>;
}

export function createDashboard(options: DashboardOptions): Dashboard {
  const lessons = new Map<string, Promise<{ title: string; steps: { id: string; title: string }[] }>>();
  const lessonOf = (lesson: string) => {
    let loading = lessons.get(lesson);
    if (loading === undefined) {
      loading = loadLesson(options.lessonsDir, lesson).then((l) => ({ title: l.title, steps: l.steps.map((s) => ({ id: s.id, title: s.title })) }));
      // A lesson that failed to load is tried again next time (it may have been fixed).
      loading.catch(() => lessons.delete(lesson));
      lessons.set(lesson, loading);
    }
    return loading;
  };
  const hub = new DashboardHub({
    tracker: options.tracker,
    workshops: options.workshops,
    sessions: options.sessions,
    lessonOf,
    logger: options.logger,
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const tickets = new DashboardTickets(options.now ? { now: options.now } : {});
  const api = createDashboardApi({
    hub,
    tickets,
    admin: new AdminToken(options.adminToken),
    allowedOrigins: options.allowedOrigins,
    ...(options.headersFor ? { headersFor: options.headersFor } : {}),
  });
  const gateway = new DashboardGateway({
    hub,
    tickets,
    sessionOf: (learnerId) => options.sessions.latestSessionOf(learnerId),
    allowedOrigins: options.allowedOrigins,
    logger: options.logger,
  });
  const followed = new WeakSet<Session>();
  return {
    hub,
    api,
    gateway,
    linkSession(session, request) {
      const learnerId = options.tracker.learnerIdOf(request.headers);
      if (learnerId === undefined) return;
      if (session.learnerId !== learnerId) session.linkLearner(learnerId);
      // The row's "watchable" flips when the terminal goes away. A session may already carry
      // its learner from creation, so whether it is watched is remembered apart from the link.
      if (!followed.has(session)) {
        followed.add(session);
        session.onEnd(() => hub.touch(learnerId));
      }
      gateway.followLearner(learnerId, session);
      hub.touch(learnerId);
    },
    async close() {
      hub.close();
      await gateway.close();
    },
  };
}
