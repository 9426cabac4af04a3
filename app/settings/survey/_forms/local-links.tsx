import { isLoopback } from "@/lib/auth/config";

/**
 * Links made on a laptop in local mode start with http://127.0.0.1:3000, which nobody else can open (issue 15 §7):
 * said plainly before anyone copies or mails one.
 */
export function LocalLinksWarning({ origin }: { origin: string }) {
  let host = "";
  try {
    host = new URL(origin).hostname;
  } catch {
    return null;
  }
  if (!isLoopback(host)) return null;
  return (
    <div className="alert" role="note" data-testid="local-links-warning">
      <strong>Links made here start with {origin}: only this computer can open them.</strong> To let people
      answer, run Throughline where they can reach it: set <code>AUTH_URL</code> to the address they use (e.g.{" "}
      <code>https://throughline.example.com</code>) and <code>HOST=0.0.0.0</code>, which turns sign-in on
      (README § Access control), then restart. Links already made keep their address.
    </div>
  );
}
