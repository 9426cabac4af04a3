import Link from "next/link";
import { notFound } from "next/navigation";
import { requireRole } from "@/lib/auth/current";
import { listRepositories } from "@/lib/catalog";
import { getDb } from "@/lib/db";
import { getTeam, listTeams } from "@/lib/teams";
import { TeamForm } from "../../_forms/team-form";
import { deleteTeamAction } from "../../actions";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ saved?: string }> };

export default async function EditTeamPage({ params, searchParams }: Props) {
  await requireRole("admin");
  const [{ slug }, sp] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const team = await getTeam(db, slug);
  if (!team) notFound();
  const [repos, teams] = await Promise.all([listRepositories(db), listTeams(db)]);
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  return (
    <div className="grid" style={{ gap: 16 }}>
      {sp.saved ? (
        <div className="alert alert-ok" role="status">
          Saved. <Link href={`/teams/${team.slug}`}>Open the {team.name} dashboard →</Link>
        </div>
      ) : null}
      <section className="card card-pad">
        <div className="section-head">
          <h2>{team.name}</h2>
          <Link href={`/teams/${team.slug}`}>Dashboard →</Link>
        </div>
        <TeamForm
          team={{
            id: team.id,
            slug: team.slug,
            name: team.name,
            description: team.description,
            members: team.members.map((m) => m.handle),
            repositoryIds: team.repositories.map((r) => r.id),
          }}
          repositories={repos.map((r) => ({
            id: r.id,
            fullName: r.fullName,
            owner: r.teamId ? (teamName.get(r.teamId) ?? null) : null,
          }))}
        />
      </section>
      <section className="card card-pad">
        <h2 style={{ marginBottom: 8 }}>Delete team</h2>
        <p className="small muted">Its repositories stay, with their data, and become unowned.</p>
        <form action={deleteTeamAction.bind(null, team.id)}>
          <button className="btn btn-danger" type="submit">
            Delete {team.name}
          </button>
        </form>
      </section>
    </div>
  );
}
