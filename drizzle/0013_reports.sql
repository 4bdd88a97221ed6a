-- Reserved for this room's tables; replace this line with the migration.
SELECT 1;
