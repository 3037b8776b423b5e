'use strict';

// Change records for incidents/history. Each record is
// `{changed_at, changed_by, operation, entity: {<entity type>: {...}}}`; the entity types are
// incident_details, incident_comment, incident_attachment and incident_response.
//
// The seeded data's history is derived per incident on first need (a query for that incident,
// or for all), so a large data set costs nothing here until history is asked for.

const ENTITY_TYPES = [
	'incident_details',
	'incident_comment',
	'incident_attachment',
	'incident_response',
];

function createHistory() {
	let entries = []; // { seq, incidentId, type, operation, changedBy, changedAt, payload }
	let sorted = true;
	let seq = 0;
	let unseeded = new Map(); // incident_id → { index, rows: () => [[type, op, by, at, payload]] }

	function push(entry) {
		const last = entries[entries.length - 1];
		if (
			last &&
			(last.changedAt > entry.changedAt ||
				(last.changedAt === entry.changedAt && last.seq > entry.seq))
		)
			sorted = false;
		entries.push(entry);
	}

	/** `payload` is stored as given: pass a copy unless the object never changes afterwards. */
	function add(incidentId, type, operation, changedBy, changedAt, payload) {
		push({ seq: seq++, incidentId, type, operation, changedBy, changedAt, payload });
	}

	/** Registers seeded incidents whose history `rowsOf(incident)` will produce when needed. */
	function seedLazily(incidents, rowsOf) {
		incidents.forEach((incident, index) =>
			unseeded.set(incident.incident_id, { index, rows: () => rowsOf(incident) }),
		);
	}

	function flush(incidentId) {
		const ids = incidentId === undefined ? [...unseeded.keys()] : [incidentId];
		for (const id of ids) {
			const pending = unseeded.get(id);
			if (!pending) continue;
			unseeded.delete(id);
			// Seeded records sort before any later record of the same millisecond, in a fixed order.
			pending.rows().forEach(([type, operation, changedBy, changedAt, payload], k) => {
				push({
					seq: -1e12 + pending.index * 1000 + k,
					incidentId: id,
					type,
					operation,
					changedBy,
					changedAt,
					payload,
				});
			});
		}
	}

	function ordered() {
		if (!sorted) {
			entries.sort((a, b) => a.changedAt - b.changedAt || a.seq - b.seq);
			sorted = true;
		}
		return entries;
	}

	function toRecord(e) {
		return {
			changed_at: e.changedAt,
			changed_by: e.changedBy,
			operation: e.operation,
			entity: { [e.type]: structuredClone({ incident_id: e.incidentId, ...e.payload }) },
		};
	}

	/**
	 * `perEntity` pages each entity type separately (page N = the Nth slice of every type), which
	 * is how the known client reads `entity_type_page_size`; otherwise one global page.
	 */
	function query({
		incidentId,
		minTime,
		maxTime,
		ignoreAuthor,
		page,
		pageSize,
		perEntity,
		isVisible = () => true,
	}) {
		flush(incidentId);
		const matches = ordered().filter(
			(e) =>
				(incidentId === undefined ? isVisible(e.incidentId) : e.incidentId === incidentId) &&
				(minTime === undefined || e.changedAt >= minTime) &&
				(maxTime === undefined || e.changedAt <= maxTime) &&
				(ignoreAuthor === undefined || e.changedBy !== ignoreAuthor),
		);
		const start = (page - 1) * pageSize;
		let chosen;
		if (perEntity) {
			const picked = new Set();
			for (const type of ENTITY_TYPES) {
				for (const e of matches.filter((m) => m.type === type).slice(start, start + pageSize)) {
					picked.add(e);
				}
			}
			chosen = matches.filter((e) => picked.has(e));
		} else chosen = matches.slice(start, start + pageSize);
		return chosen.map(toRecord);
	}

	function clear() {
		entries = [];
		sorted = true;
		seq = 0;
		unseeded = new Map();
	}

	return { add, seedLazily, query, clear };
}

module.exports = { createHistory, ENTITY_TYPES };
