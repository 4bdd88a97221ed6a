ALTER TABLE "cases" ADD COLUMN "overdue_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "callback_at" timestamp with time zone;