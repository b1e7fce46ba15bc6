// Typed routes (TanStack Router, code-based). Every view's state is in its URL: tenant in the path,
// filters and page cursor in the search, so each view is a link that survives reload. The shell, sign-in
// and the runs page (where a session lands) are in the first download; every other page is its own chunk,
// fetched when a link to it is hovered (preload on intent) or followed.
import { createRootRoute, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { signInPath } from './auth/auth';
import { readSession } from './auth/session';
import { SignInPage } from './auth/sign-in-page';
import type { InventorySearch } from './inventory/inventory-page';
import { NotFoundPage } from './shell/not-found-page';
import { AppLayout } from './shell/app-layout';
import { HomeRedirect } from './shell/home-redirect';
import { TenantLayout } from './shell/tenant-layout';
import { RunsPage, type RunsSearch } from './runs/runs-page';
import { isRunPeriod } from './runs/run-periods';
import { queryClient } from './api/query-client';
import { runsQuery, tenantsQuery } from './runs/run-queries';
import type { AuditLogSearch } from './audit/audit-log-page';
import { validateRestoreWizardSearch } from './restore/restore-wizard';
import { validatePolicyDetailSearch } from './inventory/policy-versions';
import { parseDriftReportSearch } from './drift/drift-report-search';
import { parseFleetSearch } from './fleet/fleet-search';

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

const runRoute = createRoute({ getParentRoute: () => tenantRoute, path: 'runs/$runId', component: lazyRouteComponent(() => import('./runs/run-detail-page'), 'RunDetailPage') });

const backupSetsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'backup-sets',
  validateSearch: (search: Record<string, unknown>): { cursor?: string } => (typeof search.cursor === 'string' ? { cursor: search.cursor } : {}),
  component: lazyRouteComponent(() => import('./backups/backup-sets-page'), 'BackupSetsPage'),
});

const backupSetRoute = createRoute({ getParentRoute: () => tenantRoute, path: 'backup-sets/$setId', component: lazyRouteComponent(() => import('./backups/backup-set-page'), 'BackupSetPage') });

const inventoryRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'inventory',
  validateSearch: (search: Record<string, unknown>): InventorySearch => ({ policyType: text(search.policyType), search: text(search.search), cursor: text(search.cursor) }),
  component: lazyRouteComponent(() => import('./inventory/inventory-page'), 'InventoryPage'),
});

const cursorSearch = (search: Record<string, unknown>): { cursor?: string } => (text(search.cursor) ? { cursor: text(search.cursor) } : {});

const schedulesRoute = createRoute({ getParentRoute: () => tenantRoute, path: 'schedules', validateSearch: cursorSearch, component: lazyRouteComponent(() => import('./schedules/schedules-page'), 'SchedulesPage') });

const scheduleRoute = createRoute({ getParentRoute: () => tenantRoute, path: 'schedules/$scheduleId', validateSearch: cursorSearch, component: lazyRouteComponent(() => import('./schedules/schedule-page'), 'SchedulePage') });

const auditLogRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'audit-log',
  validateSearch: (search: Record<string, unknown>): AuditLogSearch => ({ scheduleId: text(search.scheduleId), runId: text(search.runId), cursor: text(search.cursor) }),
  component: lazyRouteComponent(() => import('./audit/audit-log-page'), 'AuditLogPage'),
});

const restoreWizardRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'backup-sets/$setId/restore',
  validateSearch: validateRestoreWizardSearch,
  component: lazyRouteComponent(() => import('./restore/restore-wizard-page'), 'RestoreWizardPage'),
});

const policyDetailRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'inventory/$policyId',
  validateSearch: validatePolicyDetailSearch,
  component: lazyRouteComponent(() => import('./inventory/policy-detail-page'), 'PolicyDetailPage'),
});

// MSP operations (issue 12): the fleet, drift reports, tenant settings (access, members).
const fleetRoute = createRoute({ getParentRoute: () => appRoute, path: '/fleet', validateSearch: parseFleetSearch, component: lazyRouteComponent(() => import('./fleet/fleet-page'), 'FleetPage') });

const driftReportsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: 'drift-reports',
  validateSearch: (search: Record<string, unknown>): { cursor?: string } => ({ cursor: text(search.cursor) }),
  component: lazyRouteComponent(() => import('./drift/drift-reports-page'), 'DriftReportsPage'),
});

const driftReportRoute = createRoute({ getParentRoute: () => tenantRoute, path: 'drift-reports/$reportId', validateSearch: parseDriftReportSearch, component: lazyRouteComponent(() => import('./drift/drift-report-page'), 'DriftReportPage') });

const tenantSettingsRoute = createRoute({ getParentRoute: () => tenantRoute, path: 'settings', component: lazyRouteComponent(() => import('./tenants/tenant-settings-page'), 'TenantSettingsPage') });

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
