'use strict';

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summary(values) {
	return {
		median: median(values),
		min: Math.min(...values),
		max: Math.max(...values),
		n: values.length,
	};
}

function fmt(value, digits = 0) {
	return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** "median (min–max)" */
function spread(values, digits = 0, unit = '') {
	const s = summary(values);
	return `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

module.exports = { median, summary, fmt, spread };
