-- Custom migration (issue 10): derive's rules changed (release lines, bounded rollbacks and reverts, negative
-- durations), and the new derived columns are empty: every repository derives again on the next start or sync.
UPDATE "repositories" SET "needs_derive" = true;
