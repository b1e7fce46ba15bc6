import { Alert, Badge, Button, Card, Center, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { queryKeys } from '../api/query-keys';
import { ErrorState, LoadingState } from '../components/query-state';
import { completeEntraSignIn, startEntraSignIn } from './entra';
import { fetchDevelopmentUsers, fetchPublicSettings, requestDevelopmentToken, type PublicSettings } from './public-settings';
import { writeSession } from './session';

const route = getRouteApi('/sign-in');

export function SignInPage() {
  const settings = useQuery({ queryKey: queryKeys.publicSettings(), queryFn: fetchPublicSettings, staleTime: Infinity });
  return (
    <Center mih="100vh" p="md" component="main">
      <Card withBorder shadow="sm" padding="xl" w="100%" maw={480}>
        <Stack>
          <Title order={1} size="h2">
            Sign in to PolicyVault
          </Title>
          {settings.error ? <ErrorState error={settings.error} /> : null}
          {settings.isPending ? <LoadingState /> : null}
          {settings.data?.authMode === 'development' ? <DevelopmentSignIn /> : null}
          {settings.data?.authMode === 'oidc' ? <EntraSignIn settings={settings.data} /> : null}
        </Stack>
      </Card>
    </Center>
  );
}

function useAfterSignIn() {
  const { redirect } = route.useSearch();
  const navigate = useNavigate();
  return () => void navigate({ href: redirect ?? '/' });
}

function DevelopmentSignIn() {
  const users = useQuery({ queryKey: ['dev-users'], queryFn: fetchDevelopmentUsers });
  const done = useAfterSignIn();
  const signIn = useMutation({
    mutationFn: requestDevelopmentToken,
    onSuccess: (reply, email) => {
      writeSession({ mode: 'development', email, token: reply.accessToken });
      done();
    },
  });
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Development sign-in (<code>AUTH_MODE=development</code>): choose a demo user.
      </Text>
      {signIn.error ? <ErrorState error={signIn.error} /> : null}
      {users.error ? <ErrorState error={users.error} /> : null}
      {users.isPending ? <LoadingState /> : null}
      {users.data?.items.map((user) => (
        <Card key={user.email} withBorder padding="sm">
          <Group justify="space-between" wrap="nowrap">
            <Stack gap={2}>
              <Text fw={600}>{user.displayName}</Text>
              <Text size="sm" c="dimmed">
                {user.email}
              </Text>
              <Group gap={4}>
                {user.memberships.map((membership) => (
                  <Badge key={membership.tenantName} variant="default" size="sm">
                    {membership.role} of {membership.tenantName}
                  </Badge>
                ))}
              </Group>
            </Stack>
            <Button
              onClick={() => signIn.mutate(user.email)}
              loading={signIn.isPending && signIn.variables === user.email}
              aria-label={`Sign in as ${user.email}`}
            >
              Sign in
            </Button>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

function EntraSignIn({ settings }: { settings: PublicSettings }) {
  const { redirect } = route.useSearch();
  const done = useAfterSignIn();
  const [error, setError] = useState<unknown>(null);
  const entra = settings.entra;

  useEffect(() => {
    if (!entra) return;
    completeEntraSignIn(entra).then((account) => {
      if (!account) return;
      writeSession({ mode: 'entra', email: account.username });
      done();
    }, setError);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per page load: a redirect back from Entra
  }, [entra]);

  if (!entra) {
    return (
      <Alert color="yellow" title="Sign-in is not configured" role="alert">
        The gateway has no Entra ID application for the admin UI (AUTH_UI_CLIENT_ID). Ask your administrator.
      </Alert>
    );
  }
  return (
    <Stack>
      {error ? <ErrorState error={error} /> : null}
      <Button onClick={() => startEntraSignIn(entra, redirect ?? '/').catch(setError)}>Sign in with Microsoft</Button>
    </Stack>
  );
}
