-- Anonymity of employee (eNPS) answers, for data stored before the rule held everywhere.
-- 1. Used employee links forget whom they were sent to, and when they were opened.
UPDATE invitations i SET employee_id = NULL, opened_at = NULL
FROM surveys s
WHERE s.org_id = i.org_id AND s.id = i.survey_id AND s.audience = 'employee' AND i.status = 'answered'
  AND (i.employee_id IS NOT NULL OR i.opened_at IS NOT NULL);
--> statement-breakpoint
-- 2. The messages that carried those links lose the invitation, the key that names it and the body that holds the
-- token (whose hash finds the invitation); one not yet sent is not sent.
UPDATE messages m SET invitation_id = NULL, dedupe_key = 'used-employee-link:' || m.id::text,
  body_text = '', body_html = NULL,
  status = CASE WHEN m.status IN ('queued', 'held') THEN 'failed' ELSE m.status END,
  last_error = CASE WHEN m.status IN ('queued', 'held') THEN 'The link was used before this message went out'
    ELSE m.last_error END
FROM invitations i JOIN surveys s ON s.org_id = i.org_id AND s.id = i.survey_id
WHERE m.org_id = i.org_id AND m.invitation_id = i.id AND s.audience = 'employee' AND i.status = 'answered';
--> statement-breakpoint
-- 3. An employee survey's answer kept with the customers' (with an instant, a person or an invitation) becomes an
-- anonymous one with only its local day, and the per-employee rollups of employee surveys go.
INSERT INTO employee_responses (org_id, survey_id, unit_id, score, reason, locale, answered_on)
SELECT r.org_id, r.survey_id, r.unit_id, r.score, r.reason, r.locale, (r.answered_at AT TIME ZONE o.time_zone)::date
FROM responses r
JOIN surveys s ON s.org_id = r.org_id AND s.id = r.survey_id
JOIN orgs o ON o.id = r.org_id
WHERE s.audience = 'employee';
--> statement-breakpoint
DELETE FROM responses r USING surveys s
WHERE s.org_id = r.org_id AND s.id = r.survey_id AND s.audience = 'employee';
--> statement-breakpoint
DELETE FROM nps_daily_employee d USING surveys s
WHERE s.org_id = d.org_id AND s.id = d.survey_id AND s.audience = 'employee';
--> statement-breakpoint
DELETE FROM nps_monthly_employee d USING surveys s
WHERE s.org_id = d.org_id AND s.id = d.survey_id AND s.audience = 'employee';
--> statement-breakpoint
-- 4. Theme tags of employee answers keep the answer's day, not the instant the tagging ran.
UPDATE answer_tags SET tagged_at = day::timestamptz WHERE audience = 'employee';
