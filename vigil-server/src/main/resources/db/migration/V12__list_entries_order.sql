-- List entries are paged and exported newest first (created_at_millis DESC, id): this index lets a
-- page start at its cursor instead of sorting a list of up to a million entries for every page.
CREATE INDEX list_entries_created ON list_entries (created_at_millis DESC, id);
