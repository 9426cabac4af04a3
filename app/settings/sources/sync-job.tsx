import { formatInstant } from "@/lib/format";
import type { SyncJobView } from "@/lib/queue/status";

const HEADINGS: Record<SyncJobView["state"], string> = {
  created: "Sync queued",
  retry: "Sync queued again (its worker stopped)",
  active: "Sync in progress",
  completed: "Last sync",
  cancelled: "Last sync cancelled",
  failed: "Last sync failed",
};

/** The newest sync job, as the queue records it (state, worker, last log lines, error). */
export function SyncJobCard({ job, zone }: { job: SyncJobView; zone: string }) {
  return (
    <section className="card card-pad" aria-live="polite">
      <h2 style={{ marginBottom: 8 }}>{HEADINGS[job.state]}</h2>
      <p className="small muted" style={{ marginTop: 0 }}>
        {job.source} ({job.trigger ?? "queued"}), queued {formatInstant(job.createdAt, zone)}
        {job.startedAt ? `, started ${formatInstant(job.startedAt, zone)}` : ""}
        {job.finishedAt ? `, finished ${formatInstant(job.finishedAt, zone)}` : ""}
        {job.worker ? ` on ${job.worker}` : ""}
        {job.attempts > 1 ? ` (attempt ${job.attempts})` : ""}.
      </p>
      {job.error ? <p className="alert alert-error small">{job.error}</p> : null}
      <pre
        className="mono small"
        style={{
          maxHeight: 320,
          overflow: "auto",
          background: "var(--surface-2)",
          padding: 12,
          borderRadius: 6,
          margin: 0,
        }}
      >
        {job.log.join("\n") || (job.state === "created" ? "waiting for a worker…" : "starting…")}
      </pre>
    </section>
  );
}
