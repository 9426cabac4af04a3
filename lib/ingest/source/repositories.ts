import type { Db } from "@/lib/db";
import { repositories } from "@/lib/db/schema";
import type { Source } from "@/lib/domain/vocabulary";
import { repositoryIds, upsertRepositories } from "@/lib/ingest/store";

/**
 * Repositories named by a source that is not a code host (a Jenkins job's git remote, an incident tool's rules).
 * A name from a remote may differ in case from the one GitHub reported (`acme/payments-api` vs
 * `acme/Payments-API`): it resolves to the stored spelling, so that both sources write one repository.
 */
export class RepositoryNames {
  private constructor(private readonly byLower: Map<string, string>) {}

  static async load(db: Db): Promise<RepositoryNames> {
    const rows = await db.select({ name: repositories.fullName }).from(repositories);
    return new RepositoryNames(new Map(rows.map((r) => [r.name.toLowerCase(), r.name])));
  }

  resolve(name: string): string {
    const known = this.byLower.get(name.toLowerCase());
    if (known) return known;
    this.byLower.set(name.toLowerCase(), name);
    return name;
  }
}

/** Creates the repositories that do not exist yet (inside the caller's transaction) and returns name → id. */
export async function ensureRepositories(
  db: Db,
  source: Source,
  names: readonly string[],
): Promise<Map<string, number>> {
  const unique = [...new Set(names)];
  if (!unique.length) return new Map();
  await upsertRepositories(
    db,
    unique.map((fullName) => ({ fullName, source })),
  );
  return repositoryIds(db, unique);
}
