import { runWorker } from "@/lib/queue/worker";
import { main } from "./lib/cli";

/** npm run worker — runs queued jobs (syncs, derives, schedules) from DATABASE_URL until stopped (ADR 0016). */
main(() => runWorker());
