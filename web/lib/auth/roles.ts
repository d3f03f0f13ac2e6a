// Roles and what each may do. Routes and pages ask for a permission (policy.ts), never for a
// role, so that what a role may do is read here in one place.
export const ROLES = ['admin', 'manager', 'reviewer', 'analyst', 'agent', 'callback'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'dashboards', // overview, KPI dashboard, attendance, targets and star list (read), complaint analysis
  'complaints.view', // complaint analysis, lists and tickets
  'complaints.callback', // record a complaint callback's result (回访)
  'complaints.label', // confirm or correct a complaint's root cause
  'taxonomy.edit', // the root-cause taxonomy
  'targets.edit', // SLA targets and the work calendar
  'stars.view', // the published star list (poster)
  'stars.publish', // the star list's weights
  'qa.review', // sampling, the reviewer's queue, reviews, calibration, auto-QA runs
  'qa.reports', // every reviewer's reviews and the QA reports
  'qa.arbitrate', // decide disputes
  'qa.own', // an agent's own reviews and calls, and disputing them
  'scorecard.edit', // scorecard versions
  'recording.listen', // play a call recording
  'transcript.unredacted', // see a personal number that transcription redacted
  'workbench', // the SQL workbench and its exports
  'users.manage', // accounts
  'audit.view' // the audit trail
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  manager: ['dashboards', 'complaints.view', 'complaints.label', 'stars.view', 'stars.publish', 'qa.reports', 'qa.arbitrate', 'recording.listen'],
  reviewer: ['qa.review', 'qa.reports', 'recording.listen', 'stars.view'],
  analyst: ['dashboards', 'complaints.view', 'complaints.label', 'stars.view', 'qa.reports', 'workbench'],
  agent: ['qa.own', 'stars.view'],
  callback: ['complaints.view', 'complaints.callback', 'stars.view']
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role];
}

/** Where a role lands after signing in (and when it opens a page it may not see from the menu). */
export function homeOf(role: Role): string {
  switch (role) {
    case 'agent':
      return '/qa/agent';
    case 'reviewer':
      return '/qa';
    case 'callback':
      return '/complaints/list';
    default:
      return '/';
  }
}
