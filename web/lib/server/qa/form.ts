// Everything the review page shows for one call and one reviewer, in one object.
import type { Warehouse } from '../warehouse.ts';
import { autoResultsFor, type StoredAutoResult } from './auto/run.ts';
import { callFacts, transcript, type CallFacts, type TranscriptLine } from './calls.ts';
import { disputesOf, findReview, reviewVersions, type Dispute, type ReviewVersion } from './reviews.ts';
import { activeScorecard, getScorecard, type Scorecard } from './scorecard.ts';

export interface ReviewForm {
  call: CallFacts;
  transcript: TranscriptLine[];
  scorecard: Scorecard;
  auto: StoredAutoResult[];
  /** The reviewer's review of the call (newest version), null before the first save. */
  review: ReviewVersion | null;
  /** The calibration session this review belongs to, if any. */
  calibration_id: number | null;
  versions: ReviewVersion[];
  disputes: Dispute[];
}

export async function reviewForm(warehouse: Warehouse, callId: string, reviewer: string | null, calibrationId: number | null = null): Promise<ReviewForm | null> {
  const call = await callFacts(warehouse, callId);
  if (!call) return null;
  const review = reviewer ? await findReview(warehouse, callId, reviewer, calibrationId) : null;
  // A review stays on the scorecard version it was started on.
  const scorecard = review ? (await getScorecard(warehouse, review.scorecard_id, review.scorecard_version))! : await activeScorecard(warehouse);
  return {
    call,
    transcript: await transcript(warehouse, callId),
    scorecard,
    auto: await autoResultsFor(warehouse, scorecard, callId),
    review,
    calibration_id: calibrationId,
    versions: review ? await reviewVersions(warehouse, review.review_id) : [],
    disputes: review ? await disputesOf(warehouse, review.review_id) : []
  };
}
