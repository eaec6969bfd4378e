export type { Candidate, CandidateState } from './candidates/candidate.js';
