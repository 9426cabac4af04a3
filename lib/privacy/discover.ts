import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { isPseudonym, normaliseIdentity } from "./pseudonym";

/**
 * Everything that names one person, starting from the e-mail address or login a request gives. A commit that carries
 * both an e-mail and a login links them (GitHub attributes a commit to an account by its verified e-mail), so the
 * search follows those links until nothing new turns up: erasing alice@example.com also erases the login `alice`
 * her commits were attributed to, and the other addresses that login committed with. Names are collected from the
 * rows found, never followed: two people may share a name, not an address.
 */
export interface Person {
  /** Lower-cased, as queries compare them. */
  emails: Set<string>;
  logins: Set<string>;
  /** Values as stored (every casing met), to rewrite by exact match. */
  raw: { email: Set<string>; login: Set<string>; name: Set<string> };
  /** Sign-in subjects (`oidc:…`, `github:…`) of the person's sessions and audit entries. */
  subjects: Set<string>;
}

export const jsonList = (values: Iterable<unknown>) => sql`${JSON.stringify([...values])}::jsonb`;
export const inList = (values: Iterable<string>) =>
  sql`(select jsonb_array_elements_text(${jsonList(values)}))`;

/** A "who" column (`Name <email>`, a login, a name) that names the person. */
export function namesPerson(column: SQL, person: Person, names: Iterable<string>) {
  const exact = [...person.emails, ...person.logins, ...[...names].map(normaliseIdentity)];
  return sql`(lower(trim(${column})) in ${inList(exact)}
    or exists (select 1 from jsonb_array_elements_text(${jsonList(person.emails)}) e
               where strpos(lower(${column}), '<' || e || '>') > 0))`;
}

const MAX_ROUNDS = 20;

export async function discoverPerson(db: Db, start: { email?: string; login?: string }): Promise<Person> {
  const emails = new Set<string>(start.email ? [normaliseIdentity(start.email)] : []);
  const logins = new Set<string>(start.login ? [normaliseIdentity(start.login)] : []);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const links = await queryRows<{ email: string; login: string | null }>(
      db,
      sql`select distinct lower(author_email) as email, lower(author_login) as login from commits
          where lower(author_email) in ${inList(emails)} or lower(author_login) in ${inList(logins)}`,
    );
    const before = emails.size + logins.size;
    for (const l of links) {
      if (l.email && !isPseudonym(l.email)) emails.add(normaliseIdentity(l.email));
      if (l.login && !isPseudonym(l.login)) logins.add(normaliseIdentity(l.login));
    }
    if (emails.size + logins.size === before) break;
  }
  const E = inList(emails);
  const L = inList(logins);
  const rows = await queryRows<{ kind: "email" | "login" | "name"; value: string }>(
    db,
    sql`select 'email' as kind, author_email as value from commits where lower(author_email) in ${E}
        union select 'login', author_login from commits where lower(author_login) in ${L}
        union select 'name', author_name from commits
          where author_name <> '' and (lower(author_email) in ${E} or lower(author_login) in ${L})
        union select 'login', author_login from pull_requests where lower(author_login) in ${L}
        union select 'login', r from pull_requests, unnest(reviewer_logins) r where lower(r) in ${L}
        union select case when handle like '%@%' then 'email' else 'login' end, handle from team_members
          where handle in ${E} or handle in ${L}
        union select 'name', display_name from team_members
          where display_name <> '' and (handle in ${E} or handle in ${L})
        union select 'name', name from sessions where lower(email) in ${E}`,
  );
  const raw = { email: new Set<string>(), login: new Set<string>(), name: new Set<string>() };
  for (const r of rows) {
    if (!r.value || isPseudonym(r.value)) continue;
    raw[r.kind].add(r.value);
  }
  const person: Person = { emails, logins, raw, subjects: new Set() };
  const subjects = await queryRows<{ subject: string }>(
    db,
    sql`select subject from sessions where lower(email) in ${E}
        union select actor_subject from audit_log where ${namesPerson(sql.raw("actor"), person, [])}`,
  );
  // Only a person's own sign-in identifies them; `cli`, `token:…` and the local `password:admin` are shared. Found
  // by address or login only: a name alone could be someone else's, and their sessions would end.
  for (const s of subjects) if (/^(oidc|github):/.test(s.subject)) person.subjects.add(s.subject);
  return person;
}
