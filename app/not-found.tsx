import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card empty-state">
      <h1 style={{ marginBottom: 8 }}>Not found</h1>
      <p>That page, team or deployment does not exist (any more).</p>
      <Link className="btn" href="/">
        Back to the overview
      </Link>
    </div>
  );
}
