import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";

/** The deployments of a repository by tag: kind, the tag it follows, the tag that started its line, what it shipped. */
export async function byTag(db: Db, repository: string) {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select d.ref, d.kind, d.change_count, d.is_counted, d.is_failed, d.is_rework, d.line,
               (select p.ref from deployments p where p.id = d.prev_deployment_id) as follows,
               (select s.ref from deployments s where s.id = d.line_start_id) as line_start,
               (select u.ref from deployments u where u.id = d.undoes_deployment_id) as undoes
        from deployments d join repositories r on r.id = d.repository_id
        where r.full_name = ${repository} order by d.finished_at, d.id`,
  );
  return Object.fromEntries(rows.map((r) => [String(r.ref), r]));
}

export async function changeRows(db: Db, repository: string) {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from deployment_changes c join deployments d on d.id = c.deployment_id
        join repositories r on r.id = d.repository_id where r.full_name = ${repository}`,
  );
  return Number(row?.n);
}
