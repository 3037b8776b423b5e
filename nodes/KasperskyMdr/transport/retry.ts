/** How long a read may keep retrying, and how the waits between attempts grow. */
export interface RetryPolicy {
	/** Total time, from the first attempt, after which no new attempt starts. */
	budgetMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_READ_POLICY: RetryPolicy = {
	budgetMs: 60_000,
	baseDelayMs: 500,
	maxDelayMs: 15_000,
};

/** `Retry-After` as seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before the next attempt: what `Retry-After` asks for, otherwise exponential backoff
 * with jitter (so parallel executions do not retry in lockstep). Undefined when the wait would
 * end past the budget: the caller then reports the failure instead of waiting in vain.
 */
export function retryDelay(
	policy: RetryPolicy,
	attempt: number,
	retryAfter: string | undefined,
	elapsedMs: number,
): number | undefined {
	const asked = parseRetryAfter(retryAfter);
	const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	const delay = asked ?? Math.round(backoff * (0.5 + Math.random() / 2));
	return elapsedMs + delay > policy.budgetMs ? undefined : delay;
}
