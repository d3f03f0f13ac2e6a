// /api/qa: QA inspection (质检) — scorecards, sampling draws, the reviewer's queue, the review
// form (call facts, transcript, recording, auto-QA), reviews, disputes and calibration.
// Who acts is the signed-in user: the reviewer of a review, the agent of a dispute, the
// arbitrator of a decision. Beyond the route's permission (auth/policy.ts), an agent sees only
// their own calls and reviews and a team-scoped user only their teams' (auth/scope.ts).
import fs from 'node:fs';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './index.ts';
import { ApiError } from './errors.ts';
import { currentUser, type ApiEnv } from './env.ts';
import { validate } from './validate.ts';
import { activeScorecard, getScorecard, saveScorecard, scorecardVersions } from '../qa/scorecard.ts';
import { drawRequestSchema, drawSample, listSamples, sampleSummary, SamplingError } from '../qa/sampling.ts';
import { callFacts, recordingPath, reviewerQueue } from '../qa/calls.ts';
import { runAutoQa } from '../qa/auto/run.ts';
import { reviewForm } from '../qa/form.ts';
import { arbitrate, arbitrationSchema, disputesOf, listDisputes, openDispute, ReviewError, reviewInputSchema, reviewVersions, saveReview } from '../qa/reviews.ts';
import { autoHumanAgreement, calibrationInputSchema, calibrationReport, createCalibration, listCalibrations } from '../qa/calibration.ts';
import { audit } from '../auth/audit.ts';
import { mayViewAgent, mayViewCall, ownCallsOnly } from '../auth/scope.ts';
import { reviewerAccounts, type User } from '../auth/users.ts';
import { revealOriginal } from '../auth/vault.ts';
import { can } from '../../auth/roles.ts';
import type { Warehouse } from '../warehouse.ts';

const id = z.coerce.number().int().positive();

/** Domain errors become the API's error shape. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ReviewError) throw new ApiError(err.status, err.status === 404 ? 'not_found' : 'bad_request', err.message);
    if (err instanceof SamplingError) throw new ApiError(400, 'bad_request', err.message);
    throw err;
  }
}

const MIME: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mpeg', ogg: 'audio/ogg', opus: 'audio/ogg', m4a: 'audio/mp4', flac: 'audio/flac' };

/** A call the user may not see answers as if it did not exist. */
async function visibleCall(w: Warehouse, user: User, callId: string): Promise<void> {
  if (!(await mayViewCall(w, user, callId))) throw new ApiError(404, 'not_found', `no call ${callId}`);
}

/** Names given as reviewers must be reviewer accounts (their queue is theirs when they sign in). */
async function checkReviewers(w: Warehouse, names: string[]): Promise<void> {
  const known = new Set((await reviewerAccounts(w)).map((r) => r.username));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) throw new ApiError(400, 'bad_request', `not a reviewer account: ${unknown.join(', ')} (GET /api/qa/reviewers lists them)`);
}

/** Another reviewer's draft is their working copy: nobody else sees it. */
function hideOthersDraft<T extends { reviewer: string; status: string }>(user: User, review: T | null): T | null {
  return review && review.status === 'draft' && review.reviewer !== user.username ? null : review;
}

