import { fstatSync, statSync, writeSync } from "node:fs";
import { createRequire } from "node:module";

// The generate path writes its few lines straight to file descriptors 1 and 2: process.stdout and
// process.stderr would load node's stream modules (about twenty of them, measured: 15M
// instructions, a few milliseconds of every run) to write them once.

type Fd = 1 | 2;
/** Per descriptor: "direct", "stream" once node's stream took over (a full non-blocking pipe), or "gone". */
const state: Record<Fd, "direct" | "stream" | "gone"> = { 1: "direct", 2: "direct" };

/**
 * Writes all of `text`, in order with what was written before. A reader that went away
 * (`fg-bootgen ... | head`) is no failure of the command's: the rest of its output is dropped and
 * the command ends as it would have, exit code included.
 */
export function write(fd: Fd, text: string): void {
  if (state[fd] === "gone") return;
  if (state[fd] === "stream") {
    (fd === 1 ? process.stdout : process.stderr).write(text);
    return;
  }
  const bytes = Buffer.from(text, "utf8");
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EPIPE") {
      state[fd] = "gone";
      return;
    }
    if (code !== "EAGAIN") throw err;
    // A non-blocking descriptor that is full (the reader is slow): node's stream waits for it.
    state[fd] = "stream";
    const stream = fd === 1 ? process.stdout : process.stderr;
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
      state[fd] = "gone";
    });
    stream.write(bytes.subarray(done));
  }
}

/** Whether to colour what goes to `fd`: only a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(fd: Fd): boolean {
  if (process.env.NO_COLOR) return false;
  // Only a character device other than /dev/null (where output is often sent) can be a
  // terminal; node:tty, which tells exactly, loads the stream modules too, so it is asked only then.
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev === statSync("/dev/null").rdev) return false;
  } catch {
    return false;
  }
  const tty = createRequire(import.meta.url)("node:tty") as typeof import("node:tty");
  return tty.isatty(fd);
}
