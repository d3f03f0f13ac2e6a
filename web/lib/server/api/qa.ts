// /api/qa: QA inspection (质检) — scorecards, sampling draws, the reviewer's queue, the review
// form (call facts, transcript, recording, auto-QA), reviews, disputes and calibration.
// Who acts (reviewer, agent, arbitrator, admin) is a named field today; a session user later.
import fs from 'node:fs';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './index.ts';
import { ApiError } from './errors.ts';
import { validate } from './validate.ts';
import { activeScorecard, getScorecard, saveScorecard, scorecardVersions } from '../qa/scorecard.ts';
import { drawRequestSchema, drawSample, listSamples, sampleSummary, SamplingError } from '../qa/sampling.ts';
import { callFacts, knownReviewers, recordingPath, reviewerQueue } from '../qa/calls.ts';
import { runAutoQa } from '../qa/auto/run.ts';
import { reviewForm } from '../qa/form.ts';
import { arbitrate, arbitrationSchema, disputesOf, listDisputes, openDispute, ReviewError, reviewInputSchema, reviewVersions, saveReview } from '../qa/reviews.ts';
import { autoHumanAgreement, calibrationInputSchema, calibrationReport, createCalibration, listCalibrations } from '../qa/calibration.ts';

const actor = z.string().trim().min(1, 'name who acts').max(100);
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

export function qaRoutes(deps: ApiDeps) {
  const w = deps.warehouse;
  return new Hono()
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
    .put('/scorecard', validate('json', z.object({ actor, definition: z.unknown() })), async (c) => {
      const { actor: who, definition } = c.req.valid('json');
      return c.json({ scorecard: await saveScorecard(w, definition, who) });
    })
    .get('/reviewers', async (c) => c.json({ reviewers: await knownReviewers(w) }))
    .get('/samples', async (c) => c.json({ samples: await listSamples(w) }))
    .post('/samples', validate('json', drawRequestSchema.extend({ actor })), async (c) => {
      const { actor: who, ...request } = c.req.valid('json');
      const result = await guard(() => drawSample(w, request, who));
      // Auto-QA the drawn calls now, so their review forms open pre-filled.
      if (result.calls.length) await runAutoQa(w, await activeScorecard(w), { calls: result.calls.map((x) => x.call_id) });
      return c.json(result);
    })
    .get('/samples/:id', validate('param', z.object({ id })), async (c) => c.json({ agents: await sampleSummary(w, c.req.valid('param').id) }))
    .get(
      '/queue',
      validate('query', z.strictObject({ reviewer: actor, sample: id.optional(), status: z.enum(['todo', 'draft', 'submitted']).optional(), agent: z.string().min(1).optional() })),
      async (c) => {
        const { reviewer, ...filter } = c.req.valid('query');
        const all = await reviewerQueue(w, reviewer, { sample: filter.sample, agent: filter.agent });
        const calls = filter.status ? all.filter((r) => r.status === filter.status) : all;
        return c.json({ reviewer, calls, progress: { assigned: all.length, submitted: all.filter((r) => r.status === 'submitted').length } });
      }
    )
    .get('/calls/:id', validate('query', z.strictObject({ reviewer: actor.optional(), calibration: id.optional() })), async (c) => {
      const { reviewer, calibration } = c.req.valid('query');
      const form = await reviewForm(w, c.req.param('id'), reviewer ?? null, calibration ?? null);
      if (!form) throw new ApiError(404, 'not_found', `no call ${c.req.param('id')}`);
      return c.json(form);
    })
    .get('/calls/:id/audio', async (c) => {
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
      const body = fs.createReadStream(file, { start, end });
      const headers: Record<string, string> = { 'content-type': type, 'accept-ranges': 'bytes', 'content-length': String(end - start + 1) };
      if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
      return new Response(body as unknown as ReadableStream, { status: range ? 206 : 200, headers });
    })
    .post('/reviews', validate('json', reviewInputSchema.extend({ reviewer: actor })), async (c) => {
      const { reviewer, ...input } = c.req.valid('json');
      return c.json({ review: await guard(() => saveReview(w, input, reviewer)) });
    })
    .get('/reviews/:id', validate('param', z.object({ id })), async (c) => {
      const reviewId = c.req.valid('param').id;
      const versions = await reviewVersions(w, reviewId);
      if (!versions.length) throw new ApiError(404, 'not_found', `no review ${reviewId}`);
      return c.json({ versions, disputes: await disputesOf(w, reviewId) });
    })
    .post('/reviews/:id/disputes', validate('param', z.object({ id })), validate('json', z.strictObject({ agent: actor, item_id: z.string().min(1), reason: z.string().max(2000) })), async (c) => {
      const { agent, item_id, reason } = c.req.valid('json');
      return c.json({ dispute: await guard(() => openDispute(w, { review_id: c.req.valid('param').id, item_id, reason }, agent)) });
    })
    .get('/disputes', validate('query', z.strictObject({ status: z.enum(['open', 'accepted', 'rejected']).optional(), agent: z.string().min(1).optional() })), async (c) =>
      c.json({ disputes: await listDisputes(w, c.req.valid('query')) })
    )
    .post('/disputes/:id/decision', validate('param', z.object({ id })), validate('json', arbitrationSchema.extend({ arbitrator: actor })), async (c) => {
      const { arbitrator, ...decision } = c.req.valid('json');
      return c.json(await guard(() => arbitrate(w, c.req.valid('param').id, decision, arbitrator)));
    })
    .post('/auto/run', validate('json', z.strictObject({ force: z.boolean().default(false) })), async (c) => {
      const card = await activeScorecard(w);
      return c.json({ scorecard: { id: card.id, version: card.version }, ...(await runAutoQa(w, card, { force: c.req.valid('json').force })) });
    })
    .get('/agreement/auto', async (c) => c.json({ method: "Cohen's kappa, auto-QA pass/fail against the reviewer's top score or not", items: await autoHumanAgreement(w) }))
    .get('/calibrations', async (c) => c.json({ calibrations: await listCalibrations(w) }))
    .post('/calibrations', validate('json', calibrationInputSchema.extend({ actor })), async (c) => {
      const { actor: who, ...input } = c.req.valid('json');
      return c.json({ calibration_id: await createCalibration(w, input, who) });
    })
    .get('/calibrations/:id', validate('param', z.object({ id })), async (c) => {
      const report = await calibrationReport(w, c.req.valid('param').id);
      if (!report) throw new ApiError(404, 'not_found', `no calibration ${c.req.param('id')}`);
      return c.json(report);
    });
}
