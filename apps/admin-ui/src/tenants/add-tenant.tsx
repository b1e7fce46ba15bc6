import { Alert, Button, Modal, SegmentedControl, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { AnchorLink } from '../components/links';
import { ErrorState } from '../components/query-state';
import { ConsentLink } from './consent-link';
import { useOnboardTenant } from './tenant-queries';

type IdentifyBy = 'directoryId' | 'domain';

/** Onboard one customer tenant (MSP administrators): by directory id or a verified domain; answers the consent link. */
export function AddTenantButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const [identifyBy, setIdentifyBy] = useState<IdentifyBy>('domain');
  const [identifier, setIdentifier] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const onboard = useOnboardTenant();

  const show = () => {
    onboard.reset();
    setIdentifier('');
    setDisplayName('');
    setTags([]);
    open();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onboard.mutate({ [identifyBy]: identifier.trim(), displayName: displayName.trim(), tags });
  };
  const done = onboard.data;

  return (
    <>
      <Button onClick={show}>Add tenant</Button>
      <Modal opened={opened} onClose={close} title="Add a customer tenant" size="lg">
        {done ? (
          <Stack>
            <Alert color="teal" title={`${done.tenant.displayName} was added`}>
              An access check started. The customer&apos;s global administrator consents to PolicyVault&apos;s app with this link:
            </Alert>
            <ConsentLink url={done.adminConsentUrl} tenantName={done.tenant.displayName} />
            <AnchorLink to="/tenants/$tenantId/settings" params={{ tenantId: done.tenant.id }} onClick={close}>
              Open the settings of {done.tenant.displayName}
            </AnchorLink>
          </Stack>
        ) : (
          <form onSubmit={submit}>
            <Stack>
              <SegmentedControl
                aria-label="Identify the tenant by"
                value={identifyBy}
                onChange={(value) => setIdentifyBy(value as IdentifyBy)}
                data={[
                  { value: 'domain', label: 'Verified domain' },
                  { value: 'directoryId', label: 'Directory id' },
                ]}
              />
              <TextInput
                label={identifyBy === 'domain' ? 'Verified domain' : 'Directory (tenant) id'}
                placeholder={identifyBy === 'domain' ? 'contoso.onmicrosoft.com' : '00000000-0000-0000-0000-000000000000'}
                required
                value={identifier}
                onChange={(event) => setIdentifier(event.currentTarget.value)}
                data-autofocus
              />
              <TextInput label="Name" required maxLength={200} value={displayName} onChange={(event) => setDisplayName(event.currentTarget.value)} />
              <TagsInput label="Tags" description="Press Enter after each tag." value={tags} onChange={setTags} maxTags={20} />
              {onboard.error ? <ErrorState error={onboard.error} /> : null}
              <Text size="sm" c="dimmed">
                The answer is a consent link for the customer&apos;s administrator; PolicyVault checks its access once they consent.
              </Text>
              <Button type="submit" loading={onboard.isPending} disabled={identifier.trim() === '' || displayName.trim() === ''}>
                Add tenant
              </Button>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}
