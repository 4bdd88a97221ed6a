-- Key rotation keeps what was sealed working. An invitation's link token is derived from its id under the key in
-- use when it was made; a rotation carries the tokens of links that can still be sent (pending, not expired) into
-- token_enc, sealed under the new key, so reminders after the rotation carry the link the person already has.
ALTER TABLE "invitations" ADD COLUMN "token_enc" text;
--> statement-breakpoint
-- A suppression held only the address's blind index: when the address was nowhere else (an erased customer, an
-- address suppressed by hand), a rotation could not compute its new index and the suppression was lost. The address
-- is now kept sealed beside it, so a rotation re-indexes every suppression.
ALTER TABLE "suppressions" ADD COLUMN "address_enc" text;
