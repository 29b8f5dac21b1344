-- Every reference-data set Vigil has loaded (geo and ASN databases, reputation lists, phone
-- prefixes, BIN table, e-mail domain lists, region graph, payment codes). A decision's response
-- records the set it used as reference_version; this table says what that set was.
CREATE TABLE reference_versions (
  version             BIGINT        NOT NULL PRIMARY KEY,
  loaded_at_millis    BIGINT        NOT NULL,
  loaded_by           VARCHAR(128)  NOT NULL,
  components          VARCHAR(20000) NOT NULL
);
