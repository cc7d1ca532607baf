// A terminal into a pod through the Kubernetes exec API with a TTY: keystrokes go to stdin,
// output comes back on stdout, and resizes travel as the API's resize messages (client-node
// sends them when the output stream reports columns and rows).
import { EventEmitter } from "node:events";
import { PassThrough, Writable } from "node:stream";
import { Exec, type KubeConfig, type V1Status } from "@kubernetes/client-node";
import type { Tty } from "../sandbox-provider.ts";
import type { WorkstationTarget } from "../cluster-workstation.ts";

/** client-node treats an output stream with columns, rows and `resize` events as a terminal. */
class TerminalStream extends Writable {
  columns: number;
  rows: number;

  constructor(size: { cols: number; rows: number }, write: (data: string) => void) {
    super({
      write(chunk: Buffer, _encoding, done) {
        write(chunk.toString("utf8"));
        done();
      },
    });
    this.columns = size.cols;
    this.rows = size.rows;
  }
}

export function openExecTty(config: KubeConfig, target: WorkstationTarget, command: string[], size: { cols: number; rows: number }): Tty {
  const events = new EventEmitter();
  const stdin = new PassThrough();
  let paused = false;
  const held: string[] = [];
  let ended = false;
  const emitData = (data: string): void => {
    if (paused) held.push(data);
    else events.emit("data", data);
  };
  const stdout = new TerminalStream(size, emitData);
  const finish = (code: number): void => {
    if (ended) return;
    ended = true;
    events.emit("exit", code);
  };
  let socket: { close(): void } | undefined;
  let status: V1Status | undefined;
  new Exec(config)
    .exec(target.namespace, target.pod, target.container, command, stdout, null, stdin, true, (result) => {
      status = result;
    })
    .then((ws) => {
      socket = ws;
      if (ended) ws.close();
      ws.on("close", () => {
        const cause = status?.details?.causes?.find((entry) => entry.reason === "ExitCode");
        finish(status === undefined || status.status === "Success" ? 0 : Number(cause?.message ?? 1) || 1);
      });
    })
    .catch((error: unknown) => {
      emitData(`\r\nThe workstation could not be reached: ${error instanceof Error ? error.message : String(error)}\r\n`);
      finish(1);
    });
  return {
    write: (data) => {
      if (!ended) stdin.write(data);
    },
    onData(listener) {
      events.on("data", listener);
      return () => events.off("data", listener);
    },
    onExit(listener) {
      events.on("exit", listener);
      return () => events.off("exit", listener);
    },
    resize(cols, rows) {
      stdout.columns = cols;
      stdout.rows = rows;
      stdout.emit("resize");
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const data of held.splice(0)) events.emit("data", data);
    },
    close() {
      ended = true;
      stdin.end();
      socket?.close();
    },
  };
}
