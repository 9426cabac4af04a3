import { type NextRequest, NextResponse } from "next/server";
import { isLoopback, readAuthConfig } from "@/lib/auth/config";
import { SESSION_COOKIE } from "@/lib/auth/sessions";
import { demoLoading, demoLoadingResponse } from "@/lib/server/starting";
import { urlProblem } from "@/lib/validation/input";

/**
 * Runs before every request (ADR 0010). It decides nothing about roles: pages, actions and routes check those
 * themselves. It (1) sends a browser with no session cookie to the sign-in page instead of a bare 401, (2) refuses
 * cross-site writes that carry the session cookie (CSRF; SameSite=Lax already drops it on cross-site POSTs), and
 * (3) in local mode answers only to localhost names, so that a web page cannot reach the local admin through DNS
 * rebinding, (4) answers 503 with the progress while a first start loads the demo.
 */

/** Reachable without a session: sign-in, survey links and report unsubscribe links (the token is the key), health,
 * webhooks and the push API (their own credentials), the OpenAPI document, static files. */
const PUBLIC = [
  /^\/signin(\/|$)/,
  /^\/auth\//,
  /^\/survey\//,
  /^\/unsubscribe\//,
  /^\/api\//,
  /^\/_next\//,
  /^\/favicon\.ico$/,
  /^\/icon(\.\w+)?$/,
];

/** The host of an Origin header; null when it is `null` or not a URL (it then matches no server). */
function originHost(origin: string): string | null {
  try {
    return origin === "null" ? null : new URL(origin).host;
  } catch {
    return null;
  }
}

export function proxy(request: NextRequest) {
  const config = readAuthConfig();
  const { pathname, search } = request.nextUrl;
  const method = request.method.toUpperCase();

  // Before anything decodes the URL (Next answers 500 for a %-escape that is not UTF-8 in a dynamic segment):
  // one check for every page and API route (lib/validation/input.ts, ADR 0015).
  const problem = urlProblem(request.nextUrl.pathname, request.nextUrl.search);
  if (problem) {
    return pathname.startsWith("/api/")
      ? NextResponse.json({ error: "invalid_url", message: problem }, { status: 400 })
      : new NextResponse(`Bad request: ${problem}.`, {
          status: 400,
          headers: { "content-type": "text/plain; charset=utf-8" },
        });
  }
  const host = request.headers.get("host") ?? "";

  if (config.mode === "local") {
    const name = host.replace(/:\d+$/, "");
    if (!isLoopback(name))
      return new NextResponse(
        "This Throughline runs without sign-in and answers only to localhost. Open http://localhost:3000, or configure sign-in (README § Access control).",
        { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } },
      );
  }

  const hasSession = Boolean(request.cookies.get(SESSION_COOKIE)?.value);
  if (method !== "GET" && method !== "HEAD" && (hasSession || config.mode === "local")) {
    const origin = request.headers.get("origin");
    const expected = config.publicUrl ? new URL(config.publicUrl).host : host;
    // Server actions are also checked by Next itself; this covers route handlers too. No Origin: not a browser.
    // `null` (a sandboxed frame, a redirect across sites) and an Origin that is no URL are foreign too.
    if (origin && originHost(origin) !== expected && !request.headers.get("authorization"))
      return NextResponse.json(
        { error: "forbidden", message: "cross-site request refused (its Origin is not this server)" },
        { status: 403 },
      );
  }

  // A first start loading the demo in the background (lib/server/boot.ts): 503 with the progress, for everyone,
  // until it is in; then every page answers as it always does (its own 401/403/307).
  const demo = demoLoading();
  if (demo && pathname !== "/api/health" && !pathname.startsWith("/_next/"))
    return demoLoadingResponse(pathname, demo, config.mode === "local");

  if (config.mode !== "local" && !hasSession && (method === "GET" || method === "HEAD")) {
    if (!PUBLIC.some((p) => p.test(pathname)) && !request.headers.get("rsc")) {
      const url = request.nextUrl.clone();
      url.pathname = "/signin";
      url.search = `?next=${encodeURIComponent(pathname + search)}`;
      return NextResponse.redirect(url);
    }
  }
  return NextResponse.next();
}

/**
 * Webhooks are not matched: with a proxy, Next clones and buffers each request body up to 10 MB
 * (`experimental.proxyClientMaxBodySize`) and hands the route a *truncated* body beyond it, so a 15 MB GitHub
 * delivery failed its signature and larger ones reset the connection. Webhooks need nothing the proxy does (no
 * session, no cookie: their own signature or secret), and their receiver caps the body itself (413 naming the limit).
 */
export const config = {
  matcher: ["/((?!_next/static|_next/image|api/webhooks/).*)"],
};
