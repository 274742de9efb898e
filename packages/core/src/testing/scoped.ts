/**
 * Running a test body inside a memory scope and checking that it leaves no buffer behind.
 * @module
 */
import { expect } from 'vitest';
import { tidyAsync } from '../engine/memory.js';
import type { ConformanceContext } from './context.js';

/**
 * Runs `body` inside `tidyAsync` and asserts that the backend holds as many buffers afterwards as
 * before: every tensor the body made was freed by the scope, and the gradients it kept (`x.grad`)
 * were disposed by the body itself. A buffer leaked by an op or its backward pass fails the test.
 */
export async function scopedTest(context: ConformanceContext, body: () => Promise<void>): Promise<void> {
  const before = context.backend.liveBuffers();
  await tidyAsync(body);
  expect(context.backend.liveBuffers(), 'live buffers after the test (a leak if larger than before)').toBe(before);
}