export function qaRoutes(deps: ApiDeps) {
  const w = deps.warehouse;
  return new Hono<ApiEnv>()
    .get('/scorecard', async (c) => {
      const card = await activeScorecard(w);
      return c.json({ scorecard: card, versions: await scorecardVersions(w, card.id) });
    })
    .get('/scorecards/:id/:version', validate('param', z.object({ id: z.string().min(1), version: id })), async (c) => {
      const { id: cardId, version } = c.req.valid('param');
      const card = await getScorecard(w, cardId, version);
      if (!card) throw new ApiError(404, 'not_found', `no scorecard ${cardId} version ${version}`);
      return c.json({ scorecard: card });
    })
    .put('/scorecard', validate('json', z.strictObject({ definition: z.unknown() })), async (c) => {
      return c.json({ scorecard: await saveScorecard(w, c.req.valid('json').definition, currentUser(c).username) });
    })
    .get('/reviewers', async (c) => c.json({ reviewers: await reviewerAccounts(w) }))
    .get('/samples', async (c) => c.json({ samples: await listSamples(w) }))
    .post('/samples', validate('json', drawRequestSchema), async (c) => {
      const request = c.req.valid('json');
      await checkReviewers(w, request.reviewers);
      const result = await guard(() => drawSample(w, request, currentUser(c).username));
      // Auto-QA the drawn calls now, so their review forms open pre-filled.
      if (result.calls.length) await runAutoQa(w, await activeScorecard(w), { calls: result.calls.map((x) => x.call_id) });
      return c.json(result);
    })
    .get('/samples/:id', validate('param', z.object({ id })), async (c) => c.json({ agents: await sampleSummary(w, c.req.valid('param').id) }))
    .get(
      '/queue',
      validate('query', z.strictObject({ reviewer: z.string().min(1).max(100).optional(), sample: id.optional(), status: z.enum(['todo', 'draft', 'submitted']).optional(), agent: z.string().min(1).optional() })),
      async (c) => {
        const user = currentUser(c);
        const { reviewer = user.username, ...filter } = c.req.valid('query');
        // Reviewers work their own queue; administrators may look at anyone's.
        if (reviewer !== user.username && !can(user.role, 'users.manage')) throw new ApiError(403, 'forbidden', `only administrators see another reviewer's queue`);
        const all = await reviewerQueue(w, reviewer, { sample: filter.sample, agent: filter.agent });
        const calls = filter.status ? all.filter((r) => r.status === filter.status) : all;
        return c.json({ reviewer, calls, progress: { assigned: all.length, submitted: all.filter((r) => r.status === 'submitted').length } });
      }
    )
    .get('/calls/:id', validate('query', z.strictObject({ reviewer: z.string().min(1).max(100).optional(), calibration: id.optional() })), async (c) => {
      const user = currentUser(c);
      await visibleCall(w, user, c.req.param('id'));
      const { reviewer, calibration } = c.req.valid('query');
      // A reviewer opens their own review; others (agents, QA leads) the one they name.
      const whose = reviewer ?? (can(user.role, 'qa.review') ? user.username : null);
      const form = await reviewForm(w, c.req.param('id'), whose, calibration ?? null);
      if (!form) throw new ApiError(404, 'not_found', `no call ${c.req.param('id')}`);
      return c.json({ ...form, review: hideOthersDraft(user, form.review) });
    })
    .get('/calls/:id/audio', async (c) => {
      const user = currentUser(c);
      await visibleCall(w, user, c.req.param('id'));
      const call = await callFacts(w, c.req.param('id'));
      const file = recordingPath(call?.recording ?? null);
      if (!call || !file) throw new ApiError(404, 'not_found', `no recording for call ${c.req.param('id')}`);
      const size = fs.statSync(file).size;
      const type = MIME[file.split('.').pop()!.toLowerCase()] ?? 'application/octet-stream';
      // Byte ranges, so that the browser's player can seek.
      const range = /^bytes=(\d*)-(\d*)$/.exec(c.req.header('range') ?? '');
      let start = 0;
      let end = size - 1;
      if (range) {
        start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
        end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
        if (start > end || start >= size) return c.body(null, 416, { 'content-range': `bytes */${size}` });
      }
      // One record per listening: the player's first request (from byte 0), not each seek.
      if (start === 0) await audit(w, { actor: user.username, action: 'recording.listen', target: `call:${call.call_id}`, after: { recording: call.recording } });
      const body = fs.createReadStream(file, { start, end });
      const headers: Record<string, string> = { 'content-type': type, 'accept-ranges': 'bytes', 'content-length': String(end - start + 1), 'cache-control': 'private, no-store' };
      if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
      return new Response(body as unknown as ReadableStream, { status: range ? 206 : 200, headers });
    })
    .get('/calls/:id/redactions/:seq/:span', validate('param', z.object({ id: z.string().min(1), seq: z.coerce.number().int().min(0), span: z.coerce.number().int().min(0) })), async (c) => {
      const user = currentUser(c);
      const { id: callId, seq, span } = c.req.valid('param');
      await visibleCall(w, user, callId);
      const found = await revealOriginal(w, callId, seq, span);
      if (!found) throw new ApiError(404, 'not_found', `no original kept for redaction ${span} of utterance ${seq} of call ${callId}`);
      await audit(w, { actor: user.username, action: 'transcript.unredacted', target: `call:${callId}`, after: { seq, span, kind: found.kind } });
      c.header('cache-control', 'private, no-store');
      return c.json({ call_id: callId, seq, span, kind: found.kind, original: found.original });
    })
    .post('/reviews', validate('json', reviewInputSchema), async (c) => {
      const user = currentUser(c);
      const input = c.req.valid('json');
      await visibleCall(w, user, input.call_id);
      return c.json({ review: await guard(() => saveReview(w, input, user.username)) });
    })
    .get('/reviews/:id', validate('param', z.object({ id })), async (c) => {
      const user = currentUser(c);
      const reviewId = c.req.valid('param').id;
      const versions = await reviewVersions(w, reviewId);
      const first = versions[0];
      if (!first || !hideOthersDraft(user, versions.at(-1)!) || !(await mayViewAgent(w, user, first.agent_id))) throw new ApiError(404, 'not_found', `no review ${reviewId}`);
      return c.json({ versions, disputes: await disputesOf(w, reviewId) });
    })
    .post('/reviews/:id/disputes', validate('param', z.object({ id })), validate('json', z.strictObject({ item_id: z.string().min(1), reason: z.string().max(2000) })), async (c) => {
      const user = currentUser(c);
      if (!user.agent_id) throw new ApiError(403, 'forbidden', 'only the reviewed agent can dispute a review (this account is not an agent’s)');
      const { item_id, reason } = c.req.valid('json');
      return c.json({ dispute: await guard(() => openDispute(w, { review_id: c.req.valid('param').id, item_id, reason }, user.agent_id!, user.username)) });
    })
    .get('/disputes', validate('query', z.strictObject({ status: z.enum(['open', 'accepted', 'rejected']).optional(), agent: z.string().min(1).optional() })), async (c) => {
      const user = currentUser(c);
      const filter = c.req.valid('query');
      // An agent lists their own disputes whatever they ask for.
      const disputes = await listDisputes(w, ownCallsOnly(user) ? { ...filter, agent: user.agent_id ?? '' } : filter);
      const visible = [];
      for (const d of disputes) if (await mayViewAgent(w, user, d.agent_id)) visible.push(d);
      return c.json({ disputes: visible });
    })
    .post('/disputes/:id/decision', validate('param', z.object({ id })), validate('json', arbitrationSchema), async (c) => {
      return c.json(await guard(() => arbitrate(w, c.req.valid('param').id, c.req.valid('json'), currentUser(c).username)));
    })
    .post('/auto/run', validate('json', z.strictObject({ force: z.boolean().default(false) })), async (c) => {
      const card = await activeScorecard(w);
      return c.json({ scorecard: { id: card.id, version: card.version }, ...(await runAutoQa(w, card, { force: c.req.valid('json').force })) });
    })
    .get('/agreement/auto', async (c) => c.json({ method: "Cohen's kappa, auto-QA pass/fail against the reviewer's top score or not", items: await autoHumanAgreement(w) }))
    .get('/calibrations', async (c) => c.json({ calibrations: await listCalibrations(w) }))
    .post('/calibrations', validate('json', calibrationInputSchema), async (c) => {
      const input = c.req.valid('json');
      await checkReviewers(w, input.reviewers);
      return c.json({ calibration_id: await createCalibration(w, input, currentUser(c).username) });
    })
    .get('/calibrations/:id', validate('param', z.object({ id })), async (c) => {
      const report = await calibrationReport(w, c.req.valid('param').id);
      if (!report) throw new ApiError(404, 'not_found', `no calibration ${c.req.param('id')}`);
      return c.json(report);
    });
}
