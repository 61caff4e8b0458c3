// npm run sentry:dashboards            upserts monitoring/dashboards/*.json into Sentry
// npm run sentry:dashboards -- --check validates them offline (fields, widget types, at most 30 widgets)
import { loadDashboards } from '../server/sentry/dashboards';
import { upsertDashboards } from '../server/sentry/dashboardUpsert';

async function main(): Promise<number> {
  let dashboards;
  try {
    dashboards = loadDashboards();
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  const widgets = dashboards.reduce((sum, d) => sum + d.widgets.length, 0);
  if (process.argv.includes('--check')) {
    console.log(`OK: ${dashboards.length} dashboard(s), ${widgets} widget(s): ${dashboards.map((d) => `"${d.title}"`).join(', ')}`);
    return 0;
  }
  const missing = ['SENTRY_ORG', 'SENTRY_AUTH_TOKEN'].filter((name) => !process.env[name]);
  if (missing.length > 0) {
    console.error(`Set ${missing.join(' and ')} (and SENTRY_URL for a self-hosted Sentry; default https://sentry.io). Use --check to validate offline.`);
    return 2;
  }
  const outcomes = await upsertDashboards(dashboards, {
    baseUrl: process.env.SENTRY_URL ?? 'https://sentry.io',
    org: process.env.SENTRY_ORG as string,
    token: process.env.SENTRY_AUTH_TOKEN as string,
  });
  for (const outcome of outcomes) console.log(`${outcome.action}: "${outcome.title}" (id ${outcome.id})`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
