-- Sanctions and watch-list screening: every installed list version (its file kept, so the live
-- version is rebuilt at start-up), the people screened, hits with evidence, reviewers' false
-- positives, and country exemptions (proposed by one operator, approved by another).
CREATE TABLE screening_list_versions (
  list_name        TEXT   NOT NULL,
  version          BIGINT NOT NULL,
  format           TEXT   NOT NULL,
  entry_count      INT    NOT NULL,
  threshold        DOUBLE PRECISION NOT NULL,
  loaded_at_millis BIGINT NOT NULL,
  loaded_by        TEXT   NOT NULL,
  content_sha256   TEXT   NOT NULL,
  content          BYTEA  NOT NULL,
  PRIMARY KEY (list_name, version)
);

CREATE TABLE screening_subjects (
  subject_id        TEXT   PRIMARY KEY,
  name              TEXT   NOT NULL,
  country           TEXT,
  date_of_birth     DATE,
  id_number         TEXT,
  updated_at_millis BIGINT NOT NULL
);

CREATE TABLE screening_hits (
  hit_id          BIGSERIAL PRIMARY KEY,
  subject_id      TEXT   NOT NULL,
  party           TEXT   NOT NULL,
  screened_name   TEXT   NOT NULL,
  list_name       TEXT   NOT NULL,
  list_version    BIGINT NOT NULL,
  entry_id        TEXT   NOT NULL,
  entry_name      TEXT   NOT NULL,
  entry_hash      TEXT   NOT NULL,
  score           DOUBLE PRECISION NOT NULL,
  evidence        TEXT   NOT NULL,
  source          TEXT   NOT NULL,
  event_id        TEXT,
  found_at_millis BIGINT NOT NULL,
  false_positive  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX screening_hits_subject ON screening_hits (subject_id, hit_id);

CREATE TABLE screening_suppressions (
  subject_id       TEXT   NOT NULL,
  list_name        TEXT   NOT NULL,
  entry_id         TEXT   NOT NULL,
  entry_hash       TEXT   NOT NULL,
  marked_by        TEXT   NOT NULL,
  marked_at_millis BIGINT NOT NULL,
  PRIMARY KEY (subject_id, list_name, entry_id)
);

CREATE TABLE screening_exemptions (
  exemption_id       BIGSERIAL PRIMARY KEY,
  entity_kind        TEXT   NOT NULL CHECK (entity_kind IN ('account', 'merchant')),
  entity_id          TEXT   NOT NULL,
  country            TEXT   NOT NULL,
  reason             TEXT   NOT NULL,
  status             TEXT   NOT NULL CHECK (status IN ('proposed', 'approved')),
  proposed_by        TEXT   NOT NULL,
  proposed_at_millis BIGINT NOT NULL,
  approved_by        TEXT,
  approved_at_millis BIGINT
);
