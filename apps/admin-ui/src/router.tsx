// Typed routes (TanStack Router, code-based). Every view's state is in its URL: tenant in the path,
// filters and page cursor in the search, so each view is a link that survives reload.
import { createRootRoute, createRoute, createRouter, Outlet, redirect } from '@tanstack/react-router';
import { signInPath } from './auth/auth';
import { BackupSetPage } from './backups/backup-set-page';
import { BackupSetsPage } from './backups/backup-sets-page';
import { readSession } from './auth/session';
import { SignInPage } from './auth/sign-in-page';
import { InventoryPage, type InventorySearch } from './inventory/inventory-page';
import { NotFoundPage } from './shell/not-found-page';
import { AppLayout } from './shell/app-layout';
import { HomeRedirect } from './shell/home-redirect';
import { TenantLayout } from './shell/tenant-layout';
import { RunDetailPage } from './runs/run-detail-page';
import { RunsPage, type RunsSearch } from './runs/runs-page';
import { isRunPeriod } from './runs/run-periods';
import { queryClient } from './api/query-client';
import { runsQuery, tenantsQuery } from './runs/run-queries';
import { AuditLogPage, type AuditLogSearch } from './audit/audit-log-page';
import { SchedulePage } from './schedules/schedule-page';
import { SchedulesPage } from './schedules/schedules-page';
import { RestoreWizardPage } from './restore/restore-wizard-page';
import { validateRestoreWizardSearch } from './restore/restore-wizard';
import { PolicyDetailPage } from './inventory/policy-detail-page';
import { validatePolicyDetailSearch } from './inventory/policy-versions';
import { DriftReportPage, parseDriftReportSearch } from './drift/drift-report-page';
import { DriftReportsPage } from './drift/drift-reports-page';
import { FleetPage } from './fleet/fleet-page';
import { parseFleetSearch } from './fleet/fleet-search';
import { TenantSettingsPage } from './tenants/tenant-settings-page';

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFoundPage });

/** A search parameter's text, or undefined when absent or empty. */
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    typeof search.redirect === 'string' && search.redirect.startsWith('/') && !search.redirect.startsWith('//') ? { redirect: search.redirect } : {},
  component: SignInPage,
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: ({ location }) => {
    if (!readSession()) throw redirect({ href: signInPath(location.href) });
  },
  // Prefetch, not awaited: the layout renders at once and shows its own loading state.
  loader: () => void queryClient.prefetchQuery(tenantsQuery()),
  component: AppLayout,
});

const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: HomeRedirect });

const tenantRoute = createRoute({ getParentRoute: () => appRoute, path: '/tenants/$tenantId', component: TenantLayout });

const tenantHomeRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: '/',
  beforeLoad: ({ params }) => {
    throw redirect({ to: '/tenants/$tenantId/runs', params });
  },
});

const runsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'runs',
  validateSearch: (search: Record<string, unknown>): RunsSearch => ({
    status: typeof search.status === 'string' ? search.status : undefined,
    type: typeof search.type === 'string' ? search.type : undefined,
    initiator: text(search.initiator),
    period: isRunPeriod(search.period) ? search.period : undefined,
    cursor: typeof search.cursor === 'string' ? search.cursor : undefined,
  }),
  loaderDeps: ({ search }) => search,
  loader: ({ params, deps }) => void queryClient.prefetchQuery(runsQuery(params.tenantId.toLowerCase(), deps)),
  component: RunsPage,
});

const runRoute = createRoute({ getParentRoute: () => tenantRoute, path: 'runs/$runId', component: RunDetailPage });

const backupSetsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'backup-sets',
  validateSearch: (search: Record<string, unknown>): { cursor?: string } => (typeof search.cursor === 'string' ? { cursor: search.cursor } : {}),
  component: BackupSetsPage,
});

const backupSetRoute = createRoute({ getParentRoute: () => tenantRoute, path: 'backup-sets/$setId', component: BackupSetPage });

const inventoryRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'inventory',
  validateSearch: (search: Record<string, unknown>): InventorySearch => ({ policyType: text(search.policyType), search: text(search.search), cursor: text(search.cursor) }),
  component: InventoryPage,
});

const cursorSearch = (search: Record<string, unknown>): { cursor?: string } => (text(search.cursor) ? { cursor: text(search.cursor) } : {});

const schedulesRoute = createRoute({ getParentRoute: () => tenantRoute, path: 'schedules', validateSearch: cursorSearch, component: SchedulesPage });

const scheduleRoute = createRoute({ getParentRoute: () => tenantRoute, path: 'schedules/$scheduleId', validateSearch: cursorSearch, component: SchedulePage });

const auditLogRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'audit-log',
  validateSearch: (search: Record<string, unknown>): AuditLogSearch => ({ scheduleId: text(search.scheduleId), runId: text(search.runId), cursor: text(search.cursor) }),
  component: AuditLogPage,
});

const restoreWizardRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'backup-sets/$setId/restore',
  validateSearch: validateRestoreWizardSearch,
  component: RestoreWizardPage,
});

const policyDetailRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'inventory/$policyId',
  validateSearch: validatePolicyDetailSearch,
  component: PolicyDetailPage,
});

// MSP operations (issue 12): the fleet, drift reports, tenant settings (access, members).
const fleetRoute = createRoute({ getParentRoute: () => appRoute, path: '/fleet', validateSearch: parseFleetSearch, component: FleetPage });

const driftReportsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'drift-reports',
  validateSearch: (search: Record<string, unknown>): { cursor?: string } => ({ cursor: text(search.cursor) }),
  component: DriftReportsPage,
});

const driftReportRoute = createRoute({ getParentRoute: () => tenantRoute, path: 'drift-reports/$reportId', validateSearch: parseDriftReportSearch, component: DriftReportPage });

const tenantSettingsRoute = createRoute({ getParentRoute: () => tenantRoute, path: 'settings', component: TenantSettingsPage });

const routeTree = rootRoute.addChildren([
  signInRoute,
  appRoute.addChildren([
    homeRoute,
    fleetRoute,
    tenantRoute.addChildren([tenantHomeRoute, runsRoute, runRoute, backupSetsRoute, backupSetRoute, inventoryRoute, driftReportsRoute, driftReportRoute, tenantSettingsRoute, schedulesRoute, scheduleRoute, auditLogRoute, restoreWizardRoute, policyDetailRoute]),
  ]),
]);

export const router = createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
