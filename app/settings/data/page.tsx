import { requireRole } from "@/lib/auth/current";
import { getDb, getDbHandle } from "@/lib/db";
import { listErasures } from "@/lib/privacy/erase";
import { getOrgSettings } from "@/lib/settings/org";
import { loadDemoAction, removeDemoAction } from "../actions";
import { ForgetForm } from "./forget-form";
import { LoadDemoButton } from "./load-demo";

export default async function DataPage({ searchParams }: { searchParams: Promise<{ removed?: string }> }) {
  await requireRole("admin");
  const [db, handle, sp] = await Promise.all([getDb(), getDbHandle(), searchParams]);
  const [settings, erasures] = await Promise.all([getOrgSettings(db), listErasures(db, 50)]);
  return (
    <div className="grid" style={{ gap: 16 }}>
      {sp.removed ? (
        <div className="alert alert-ok" role="status">
          The demo organisation was removed. It will not come back on the next start.
        </div>
      ) : null}
      <section className="card card-pad">
        <h2 style={{ marginBottom: 8 }}>Database</h2>
        <p className="small" style={{ margin: 0 }}>
          {handle.kind === "pglite"
            ? `Embedded PostgreSQL (PGlite) in ${handle.location}. Set DATABASE_URL to use a PostgreSQL server instead (see README).`
            : `PostgreSQL at ${handle.location}.`}
        </p>
      </section>
      <section className="card card-pad">
        <h2 style={{ marginBottom: 8 }}>Demo organisation</h2>
        {settings.demoState === "loaded" ? (
          <>
            <p className="small">
              A generated organisation (six teams, twenty repositories, a year of history) is loaded so that
              every screen has something to show. Removing it deletes its teams, repositories and everything
              they hold; your own data is not touched.
            </p>
            <form action={removeDemoAction}>
              <button className="btn btn-danger" type="submit">
                Remove demo data
              </button>
            </form>
          </>
        ) : (
          <>
            <p className="small">
              {settings.demoState === "removed" ? "The demo organisation was removed. " : ""}
              You can load it into an empty database to explore Throughline.
            </p>
            <LoadDemoButton action={loadDemoAction} />
          </>
        )}
      </section>
      <section className="card card-pad" aria-labelledby="forget-heading">
        <h2 id="forget-heading" style={{ marginBottom: 8 }}>
          Forget a person
        </h2>
        <p className="small">
          When someone asks to be forgotten, their name, e-mail addresses and logins are replaced by a
          pseudonym in every table (commits, pull requests and reviews, teams, corrections, the audit log) and
          in every later sync. Throughline keeps only a keyed hash of what was erased, never the values. Also
          available as <code>npm run privacy -- erase --email ADDRESS</code>.
        </p>
        <ForgetForm />
        {erasures.length ? (
          <div className="table-wrap" style={{ marginTop: 16 }}>
            <table>
              <caption className="small" style={{ textAlign: "left" }}>
                Erasures (pseudonyms only)
              </caption>
              <thead>
                <tr>
                  <th scope="col">Pseudonym</th>
                  <th scope="col">Erased</th>
                  <th scope="col">Values</th>
                </tr>
              </thead>
              <tbody>
                {erasures.map((e) => (
                  <tr key={e.erasure}>
                    <td className="mono">{e.erasure}</td>
                    <td>{e.erasedAt.toISOString().slice(0, 16).replace("T", " ")} UTC</td>
                    <td>{e.values}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
