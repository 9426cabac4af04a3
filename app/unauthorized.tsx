import Link from "next/link";

/** 401 from requireRole(): no session, or it expired. */
export default function Unauthorized() {
  return (
    <section className="card card-pad signin" aria-labelledby="unauth-title">
      <h1 id="unauth-title">Please sign in</h1>
      <p>You are not signed in, or your session has expired.</p>
      <Link className="btn btn-primary" href="/signin">
        Sign in
      </Link>
    </section>
  );
}
