import type { NextResponse } from "next/server";

/** The options of a response cookie, from Next's public types. */
type CookieOptions = NonNullable<Parameters<NextResponse["cookies"]["set"]>[2]>;

/**
 * Only a path on this server: never `//evil.example` or `/\evil.example`, which browsers treat as another host, nor
 * anything with a control character or a backslash (browsers drop tabs and newlines from URLs, so `/<tab>/evil.example`
 * would become `//evil.example`).
 */
export function safeReturnTo(value: unknown): string {
  // A repeated query parameter (`?next=a&next=b`) arrives as an array: take none of it.
  if (typeof value !== "string") return "/";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (!value || /[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  if (!value.startsWith("/") || value.startsWith("//")) return "/";
  if (value.startsWith("/signin") || value.startsWith("/auth/")) return "/";
  return value.slice(0, 2000);
}

/** http-only, SameSite=Lax (sent on top-level navigation back from the provider, not on cross-site POSTs), Secure on https. */
export function cookieOptions(origin: string, maxAgeSeconds: number, path = "/"): CookieOptions {
  return {
    httpOnly: true,
    sameSite: "lax",
    secure: origin.startsWith("https:"),
    path,
    maxAge: maxAgeSeconds,
  };
}
