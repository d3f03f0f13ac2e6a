-- Accounts, sessions, the audit trail and the vault of redacted originals. They live in their own
-- schema, "restricted", which the SQL workbench cannot name (it reads schema main only): password
-- hashes, session tokens, who looked at what, and personal numbers are not analysts' data.
-- Additive only; every statement is idempotent.

CREATE SCHEMA IF NOT EXISTS restricted;

CREATE TABLE IF NOT EXISTS restricted.users (
  username             VARCHAR PRIMARY KEY,
  display_name         VARCHAR NOT NULL,
  role                 VARCHAR NOT NULL,
  agent_id             VARCHAR,
  teams                VARCHAR[],
  password_hash        VARCHAR NOT NULL,
  must_change_password BOOLEAN NOT NULL DEFAULT false,
  disabled             BOOLEAN NOT NULL DEFAULT false,
  failed_attempts      INTEGER NOT NULL DEFAULT 0,
  locked_until         TIMESTAMPTZ,
  created_at           TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  password_changed_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  CHECK (role IN ('admin', 'manager', 'reviewer', 'analyst', 'agent', 'callback')),
  CHECK (role <> 'agent' OR agent_id IS NOT NULL)
);
COMMENT ON TABLE restricted.users IS '账号 — local accounts that sign in to zhijian; the role decides what each may see and change.';
COMMENT ON COLUMN restricted.users.username IS 'Sign-in name; also the name recorded as the actor of reviews, disputes and changes.';
COMMENT ON COLUMN restricted.users.display_name IS 'Name shown in the product (e.g. 王芳).';
COMMENT ON COLUMN restricted.users.role IS 'admin, manager, reviewer (QA), analyst, agent, callback (complaint callback specialist).';
COMMENT ON COLUMN restricted.users.agent_id IS 'For agents: their 工号 (agents.agent_id); they see only their own calls and reviews.';
COMMENT ON COLUMN restricted.users.teams IS 'Teams (teams.team_id) a manager or reviewer is limited to; NULL = every team.';
COMMENT ON COLUMN restricted.users.password_hash IS 'scrypt hash: scrypt$N$r$p$salt$hash (base64). The password itself is never stored.';
COMMENT ON COLUMN restricted.users.must_change_password IS 'true for a generated or reset password: the account page asks for a new one.';
COMMENT ON COLUMN restricted.users.disabled IS 'A disabled account cannot sign in; its sessions end.';
COMMENT ON COLUMN restricted.users.failed_attempts IS 'Wrong passwords in a row since the last successful sign-in.';
COMMENT ON COLUMN restricted.users.locked_until IS 'After repeated failures sign-in is refused until this time.';
COMMENT ON COLUMN restricted.users.created_at IS 'When the account was made.';
COMMENT ON COLUMN restricted.users.password_changed_at IS 'When the password was last set; sessions older than this end.';

CREATE TABLE IF NOT EXISTS restricted.sessions (
  token_sha256 VARCHAR PRIMARY KEY,
  username     VARCHAR NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  expires_at   TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE restricted.sessions IS '会话 — signed-in browsers and scripts; the cookie holds a random token, only its SHA-256 is kept.';
COMMENT ON COLUMN restricted.sessions.token_sha256 IS 'SHA-256 (hex) of the session token in the cookie.';
COMMENT ON COLUMN restricted.sessions.username IS 'Who signed in (restricted.users.username).';
COMMENT ON COLUMN restricted.sessions.created_at IS 'When they signed in (or changed their password in this session); a session older than the password ends.';
COMMENT ON COLUMN restricted.sessions.expires_at IS 'When the session ends unless they sign out first.';

CREATE SEQUENCE IF NOT EXISTS restricted.audit_seq;
CREATE TABLE IF NOT EXISTS restricted.audit_log (
  audit_id BIGINT PRIMARY KEY DEFAULT nextval('restricted.audit_seq'),
  occurred_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  actor    VARCHAR NOT NULL,
  action   VARCHAR NOT NULL,
  target   VARCHAR NOT NULL,
  before   JSON,
  after    JSON
);
COMMENT ON TABLE restricted.audit_log IS '审计日志 — every review, score change, dispute step, scorecard, target and account change, and every recording or unredacted-text access. Written in the same transaction as the change; the product has no way to edit it.';
COMMENT ON COLUMN restricted.audit_log.audit_id IS 'Order of the records.';
COMMENT ON COLUMN restricted.audit_log.occurred_at IS 'When it happened.';
COMMENT ON COLUMN restricted.audit_log.actor IS 'Who did it (a username, or cli:<os user> for the command line).';
COMMENT ON COLUMN restricted.audit_log.action IS 'What was done, e.g. review.submit, dispute.decide, scorecard.save, target.update, user.add, recording.listen.';
COMMENT ON COLUMN restricted.audit_log.target IS 'What it was done to, e.g. review:12, call:C2026…, user:wangfang.';
COMMENT ON COLUMN restricted.audit_log.before IS 'The state before the change (JSON), null for a new thing or an access.';
COMMENT ON COLUMN restricted.audit_log.after IS 'The state after the change (JSON), or what was accessed.';

CREATE TABLE IF NOT EXISTS restricted.redaction_vault (
  call_id    VARCHAR NOT NULL,
  seq        INTEGER NOT NULL,
  span       INTEGER NOT NULL,
  kind       VARCHAR NOT NULL,
  iv         BLOB NOT NULL,
  ciphertext BLOB NOT NULL,
  auth_tag   BLOB NOT NULL,
  PRIMARY KEY (call_id, seq, span)
);
COMMENT ON TABLE restricted.redaction_vault IS '脱敏原文 — the personal numbers that transcription replaced by tags, encrypted (AES-256-GCM) with the key file beside the warehouse; shown only to accounts allowed to, each view audited.';
COMMENT ON COLUMN restricted.redaction_vault.call_id IS 'The utterance''s call (utterances.call_id).';
COMMENT ON COLUMN restricted.redaction_vault.seq IS 'The utterance (utterances.seq).';
COMMENT ON COLUMN restricted.redaction_vault.span IS 'Which redaction of the utterance (index into utterances.redactions).';
COMMENT ON COLUMN restricted.redaction_vault.kind IS 'phone, id_card, bank_card, email.';
COMMENT ON COLUMN restricted.redaction_vault.iv IS 'AES-GCM nonce.';
COMMENT ON COLUMN restricted.redaction_vault.ciphertext IS 'The original text, encrypted.';
COMMENT ON COLUMN restricted.redaction_vault.auth_tag IS 'AES-GCM authentication tag.';
