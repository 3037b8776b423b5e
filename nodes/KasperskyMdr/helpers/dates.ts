import { DateTime } from 'luxon';
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A date parameter as MDR wants it: milliseconds since 1970 (13 digits). Accepts what the n8n
 * date picker saves, ISO 8601 text, a JS Date, or a number. A number of 11 digits or fewer is
 * read as seconds, since a millisecond value that small would be a date in 1970.
 * Dates without a time zone are read in the workflow's time zone.
 */
export function toMillis(
	context: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): number {
	const invalid = () =>
		new NodeOperationError(
			context.getNode(),
			`'${label}' is not a valid date: ${describe(value)}`,
			{
				itemIndex,
				description:
					'Use an ISO 8601 date such as 2025-05-01T08:30:00Z, pick a date in the date picker, or give milliseconds since 1970 (13 digits).',
			},
		);

	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw invalid();
		return value.getTime();
	}
	if (DateTime.isDateTime(value)) {
		if (!value.isValid) throw invalid();
		return value.toMillis();
	}
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value < 0) throw invalid();
		return fromEpochNumber(value);
	}
	if (typeof value !== 'string' || value.trim() === '') throw invalid();

	const text = value.trim();
	if (/^\d+$/.test(text)) return fromEpochNumber(Number(text));
	const parsed = DateTime.fromISO(text, { zone: context.getTimezone() });
	if (!parsed.isValid) throw invalid();
	return parsed.toMillis();
}

function fromEpochNumber(value: number): number {
	return Math.round(value < 1e11 ? value * 1000 : value);
}

function describe(value: unknown): string {
	if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
	return String(value);
}

/** MDR milliseconds → ISO 8601 in UTC, or undefined when MDR sent no time. */
export function toIso(value: unknown): string | undefined {
	if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
	return new Date(value).toISOString();
}
