import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './contrast.css';
import { createTheme, localStorageColorSchemeManager, MantineProvider, Menu, Modal, Notification, type CSSVariablesResolver } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { queryClient } from './api/query-client';
import { startAuth } from './auth/auth';
import { router } from './router';

// Contrast (WCAG AA, checked by axe in the browser tests): a darker primary shade, readable dimmed text,
// and black or white text on filled colours chosen by their luminance.
// Close buttons are icons: they get names for screen readers here, once.
const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'md',
  autoContrast: true,
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // No focus placeholder in menus: a focusable role="presentation" child of role="menu" fails axe
    // (aria-required-children); the arrow keys still move into the items.
    Menu: Menu.extend({ defaultProps: { withInitialFocusPlaceholder: false } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } } }),
  },
});
const contrastVariables: CSSVariablesResolver = (mantine) => ({
  variables: {},
  light: { '--mantine-color-dimmed': mantine.colors.gray[7] },
  dark: { '--mantine-color-dimmed': mantine.colors.dark[1] },
});
const colorSchemeManager = localStorageColorSchemeManager({ key: 'policyvault.color-scheme' });

await startAuth();
// Match the URL and run its loaders before the first render: they start the page's requests (tenants, the
// runs page) now, so the first render can already have their answers instead of rendering twice.
await router.load();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager} cssVariablesResolver={contrastVariables}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
