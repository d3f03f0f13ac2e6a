-- Transcription jobs: one row per recording file. Additive only; every statement is idempotent.

CREATE TABLE IF NOT EXISTS transcription_jobs (
  recording     VARCHAR PRIMARY KEY,
  recording_id  VARCHAR NOT NULL,
  call_id       VARCHAR,
  status        VARCHAR NOT NULL DEFAULT 'pending',
  attempts      INTEGER NOT NULL DEFAULT 0,
  error         VARCHAR,
  audio_s       DOUBLE,
  processing_s  DOUBLE,
  model         VARCHAR,
  language      VARCHAR,
  channels      TINYINT,
  audio_format  VARCHAR,
  utterances    INTEGER,
  transcript    VARCHAR,
  started_at    TIMESTAMPTZ,
  finished_at   TIMESTAMPTZ,
  CHECK (status IN ('pending', 'running', 'done', 'failed'))
);
COMMENT ON TABLE transcription_jobs IS '转写任务 — one transcription job per recording file; reruns skip done jobs and resume running ones.';
COMMENT ON COLUMN transcription_jobs.recording IS 'Recording file, relative to the recordings folder (matches calls.recording).';
COMMENT ON COLUMN transcription_jobs.recording_id IS 'File name without extension; PBXs name recordings by the call''s unique id. Utterances of an unmatched recording are stored under it.';
COMMENT ON COLUMN transcription_jobs.call_id IS 'The call (calls.call_id) whose record names this file; null while no call record names it (unmatched).';
COMMENT ON COLUMN transcription_jobs.status IS 'pending, running (or interrupted), done, failed.';
COMMENT ON COLUMN transcription_jobs.attempts IS 'How many times the job was started.';
COMMENT ON COLUMN transcription_jobs.error IS 'Why the last attempt failed (unreadable audio, whisper.cpp exit code and message).';
COMMENT ON COLUMN transcription_jobs.audio_s IS 'Length of the recording in seconds.';
COMMENT ON COLUMN transcription_jobs.processing_s IS 'Wall seconds the last attempt took (decoding, whisper.cpp, storing).';
COMMENT ON COLUMN transcription_jobs.model IS 'Whisper model file name used.';
COMMENT ON COLUMN transcription_jobs.language IS 'Language asked for (zh, en, auto) or detected.';
COMMENT ON COLUMN transcription_jobs.channels IS 'Audio channels: 2 = stereo, agent and customer apart; 1 = mono, speaker unknown.';
COMMENT ON COLUMN transcription_jobs.audio_format IS 'What the file holds, e.g. WAV μ-law 8000 Hz stereo.';
COMMENT ON COLUMN transcription_jobs.utterances IS 'Utterances stored.';
COMMENT ON COLUMN transcription_jobs.transcript IS 'Transcript JSON file written.';
COMMENT ON COLUMN transcription_jobs.started_at IS 'When the last attempt started.';
COMMENT ON COLUMN transcription_jobs.finished_at IS 'When the last attempt ended.';

ALTER TABLE utterances ADD COLUMN IF NOT EXISTS overlap BOOLEAN DEFAULT false;
COMMENT ON COLUMN utterances.overlap IS 'Spoken while the other party was speaking (interruption or crosstalk); stereo recordings only.';
