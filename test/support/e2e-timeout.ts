import { jest } from '@jest/globals';

// E2e tests boot apps and processes, and on a loaded machine that alone takes seconds: Jest's 5 s
// default failed tests for the machine's speed, not the code's. What a test asserts about time it
// asserts itself (recovery within 5 s, say), never through this timeout.
jest.setTimeout(60_000);
