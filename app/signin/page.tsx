import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { readAuthConfig } from "@/lib/auth/config";
import { safeReturnTo } from "@/lib/auth/cookies";
import { currentUser } from "@/lib/auth/current";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Sign in" };

/** Public. Offers what is configured: OpenID Connect, GitHub, or the admin password (README § Access control). */
export default async function SignInPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Any parameter may be repeated (an array): use the first, never fail on the shape.
  const q = Object.fromEntries(
    Object.entries(await props.searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
  );
  const next = safeReturnTo(q.next);
  const config = readAuthConfig();
  if (config.mode === "local" || (await currentUser())) redirect(next);
  const qs = `?next=${encodeURIComponent(next)}`;
  return (
    <section className="card card-pad signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to Throughline</h1>
      {q.error ? (
        <p className="alert alert-error" role="alert">
          {q.error.slice(0, 300)}
        </p>
      ) : null}
      {q.signedOut ? (
        <p className="alert alert-ok" role="status">
          You are signed out.
        </p>
      ) : null}
      {config.mode === "sso" ? (
        <div className="signin-buttons">
          {config.oidc ? (
            <a className="btn btn-primary" href={`/auth/signin/oidc${qs}`}>
              Continue with {config.oidc.name}
            </a>
          ) : null}
          {config.github ? (
            <a className="btn" href={`/auth/signin/github${qs}`}>
              Continue with GitHub
            </a>
          ) : null}
        </div>
      ) : (
        <PasswordForm next={next} />
      )}
      <p className="small muted">
        Survey respondents need no account: the link of a survey round opens its form directly.
      </p>
    </section>
  );
}
