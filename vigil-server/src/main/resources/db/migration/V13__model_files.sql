-- Model bodies move out of the database into files named by their SHA-256 under the data
-- directory: a row names its file. Rows stored before keep their body in model_chunks.
ALTER TABLE models ADD COLUMN body_sha256 VARCHAR(64);
ALTER TABLE models ADD COLUMN body_bytes BIGINT;
