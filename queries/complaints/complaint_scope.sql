-- name: complaint_scope
-- description.zh: 投诉范围：区间内受理、符合原因大类与责任部门筛选的投诉（每个投诉图表计数的对象，各图表都以它为基础）
-- description.en: The complaints in scope: those opened in the range that match the cause-group and department filters (what every complaint chart counts; each of them reads these rows)
-- formula.zh: complaint_facts 中受理时间在 from 当天 0 点（中心时区）至 to 次日 0 点之前、原因大类为 cause_group、责任部门为 department 的投诉；留空的条件不筛选
-- formula.en: the complaints of complaint_facts opened from midnight (center's zone) of from until midnight after to, whose cause group is cause_group and responsible department is department; an empty condition does not filter
-- unit: table
-- params:
--   from date null
--   to date null
--   cause_group text null
--   department text null
SELECT * FROM complaint_facts
WHERE ($from::DATE IS NULL OR opened_at >= $from::DATE::TIMESTAMPTZ)
  AND ($to::DATE IS NULL OR opened_at < ($to::DATE + 1)::TIMESTAMPTZ)
  AND ($cause_group::VARCHAR IS NULL OR cause_group = $cause_group::VARCHAR)
  AND ($department::VARCHAR IS NULL OR department = $department::VARCHAR)
