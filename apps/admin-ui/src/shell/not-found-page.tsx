import { Stack, Text, Title } from '@mantine/core';
import { AnchorLink } from '../components/links';

export function NotFoundPage() {
  return (
    <Stack align="center" py="xl" component="main">
      <Title order={1} size="h2">
        Page not found
      </Title>
      <Text c="dimmed">There is nothing at this address.</Text>
      <AnchorLink to="/">
        Go to the start page
      </AnchorLink>
    </Stack>
  );
}
