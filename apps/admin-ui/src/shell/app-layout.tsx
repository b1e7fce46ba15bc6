import { ActionIcon, AppShell, Burger, Group, Menu, useMantineColorScheme, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconMoon, IconSun, IconUserCircle } from '@tabler/icons-react';
import { Outlet, useParams } from '@tanstack/react-router';
import { may } from '../api/roles';
import { AnchorLink, NavigationLink } from '../components/links';
import { signOut } from '../auth/auth';
import { readSession } from '../auth/session';
import { ErrorState, LoadingState } from '../components/query-state';
import { LiveRunsProvider } from '../live/live-runs';
import { useTenants } from '../runs/run-queries';
import { NotificationsBell } from './notifications-bell';
import { ProgressWidget } from './progress-widget';
import { TenantSwitcher } from './tenant-switcher';
import { FleetLink, TenantAdminLinks } from './msp-links';

/** The signed-in frame: header (tenant, live runs, notifications, theme, user), navigation, the page. */
export function AppLayout() {
  const [navigationOpen, { toggle, close }] = useDisclosure(false);
  const tenants = useTenants();
  const { tenantId } = useParams({ strict: false });
  const role = tenants.data?.items.find((tenant) => tenant.id === tenantId?.toLowerCase())?.role;
  return (
    <LiveRunsProvider>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navigationOpen, desktop: !tenantId } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="xs">
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
              {tenantId ? <Burger opened={navigationOpen} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" /> : null}
              <AnchorLink to="/" fw={700} visibleFrom="xs" underline="never">
                PolicyVault
              </AnchorLink>
              {tenants.data ? <TenantSwitcher tenants={tenants.data.items} currentTenantId={tenantId} /> : null}
              <FleetLink tenantCount={tenants.data?.items.length ?? 0} />
            </Group>
            <Group gap={4} wrap="nowrap">
              <ProgressWidget tenants={tenants.data?.items ?? []} />
              <NotificationsBell />
              <ColorSchemeToggle />
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>
        {tenantId ? (
          <AppShell.Navbar p="xs" aria-label="Tenant pages">
            <NavigationLink to="/tenants/$tenantId/runs" params={{ tenantId }} label="Runs" onClick={close} />
            <NavigationLink to="/tenants/$tenantId/inventory" params={{ tenantId }} label="Inventory" onClick={close} />
            <NavigationLink to="/tenants/$tenantId/backup-sets" params={{ tenantId }} label="Backup sets" onClick={close} />
            <NavigationLink to="/tenants/$tenantId/schedules" params={{ tenantId }} label="Schedules" onClick={close} />
            {may(role, 'audit-log') ? <NavigationLink to="/tenants/$tenantId/audit-log" params={{ tenantId }} label="Audit log" onClick={close} /> : null}
            <TenantAdminLinks tenantId={tenantId} role={role} onNavigate={close} />
          </AppShell.Navbar>
        ) : null}
        <AppShell.Main>
          {tenants.error ? <ErrorState error={tenants.error} /> : null}
          {tenants.isPending ? <LoadingState /> : null}
          {tenants.data ? <Outlet /> : null}
        </AppShell.Main>
      </AppShell>
    </LiveRunsProvider>
  );
}

function ColorSchemeToggle() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const dark = colorScheme === 'dark';
  return (
    <ActionIcon variant="subtle" size="lg" onClick={() => setColorScheme(dark ? 'light' : 'dark')} aria-label={dark ? 'Use the light theme' : 'Use the dark theme'}>
      {dark ? <IconSun size={20} aria-hidden /> : <IconMoon size={20} aria-hidden />}
    </ActionIcon>
  );
}

function UserMenu() {
  const session = readSession();
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <ActionIcon variant="subtle" size="lg" aria-label={`Account: ${session?.email ?? 'signed out'}`}>
          <IconUserCircle size={22} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{session?.email}</Menu.Label>
        <Menu.Item onClick={() => void signOut()}>Sign out</Menu.Item>
      </Menu.Dropdown>
      <VisuallyHidden>Signed in as {session?.email}</VisuallyHidden>
    </Menu>
  );
}
