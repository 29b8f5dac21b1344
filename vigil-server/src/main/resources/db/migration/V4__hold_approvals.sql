-- Approvals of HOLD decisions (P2). The hold's terms (approvals required, roles, deadline, expiry
-- action) are in the decision's journaled response; this table holds who approved, as what, when.
CREATE TABLE hold_approvals (
  decision_id          VARCHAR(40)   NOT NULL,
  approver_id          VARCHAR(128)  NOT NULL,
  approver_role        VARCHAR(32)   NOT NULL,
  approved_at_millis   BIGINT        NOT NULL,
  recorded_by          VARCHAR(128)  NOT NULL,
  CONSTRAINT hold_approvals_pk PRIMARY KEY (decision_id, approver_id)
);
