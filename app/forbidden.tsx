import Link from "next/link";

/** 403 from requireRole(): signed in, without the role this needs. */
export default function Forbidden() {
  return (
    <section className="card card-pad signin" aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">Admins only</h1>
      <p>
        This page changes how Throughline is configured, so it needs the admin role. Dashboards, deployments,
        CALMS results and reports are open to you.
      </p>
      <Link className="btn" href="/">
        Back to the overview
      </Link>
    </section>
  );
}
