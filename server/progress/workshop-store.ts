// Workshops: an instructor's room of learners for a set of lessons, joined with a short
// code, with a capacity and a time window. Same rules as progress-store.ts: small enough for
// a PostgreSQL implementation to follow, durable when a write method returns.

export interface WorkshopInput {
  readonly title: string;
  readonly lessons: readonly string[];
  readonly capacity: number;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly joinCode: string;
}

export interface Workshop extends WorkshopInput {
  readonly id: string;
  readonly createdAt: number;
}

export interface WorkshopMember {
  readonly learnerId: string;
  readonly displayName: string;
  readonly joinedAt: number;
}

export interface WorkshopStore {
  /** Throws WorkshopError JOIN_CODE_TAKEN when another workshop has the code. */
  createWorkshop(id: string, input: WorkshopInput, at: number): Workshop;
  workshop(id: string): Workshop | undefined;
  workshopByJoinCode(joinCode: string): Workshop | undefined;
  workshops(): Workshop[];
  /**
   * Adds the learner (renaming them if already a member). Enforced atomically: the window
   * (WORKSHOP_NOT_STARTED, WORKSHOP_ENDED) and the capacity (WORKSHOP_FULL) for newcomers.
   */
  joinWorkshop(workshopId: string, learnerId: string, displayName: string, at: number): WorkshopMember;
  members(workshopId: string): WorkshopMember[];
}

export type WorkshopErrorCode =
  | "WORKSHOP_NOT_FOUND"
  | "WORKSHOP_NOT_STARTED"
  | "WORKSHOP_ENDED"
  | "WORKSHOP_FULL"
  | "JOIN_CODE_TAKEN";

const STATUS: Record<WorkshopErrorCode, number> = {
  WORKSHOP_NOT_FOUND: 404,
  WORKSHOP_NOT_STARTED: 409,
  WORKSHOP_ENDED: 410,
  WORKSHOP_FULL: 409,
  JOIN_CODE_TAKEN: 409,
};

export class WorkshopError extends Error {
  readonly code: WorkshopErrorCode;
  /** The HTTP status the API answers with. */
  readonly status: number;

  constructor(code: WorkshopErrorCode, message: string) {
    super(message);
    this.name = "WorkshopError";
    this.code = code;
    this.status = STATUS[code];
  }
}
