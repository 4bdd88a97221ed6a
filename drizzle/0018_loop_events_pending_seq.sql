-- The dispatcher takes pending loop events in `seq` order, 100 at a time. The pending index was on created_at, so each
-- round read and sorted every pending event: after a burst of 60,000 answers (12,000 detractors, ~40,000 events) a
-- round took longer the bigger the backlog and the closed loop caught up 44 s after the last answer. On `seq`, a round
-- reads its 100 rows.
DROP INDEX IF EXISTS "loop_events_pending_idx";--> statement-breakpoint
CREATE INDEX "loop_events_pending_idx" ON "loop_events" USING btree ("seq") WHERE dispatched_at is null;
