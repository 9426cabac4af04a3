import { eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { auditLog, calmsLinkMails, reportDeliveries } from "@/lib/db/schema";
import { open, secretKey } from "@/lib/delivery/secret-box";
import { inList, jsonList, namesPerson, type Person } from "./discover";
import { normaliseIdentity } from "./pseudonym";

/**
 * Rewrites every row that names the person. Identity columns (a commit's author, a pull request's author and
 * reviewers, a team member's handle) get the pseudonym of each value, so equal values stay equal and metrics do not
 * move; "who did it" columns (audit log, corrections, tokens, schedules) get the request's pseudonym; the person's
 * sessions end; their address leaves report recipients. Answers how many rows of each table changed.
 */
export interface Pseudonyms {
  /** Value as stored → its pseudonym, per kind. */
  email: Map<string, string>;
  login: Map<string, string>;
  name: Map<string, string>;
  /** The request's own pseudonym, for "who" columns. */
  erasure: string;
}

const mapJson = (m: Map<string, string>) => jsonList([...m].map(([v, p]) => ({ v, p })));
/** The pseudonym of a column's value, or the value. */
const mapped = (m: Map<string, string>, column: SQL) =>
  sql`coalesce((select m.p from jsonb_to_recordset(${mapJson(m)}) as m(v text, p text) where m.v = ${column}), ${column})`;

async function count(db: Db, statement: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with u as (${statement} returning 1) select count(*)::int as n from u`,
  );
  return row?.n ?? 0;
}

export async function rewritePerson(db: Db, person: Person, p: Pseudonyms): Promise<Record<string, number>> {
  const E = inList(person.emails);
  const L = inList(person.logins);
  const names = [...p.name.keys()];
  const who = (column: string) => namesPerson(sql.raw(column), person, names);
  const rows: Record<string, number> = {};

  // The name is rewritten on the rows the e-mail or login identifies (the whole row is the person), so both
  // conditions are evaluated on the values before this statement changes them.
  rows.commits = await count(
    db,
    sql`update commits set author_name = ${mapped(p.name, sql.raw("author_name"))},
          author_email = ${mapped(p.email, sql.raw("author_email"))},
          author_login = ${mapped(p.login, sql.raw("author_login"))}
        where lower(author_email) in ${E} or lower(author_login) in ${L}`,
  );
  // Reviewers keep their order; two casings of one login become one entry, as the ingest mask writes them.
  rows.pull_requests = await count(
    db,
    sql`update pull_requests set author_login = ${mapped(p.login, sql.raw("author_login"))},
          reviewer_logins = array(
            select r from (select ${mapped(p.login, sql.raw("x"))} as r, min(i) as i
                           from unnest(reviewer_logins) with ordinality as u(x, i) group by 1) as y order by i)
        where lower(author_login) in ${L} or exists (select 1 from unnest(reviewer_logins) x where lower(x) in ${L})`,
  );
  const handles = new Map([...p.email, ...p.login]);
  rows.team_members = await count(
    db,
    sql`update team_members set handle = ${mapped(handles, sql.raw("handle"))},
          display_name = ${mapped(p.name, sql.raw("display_name"))}
        where handle in ${E} or handle in ${L}`,
  );
  // A session is a signed-in browser, not history: it ends (the person signs in again if they still work here).
  rows.sessions = await count(
    db,
    sql`delete from sessions where lower(email) in ${E} or subject in ${inList(person.subjects)}`,
  );
  rows.audit_log = await count(
    db,
    sql`update audit_log set actor = ${p.erasure}, actor_subject = ${p.erasure}
        where ${who("actor")} or actor_subject in ${inList(person.subjects)}`,
  );
  rows.corrections = await count(
    db,
    sql`update corrections set
          created_by = case when ${who("created_by")} then ${p.erasure} else created_by end,
          revoked_by = case when revoked_by is not null and ${who("revoked_by")} then ${p.erasure} else revoked_by end
        where ${who("created_by")} or (revoked_by is not null and ${who("revoked_by")})`,
  );
  rows.api_tokens = await count(
    db,
    sql`update api_tokens set created_by = ${p.erasure} where ${who("created_by")}`,
  );
  // A pseudonym cannot receive mail: the address leaves the list; a schedule left with no one pauses.
  rows.report_schedules = await count(
    db,
    sql`update report_schedules set
          created_by = case when ${who("created_by")} then ${p.erasure} else created_by end,
          recipients = array(select r from unnest(recipients) as r where lower(trim(r)) not in ${E}),
          paused = paused or (channel = 'email'
                   and not exists (select 1 from unnest(recipients) as r where lower(trim(r)) not in ${E})),
          next_due_at = case when channel = 'email'
                          and not exists (select 1 from unnest(recipients) as r where lower(trim(r)) not in ${E})
                        then null else next_due_at end
        where ${who("created_by")} or exists (select 1 from unnest(recipients) as r where lower(trim(r)) in ${E})`,
  );
  rows.report_deliveries = await rewriteErrors(db, person, p.erasure);
  // An unsubscribe is only their address: with the address gone from every list there is nothing left to skip.
  rows.report_unsubscribes = await count(
    db,
    sql`delete from report_unsubscribes where lower(trim(email)) in ${E}`,
  );
  rows.calms_link_mails = await forgetLinkMails(db, person);
  rows.audit_log += await rewriteAuditDetails(db, person, p);
  return rows;
}

/**
 * Survey links waiting to be mailed hold the address sealed (ADR 0024), so it is found by opening each: there are
 * few (rows are wiped when a link is used or its round closes). The row goes, and with it any reminder; the link
 * itself stays and can still be answered, since nothing in it names the person.
 */
async function forgetLinkMails(db: Db, person: Person): Promise<number> {
  if (!person.emails.size) return 0;
  const sealed = await db
    .select({ id: calmsLinkMails.linkId, email: calmsLinkMails.emailSealed })
    .from(calmsLinkMails);
  if (!sealed.length) return 0;
  const key = secretKey(process.env, "to erase people from survey mails");
  const ids = sealed.filter((r) => person.emails.has(normaliseIdentity(open(r.email, key)))).map((r) => r.id);
  if (!ids.length) return 0;
  await db.delete(calmsLinkMails).where(inArray(calmsLinkMails.linkId, ids));
  return ids.length;
}

/** A refused address can appear in a delivery's last error ("550 … alice@example.com"). */
async function rewriteErrors(db: Db, person: Person, erasure: string): Promise<number> {
  if (!person.emails.size) return 0;
  const found = await queryRows<{ id: number; last_error: string }>(
    db,
    sql`select id, last_error from report_deliveries
        where last_error is not null and exists (
          select 1 from jsonb_array_elements_text(${jsonList(person.emails)}) e where strpos(lower(last_error), e) > 0)`,
  );
  for (const row of found) {
    let text = row.last_error;
    for (const e of person.emails) text = text.replace(addressPattern(e), erasure);
    await db.update(reportDeliveries).set({ lastError: text }).where(eq(reportDeliveries.id, row.id));
  }
  return found.length;
}

/** Audit details and targets are free-form: any string in them that is one of the person's values is replaced. */
async function rewriteAuditDetails(db: Db, person: Person, p: Pseudonyms): Promise<number> {
  const all = new Map<string, string>();
  for (const m of [p.name, p.login, p.email]) for (const [v, ps] of m) all.set(normaliseIdentity(v), ps);
  for (const e of person.emails) all.set(e, p.email.get(e) ?? p.erasure);
  if (!all.size) return 0;
  const found = await queryRows<{ id: number; target: string | null; details: Record<string, unknown> }>(
    db,
    sql`select id, target, details from audit_log where exists (
          select 1 from jsonb_array_elements_text(${jsonList(all.keys())}) v
          where strpos(lower(details::text), v) > 0 or strpos(lower(coalesce(target, '')), v) > 0)`,
  );
  let changed = 0;
  const swap = (s: string) => {
    const n = normaliseIdentity(s);
    if (all.has(n)) return all.get(n) as string;
    for (const e of person.emails) if (addressPattern(e).test(n)) return p.erasure;
    return s;
  };
  const walk = (v: unknown): unknown =>
    typeof v === "string"
      ? swap(v)
      : Array.isArray(v)
        ? v.map(walk)
        : v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
          : v;
  for (const row of found) {
    const details = walk(row.details) as Record<string, unknown>;
    const target = row.target === null ? null : swap(row.target);
    if (JSON.stringify(details) === JSON.stringify(row.details) && target === row.target) continue;
    await db.update(auditLog).set({ details, target }).where(eq(auditLog.id, row.id));
    changed++;
  }
  return changed;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The address as a whole word: erasing a@example.com leaves ba@example.com alone. */
const addressPattern = (e: string) => new RegExp(`(?<![\\w.+-])${escapeRegExp(e)}(?![\\w.-])`, "gi");
