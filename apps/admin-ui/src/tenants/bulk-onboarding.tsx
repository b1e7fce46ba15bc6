import { Badge, Button, FileButton, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import type { BulkOnboarding } from '../api/contracts';
import { DataTable } from '../components/data-table';
import { AnchorLink } from '../components/links';
import { ErrorState } from '../components/query-state';
import { ConsentLink } from './consent-link';
import { useBulkOnboard } from './tenant-queries';

const EXAMPLE = 'directoryId,domain,displayName,tags\n,contoso.onmicrosoft.com,Contoso,gold;eu';

/** Onboard many tenants from a CSV (MSP administrators): the gateway answers per line, created or why not. */
export function BulkOnboardingButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const [csv, setCsv] = useState('');
  const bulk = useBulkOnboard();

  const show = () => {
    bulk.reset();
    setCsv('');
    open();
  };
  const load = (file: File | null) => void file?.text().then(setCsv);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    bulk.mutate(csv);
  };

  return (
    <>
      <Button variant="default" onClick={show}>
        Import CSV
      </Button>
      <Modal opened={opened} onClose={close} title="Add tenants from a CSV" size="xl">
        {bulk.data ? (
          <BulkResults result={bulk.data} onDone={close} />
        ) : (
          <form onSubmit={submit}>
            <Stack>
              <Textarea
                label="CSV"
                description="A header naming directoryId and/or domain, displayName and optionally tags (separated by ;); one tenant per line, each with a directory id or a domain. At most 500 lines."
                placeholder={EXAMPLE}
                autosize
                minRows={6}
                maxRows={16}
                value={csv}
                onChange={(event) => setCsv(event.currentTarget.value)}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                data-autofocus
              />
              <Group gap="xs">
                <FileButton onChange={load} accept=".csv,text/csv">
                  {(props) => (
                    <Button variant="default" {...props}>
                      Load a file
                    </Button>
                  )}
                </FileButton>
                <Button type="submit" loading={bulk.isPending} disabled={csv.trim() === ''}>
                  Add tenants
                </Button>
              </Group>
              {bulk.error ? <ErrorState error={bulk.error} /> : null}
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}

function BulkResults({ result, onDone }: { result: BulkOnboarding; onDone: () => void }) {
  return (
    <Stack>
      <Text fw={600} role="status">
        {result.created} added, {result.failed} failed
      </Text>
      <DataTable
        minWidth={640}
        rows={[...result.rows].sort((a, b) => a.line - b.line)}
        rowKey={(row) => String(row.line)}
        columns={[
          { header: 'Line', cell: (row) => row.line },
          { header: 'Result', cell: (row) => (row.status === 'created' ? <Badge color="teal.9">added</Badge> : <Badge color="red.9">error {row.error?.statusCode}</Badge>) },
          {
            header: 'Tenant or error',
            cell: (row) =>
              row.result ? (
                <Stack gap={4}>
                  <AnchorLink to="/tenants/$tenantId/settings" params={{ tenantId: row.result.tenant.id }} onClick={onDone}>
                    {row.result.tenant.displayName}
                  </AnchorLink>
                  <ConsentLink url={row.result.adminConsentUrl} tenantName={row.result.tenant.displayName} />
                </Stack>
              ) : (
                row.error?.message
              ),
          },
        ]}
      />
      <Button onClick={onDone} w="fit-content">
        Done
      </Button>
    </Stack>
  );
}
