import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server (smtp-server, from the nodemailer project) for the tests: AUTH PLAIN/LOGIN with one user,
 * every accepted message parsed (mailparser) with its envelope, and faults to inject: answer the next N messages with
 * an SMTP error code (451 = try again later), or refuse recipients.
 */

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
}

export interface FakeSmtp {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** The next `times` messages are answered with `code message`. */
  failNext(times: number, code: number, message: string): void;
  /** RCPT TO for these addresses is refused (550). */
  refuse(addresses: string[]): void;
  close(): Promise<void>;
}

export async function startFakeSmtp(user = "reports", password = "smtp-secret-password"): Promise<FakeSmtp> {
  const received: ReceivedMail[] = [];
  let failures: { times: number; code: number; message: string } | null = null;
  const refused = new Set<string>();
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === password) cb(null, { user });
      else cb(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (refused.has(address.address.toLowerCase()))
        cb(Object.assign(new Error("No such user here"), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (failures && failures.times > 0) {
          failures.times--;
          cb(Object.assign(new Error(failures.message), { responseCode: failures.code }));
          return;
        }
        simpleParser(Buffer.concat(chunks)).then(
          (parsed) => {
            received.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              parsed,
            });
            cb();
          },
          (error: Error) => cb(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    port,
    received,
    failNext(times, code, message) {
      failures = { times, code, message };
    },
    refuse(addresses) {
      for (const a of addresses) refused.add(a.toLowerCase());
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
