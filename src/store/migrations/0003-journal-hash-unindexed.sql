-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- The journal without the unique index on its hashes. Each hash covers
-- the previous one and its own sequence number, so the chain keeps them
-- distinct and `journal verify` checks them all; the index only cost
-- every sale a write at a random place in a large B-tree. SQLite cannot
-- drop a constraint's index, so the table is built again, with its
-- rules as migration 1 wrote them. Dropping a table fires no delete
-- trigger.

CREATE TABLE journal_without_hash_index (
  sequence      INTEGER PRIMARY KEY CHECK (sequence >= 1),
  created_at    TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
  kind          TEXT NOT NULL CHECK (kind <> '' AND kind NOT GLOB '*[^a-z0-9._-]*'),
  payload       TEXT NOT NULL CHECK (json_valid (payload)),
  previous_hash TEXT NOT NULL CHECK (length (previous_hash) = 64),
  hash          TEXT NOT NULL CHECK (length (hash) = 64)
) STRICT;

INSERT INTO journal_without_hash_index (sequence, created_at, kind, payload, previous_hash, hash)
  SELECT sequence, created_at, kind, payload, previous_hash, hash FROM journal ORDER BY sequence;

DROP TABLE journal;
ALTER TABLE journal_without_hash_index RENAME TO journal;

-- INSERT OR REPLACE deletes without firing delete triggers, so the
-- insert itself must be the next link of the chain.
CREATE TRIGGER journal_append_only BEFORE INSERT ON journal
WHEN NEW.sequence IS NOT (SELECT coalesce (max (sequence), 0) + 1 FROM journal)
  OR NEW.previous_hash IS NOT coalesce ((SELECT hash FROM journal ORDER BY sequence DESC LIMIT 1),
                                        '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN SELECT RAISE (ABORT, 'journal entries are only appended, in sequence'); END;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE (ABORT, 'journal entries cannot be changed'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE (ABORT, 'journal entries cannot be deleted'); END;
