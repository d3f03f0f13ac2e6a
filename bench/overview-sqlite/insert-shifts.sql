INSERT INTO shifts (agent_id, shift_date, shift_code, starts_at, ends_at) VALUES (?, ?, ?, ?, ?)
