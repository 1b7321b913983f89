import type { CanonicalError } from '../errors/api-error.js';
import type { ErrorFormatContext, RenderedErrorBody } from './error-format.js';
import { renderFlat } from './flat.format.js';
import { renderLaravel } from './laravel.format.js';
import { renderNested } from './nested.format.js';
import { renderProblem } from './problem.format.js';

export const ERROR_FORMATS = ['flat', 'problem', 'nested', 'laravel'] as const;
export type ErrorFormatName = (typeof ERROR_FORMATS)[number];

export const FORMAT_RENDERERS: Readonly<
  Record<ErrorFormatName, (error: CanonicalError, context: ErrorFormatContext) => RenderedErrorBody>
> = { flat: renderFlat, problem: renderProblem, nested: renderNested, laravel: renderLaravel };
