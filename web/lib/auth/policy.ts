// Who may call each API route and open each page: one table, checked on the server for every
// request (api/index.ts for the API, hooks.server.ts for pages and their data). A route or page
// missing here is refused to everyone, and test/access.test.ts fails until it is added.
// Finer rules (an agent sees only their own calls, a team-scoped reviewer only their teams) are
// the routes' own, in scope.ts.
import { can, type Permission, type Role } from './roles.ts';

/**
 * public: anyone, signed in or not; signed-in: any account; internal: the CLI's token
 * (<db>.server.json); a permission, or a list of which any one suffices.
 */
export type Access = 'public' | 'signed-in' | 'internal' | Permission | readonly Permission[];

const QA_READ = ['qa.review', 'qa.reports', 'qa.own'] as const;

/** `METHOD /api/path` as Hono writes its routes. */
export const API_POLICY: Record<string, Access> = {
  'GET /api/health': 'public',
  'GET /api/health/live': 'public',
  'GET /api/openapi.json': 'signed-in',
  'GET /api/session': 'public',
  'POST /api/session': 'public',
  'DELETE /api/session': 'public',
  'PUT /api/session/password': 'signed-in',
  'POST /api/internal/sql': 'internal',
  'POST /api/internal/ingest': 'internal',
  'POST /api/internal/users': 'internal',
  'GET /api/users': 'users.manage',
  'POST /api/users': 'users.manage',
  'PATCH /api/users/:username': 'users.manage',
  'PUT /api/users/:username/password': 'users.manage',
  'GET /api/audit': 'audit.view',
  'GET /api/metrics': 'dashboards',
  'GET /api/metrics/:name': 'dashboards',
  'GET /api/overview': 'dashboards',
  'GET /api/stars': ['dashboards', 'stars.view'],
  'PUT /api/stars/weights': 'stars.publish',
  'GET /api/targets': 'dashboards',
  'PUT /api/targets/calendar': 'targets.edit',
  'PUT /api/targets/:id': 'targets.edit',
  'GET /api/qa/scorecard': ['qa.review', 'qa.reports', 'scorecard.edit'],
  'GET /api/qa/scorecards/:id/:version': QA_READ,
  'PUT /api/qa/scorecard': 'scorecard.edit',
  'GET /api/qa/reviewers': ['qa.review', 'qa.reports'],
  'GET /api/qa/samples': ['qa.review', 'qa.reports'],
  'POST /api/qa/samples': 'qa.review',
  'GET /api/qa/samples/:id': ['qa.review', 'qa.reports'],
  'GET /api/qa/queue': 'qa.review',
  'GET /api/qa/calls/:id': QA_READ,
  'GET /api/qa/calls/:id/audio': 'recording.listen',
  'GET /api/qa/calls/:id/redactions/:seq/:span': 'transcript.unredacted',
  'POST /api/qa/reviews': 'qa.review',
  'GET /api/qa/reviews/:id': QA_READ,
  'POST /api/qa/reviews/:id/disputes': 'qa.own',
  'GET /api/qa/disputes': ['qa.arbitrate', 'qa.reports', 'qa.own'],
  'POST /api/qa/disputes/:id/decision': 'qa.arbitrate',
  'POST /api/qa/auto/run': 'qa.review',
  'GET /api/qa/agreement/auto': ['qa.review', 'qa.reports'],
  'GET /api/qa/calibrations': 'qa.review',
  'POST /api/qa/calibrations': 'qa.review',
  'GET /api/qa/calibrations/:id': 'qa.review',
  'POST /api/sql': 'workbench',
  'POST /api/sql/cancel': 'workbench',
  'POST /api/sql/export': 'workbench',
  'GET /api/sql/schema': 'workbench',
  'GET /api/sql/examples': 'workbench',
  'GET /api/sql/saved': 'workbench',
  'POST /api/sql/saved': 'workbench',
  'GET /api/sql/saved/:id': 'workbench',
  'DELETE /api/sql/saved/:id': 'workbench',
  'GET /api/complaints/taxonomy': 'complaints.view',
  'PUT /api/complaints/taxonomy': 'taxonomy.edit',
  'POST /api/complaints/classify': 'taxonomy.edit',
  'GET /api/complaints/metrics': 'complaints.view',
  'GET /api/complaints/metrics/:name': 'complaints.view',
  'POST /api/complaints/:ticket/label': 'complaints.label',
  'POST /api/complaints/:ticket/callback': 'complaints.callback',
  'GET /api/complaints/:ticket': 'complaints.view'
};

/** SvelteKit route ids (folders under web/routes). */
export const PAGE_POLICY: Record<string, Access> = {
  '/login': 'public',
  '/account': 'signed-in',
  '/': 'dashboards',
  '/dashboard': 'dashboards',
  '/dashboard/calls': 'dashboards',
  '/targets': 'dashboards',
  '/targets/tickets': 'dashboards',
  '/attendance': 'dashboards',
  '/stars': 'dashboards',
  '/stars/poster': 'stars.view',
  '/qa': 'qa.review',
  '/qa/review/[call]': QA_READ,
  '/qa/agent': ['qa.own', 'qa.reports'],
  '/qa/disputes': ['qa.arbitrate', 'qa.reports'],
  '/qa/calibration': 'qa.review',
  '/qa/reports': 'qa.reports',
  '/qa/scorecard': ['qa.review', 'qa.reports', 'scorecard.edit'],
  '/complaints': 'complaints.view',
  '/complaints/list': 'complaints.view',
  '/complaints/monthly': 'complaints.view',
  '/complaints/taxonomy': 'complaints.view',
  '/complaints/[ticket]': 'complaints.view',
  '/sql': 'workbench',
  '/admin': 'users.manage',
  '/admin/audit': 'audit.view'
};

export type Decision = 'allow' | 'sign-in' | 'forbidden' | 'internal';

/** What to do with a request for a route with this access, from this role (null: signed out). */
export function decide(access: Access | undefined, role: Role | null): Decision {
  if (access === undefined) return 'forbidden'; // not in the table: nobody
  if (access === 'public') return 'allow';
  if (access === 'internal') return 'internal';
  if (!role) return 'sign-in';
  if (access === 'signed-in') return 'allow';
  const wanted = typeof access === 'string' ? [access] : access;
  return wanted.some((p) => can(role, p)) ? 'allow' : 'forbidden';
}
