'use strict';

// The deterministic seeded tenants and assets. Same seed + same anchor time → identical data.

const { createRandom } = require('./random');
const catalog = require('./catalog');
const { weighted } = require('./builders');

const DAY = 86400000;

function generateTenants(seed, names) {
	const random = createRandom(seed, 'tenants');
	return names.map((tenant_name) => ({ tenant_id: random.docId(), tenant_name }));
}

function domainOf(tenantName) {
	return `${tenantName
		.split(/\s+/)[0]
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '')}.local`;
}

function generateAssets(seed, count, tenants, anchorMs) {
	const random = createRandom(seed, 'assets');
	const assets = [];
	for (let i = 0; i < count; i++) {
		const tenant = tenants[i % tenants.length];
		const [os_version, installed_product_info] = random.pick(catalog.OPERATING_SYSTEMS);
		const [status, , status_reasons] = weighted(random, catalog.ASSET_STATUSES);
		const first_seen = anchorMs - random.int(30 * DAY, 400 * DAY);
		const last_seen = random.int(first_seen, anchorMs - 60000);
		const subnet = `10.${random.int(0, 255)}.${random.int(0, 255)}`;
		const domain = domainOf(tenant.tenant_name);
		const network_interfaces = [];
		for (let n = random.int(1, 2); n > 0; n--) {
			network_interfaces.push({
				ip: `${subnet}.${random.int(2, 254)}`,
				mac: random.hex(12).toUpperCase().match(/../g).join('-'),
				dsc: random.pick([
					'Intel(R) Ethernet Connection I219-LM',
					'vmxnet3 Ethernet Adapter',
					'Realtek PCIe GbE',
				]),
				dnsd: domain,
				defg: `${subnet}.1`,
				ipcm: '255.255.255.0',
			});
		}
		assets.push({
			asset_id: `0x${random.hex(32).toUpperCase()}`,
			host_name: `${random.pick(catalog.HOST_PREFIXES)}-${String(i + 1).padStart(4, '0')}`,
			domain,
			first_seen,
			last_seen,
			os_version,
			installed_product_info,
			ksc_host_id: random.uuid(),
			tenant_name: tenant.tenant_name,
			isolation: random.chance(0.05),
			status,
			status_reasons: status_reasons.slice(),
			network_interfaces,
		});
	}
	return assets;
}

module.exports = { generateTenants, generateAssets };
