'use strict';

// In-memory MDR state: tenants, assets, incidents with their children, attachment contents and
// history. Lists read through a per-sort-key cache that is rebuilt only after a change.
//
// Index lag: a change made with a visibility delay keeps the incident's previous version in the
// list view (incidents/list, incidents/count) until the delay has passed, while details and the
// control API see the new version at once — like a search index that refreshes late.

const { createRandom } = require('./random');
const data = require('./data');
const { generateTenants, generateAssets } = require('./data-assets');
const lazy = require('./lazy');
const { createHistory } = require('./history');
const { comparator } = require('./query');
const { DEFAULT_TENANTS } = require('./catalog');

function createStore({ clock, getConfig }) {
	const state = {
		seed: 1,
		tenants: [],
		assets: [],
		assetById: new Map(),
		records: new Map(), // incident_id → { incident, listView, visibleAt }
		comments: new Map(), // comment_id → incident_id
		attachments: new Map(), // attachment_id → incident_id
		responses: new Map(), // response_id → incident_id
		contents: new Map(), // attachment_id → Buffer (uploaded or given content)
		allMaterialized: false, // every incident's lazy details exist (so the child maps are complete)
		history: createHistory(),
		random: createRandom(1, 'runtime'),
		nextNumber: data.FIRST_INCIDENT_NUMBER,
		sortCache: new Map(),
		assetSortCache: new Map(),
	};

	/** Regenerates all data deterministically from the options. */
	function load({
		seed = 1,
		incidents = 200,
		assets = 50,
		tenants = DEFAULT_TENANTS,
		tieRate = 0.05,
		anchorMs,
	} = {}) {
		const anchor = anchorMs ?? clock.now();
		const names =
			typeof tenants === 'number'
				? DEFAULT_TENANTS.concat(extraTenantNames(tenants)).slice(0, tenants)
				: tenants;
		state.seed = seed;
		state.tenants = generateTenants(seed, names);
		state.assets = generateAssets(seed, assets, state.tenants, anchor);
		state.assetById = new Map(state.assets.map((a) => [a.asset_id, a]));
		state.records = new Map();
		state.comments = new Map();
		state.attachments = new Map();
		state.responses = new Map();
		state.contents = new Map();
		state.allMaterialized = false;
		const generated = data.generateIncidents(seed, incidents, {
			assets: state.assets,
			tenants: state.tenants,
			anchorMs: anchor,
			tieRate,
			pendingStatus: () => getConfig().pendingResponseStatus,
			onMaterialize: indexChildren,
		});
		for (const incident of generated) {
			state.records.set(incident.incident_id, { incident, listView: null, visibleAt: 0 });
		}
		state.history.clear();
		state.history.seedLazily(generated, data.seededHistory);
		state.random = createRandom(seed, 'runtime');
		state.nextNumber = data.FIRST_INCIDENT_NUMBER + incidents;
		state.assetSortCache = new Map();
		invalidate();
		return { seed, incidents, assets, tenants: names, tieRate, anchorMs: anchor };
	}

	function extraTenantNames(count) {
		return Array.from(
			{ length: Math.max(0, count - DEFAULT_TENANTS.length) },
			(_, i) => `Tenant ${i + 4}`,
		);
	}

	function indexChildren(incident) {
		const id = incident.incident_id;
		for (const c of incident.comments) state.comments.set(c.comment_id, id);
		for (const a of incident.attachments) state.attachments.set(a.attachment_id, id);
		for (const r of incident.responses) state.responses.set(r.response_id, id);
	}

	/** Drops the cached list orders; called after every change and when the config changes. */
	function invalidate() {
		state.sortCache.clear();
	}

	const visibleTenant = (tenantName) => {
		const allowed = getConfig().visibleTenants;
		return !allowed || allowed.includes(tenantName);
	};

	/** The current version of an incident the connection may see, or undefined. */
	function getIncident(id) {
		const record = state.records.get(id);
		return record && visibleTenant(record.incident.tenant_name) ? record.incident : undefined;
	}

	/**
	 * `{incident, item}` for a comment, attachment or response id. Children of incidents whose
	 * details were never read are not indexed yet: a miss materializes them all, once.
	 */
	function locateChild(map, id, collection, idField, visibleOnly) {
		if (!map.has(id) && !state.allMaterialized) {
			for (const record of state.records.values()) lazy.materialize(record.incident);
			state.allMaterialized = true;
		}
		const incidentId = map.get(id);
		const incident = visibleOnly
			? getIncident(incidentId)
			: state.records.get(incidentId)?.incident;
		const item = incident?.[collection].find((x) => x[idField] === id);
		return item ? { incident, item } : undefined;
	}

	const findChild = (map, id, collection, idField) =>
		locateChild(map, id, collection, idField, true);

	/**
	 * The list view sorted by `sort` ({field, direction, key}). Cached until the data changes or
	 * a pending index delay runs out.
	 */
	function sortedIncidents(sort) {
		const now = clock.now();
		const cached = state.sortCache.get(sort.key);
		if (cached && now < cached.validUntil) return cached.list;

		let validUntil = Infinity;
		const list = [];
		for (const record of state.records.values()) {
			if (!visibleTenant(record.incident.tenant_name)) continue;
			if (record.visibleAt > now) {
				validUntil = Math.min(validUntil, record.visibleAt);
				if (record.listView) list.push(record.listView);
			} else list.push(record.incident);
		}
		list.sort(comparator(sort, 'incident_id'));
		state.sortCache.set(sort.key, { list, validUntil });
		return list;
	}

	function sortedAssets(sort) {
		let list = state.assetSortCache.get(sort.key);
		if (!list) {
			list = state.assets.slice().sort(comparator(sort, 'asset_id'));
			state.assetSortCache.set(sort.key, list);
		}
		return list.filter((a) => visibleTenant(a.tenant_name));
	}

	/**
	 * Applies `change(incident)` as one write: keeps the pre-change list view when the change is
	 * to become visible late, bumps update_time (to `updateTime`, default now) and re-indexes.
	 */
	function mutate(incident, change, { updateTime, visibleAfterMs } = {}) {
		const record = state.records.get(incident.incident_id);
		const now = clock.now();
		const delay = visibleAfterMs ?? getConfig().indexDelayMs;
		if (delay > 0) {
			if (!(record.visibleAt > now)) record.listView = structuredClone(record.incident);
			record.visibleAt = Math.max(record.visibleAt, now + delay);
		}
		const result = change(incident);
		incident.update_time = updateTime ?? now;
		indexChildren(incident);
		invalidate();
		return result;
	}

	/** Adds a new incident (already built); with a visibility delay it stays out of lists until then. */
	function addIncident(incident, { visibleAfterMs } = {}) {
		const delay = visibleAfterMs ?? getConfig().indexDelayMs;
		const visibleAt = delay > 0 ? clock.now() + delay : 0;
		state.records.set(incident.incident_id, { incident, listView: null, visibleAt });
		state.nextNumber = Math.max(state.nextNumber, incident.incident_number + 1);
		indexChildren(incident);
		invalidate();
		return incident;
	}

	function relatedAssetIds(incidentIds) {
		const ids = new Set();
		for (const id of incidentIds) {
			for (const m of getIncident(id)?.affected_hosts_mappings || []) ids.add(m.host_id);
		}
		return ids;
	}

	return {
		load,
		state,
		random: () => state.random,
		tenants: () => state.tenants.filter((t) => visibleTenant(t.tenant_name)),
		allTenants: () => state.tenants,
		assets: () => state.assets,
		getAsset: (id) => {
			const asset = state.assetById.get(id);
			return asset && visibleTenant(asset.tenant_name) ? asset : undefined;
		},
		getIncident,
		rawIncident: (id) => state.records.get(id)?.incident,
		rawRecord: (id) => state.records.get(id),
		allIncidents: () => Array.from(state.records.values(), (r) => r.incident),
		findComment: (id) => findChild(state.comments, id, 'comments', 'comment_id'),
		findAttachment: (id) => findChild(state.attachments, id, 'attachments', 'attachment_id'),
		findResponse: (id) => findChild(state.responses, id, 'responses', 'response_id'),
		/** A response whatever the connection's tenants (for the control API). */
		locateResponse: (id) => locateChild(state.responses, id, 'responses', 'response_id', false),
		forgetComment: (id) => state.comments.delete(id),
		sortedIncidents,
		sortedAssets,
		mutate,
		addIncident,
		relatedAssetIds,
		invalidate,
		nextIncidentNumber: () => state.nextNumber,
		content: (attachmentId) => state.contents.get(attachmentId),
		setContent: (attachmentId, buffer) => state.contents.set(attachmentId, buffer),
		history: state.history,
		seed: () => state.seed,
	};
}

module.exports = { createStore };
