import type { LockHolder } from "@/lib/db/embedded-lock";
import type { FileSink, JobEvent } from "./types";

/**
 * Sends a job to the running server that holds the embedded database, and streams its log lines back.
 * Throws with the server's message when the job fails.
 */
export async function runJobOnServer(
  holder: LockHolder,
  name: string,
  args: unknown,
  log: (line: string) => void,
  write?: FileSink,
): Promise<unknown> {
  if (!holder.jobsUrl || !holder.jobsToken)
    throw new Error("the process holding the database accepts no jobs");
  let response: Response;
  try {
    response = await fetch(new URL("/api/internal/jobs", holder.jobsUrl), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${holder.jobsToken}` },
      body: JSON.stringify({ job: name, args, files: write !== undefined }),
    });
  } catch (error) {
    throw new Error(`Could not reach the Throughline server at ${holder.jobsUrl} (pid ${holder.pid})`, {
      cause: error,
    });
  }
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => "");
    throw new Error(`The server refused the job (${response.status}): ${text.slice(0, 500)}`);
  }
  const decoder = new TextDecoder();
  let buffer = "";
  let result: unknown;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf("\n");
      if (!line) continue;
      const event = JSON.parse(line) as JobEvent;
      if (event.type === "log") log(event.line);
      else if (event.type === "chunk") await write?.(event.file, Buffer.from(event.base64, "base64"));
      else if (event.type === "error") throw new Error(event.message);
      else result = event.result;
    }
  }
  return result;
}
