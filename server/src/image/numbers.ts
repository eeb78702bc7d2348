import { BadRequestError } from '../errors.js';

/**
 * Number grammar shared by every Image API parameter (Image API 3.0 §4 and §4.7): pixels are
 * non-negative integers, percentages and degrees are decimals made only of digits and ".".
 * Anchored patterns first, then numeric checks, so no NaN or Infinity ever leaves this module.
 */
const integerPattern = /^\d+$/;
const decimalPattern = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/** A non-negative integer, or a 400 naming the parameter and the value it came from. */
export function parseInteger(text: string, parameter: string, value: string): number {
  if (!integerPattern.test(text)) throw invalid(parameter, value, `"${text}" is not a non-negative integer`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw invalid(parameter, value, `"${text}" is too large`);
  return n;
}

/** A non-negative decimal (no sign, no exponent), or a 400. */
export function parseDecimal(text: string, parameter: string, value: string): number {
  if (!decimalPattern.test(text)) throw invalid(parameter, value, `"${text}" is not a non-negative decimal number`);
  const n = Number(text);
  if (!Number.isFinite(n)) throw invalid(parameter, value, `"${text}" is too large`);
  return n;
}

/**
 * A decimal as §4.7 asks: integer when possible, else no exponent, a leading 0 below 1
 * and no trailing zeros. Callers pass values already rounded to at most `digits` places.
 */
export function formatDecimal(n: number, digits = 6): string {
  const fixed = n.toFixed(digits);
  // Only a fraction has trailing zeros to drop: "10" must stay "10".
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

export function invalid(parameter: string, value: string, why: string): BadRequestError {
  return new BadRequestError(`Invalid ${parameter} "${value}": ${why}`);
}
