import { afterAll, expect } from '@jest/globals';
import { undocumentedAnswers } from './observed-statuses.js';

// After every e2e suite: each status a sample app answered on one of its routes is one that
// route's operation in the app's own OpenAPI document lists (see observed-statuses.ts).
afterAll(async () => {
  expect(await undocumentedAnswers()).toEqual([]);
});
