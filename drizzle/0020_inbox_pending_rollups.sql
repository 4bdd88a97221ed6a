-- Under a burst the answer writer leaves an answer's addition to the rollups to the loop sweep, which takes it from
-- the inbox with the answer: the score to add (the first one; an amendment corrects the rollups itself, and the two
-- additions commute). NULL: already counted (the answer's own statement added it, or a rebuild counted the answer).
ALTER TABLE "loop_inbox" ADD COLUMN "rollup_score" smallint;--> statement-breakpoint
ALTER TABLE "loop_inbox" ADD CONSTRAINT "loop_inbox_rollup_score_range" CHECK ("rollup_score" between 0 and 10);
