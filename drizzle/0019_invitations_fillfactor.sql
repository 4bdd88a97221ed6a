-- An invitation is updated three or four times in its life (sent, opened, reminded, answered), none of them in an
-- indexed column, but campaigns insert invitations a thousand at a time into full pages: with no room on the page an
-- update cannot stay on it (HOT), and each one then writes a new entry into all seven of the table's indexes. A fifth
-- of every page is now left free for those updates; pages written before this keep their layout until rewritten.
ALTER TABLE "invitations" SET (fillfactor = 80);
