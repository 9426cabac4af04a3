import { runJob } from "@/lib/jobs/run";
import { main } from "./lib/cli";

/** npm run db:migrate — applies drizzle/ migrations to DATABASE_URL or to the embedded database. */
main(async () => {
  await runJob("db:migrate", {});
});
