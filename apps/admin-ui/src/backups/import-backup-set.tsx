import { Button, FileInput, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { zip, type Zippable } from 'fflate';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import type { RunView } from '../api/contracts';
import { authorizedHeaders } from '../api/http';
import { queryKeys } from '../api/query-keys';
import { ErrorState } from '../components/query-state';

type Source = 'zip' | 'folder';

/** A folder the browser picked (`webkitdirectory`), zipped here with each file's path inside it: the gateway takes zips only. */
async function zipFolder(files: File[]): Promise<Blob> {
  const entries: Zippable = {};
  for (const file of files) entries[file.webkitRelativePath || file.name] = new Uint8Array(await file.arrayBuffer());
  const bytes = await new Promise<Uint8Array>((resolve, reject) => zip(entries, { level: 6 }, (error, data) => (error ? reject(error) : resolve(data))));
  return new Blob([bytes as BlobPart], { type: 'application/zip' });
}

async function uploadArchive(tenantId: string, name: string, archive: Blob): Promise<{ run: RunView }> {
  const response = await fetch(`/api/tenants/${tenantId}/imports?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: await authorizedHeaders({ 'content-type': 'application/zip' }),
    body: archive,
  });
  if (!response.ok) throw await ApiError.fromResponse(response);
  return (await response.json()) as { run: RunView };
}

/**
 * Imports a backup (operator and up): a zip, or a folder zipped in the browser, of IntuneManagement, IntuneCD or
 * Graph Explorer files or a PolicyVault export, uploaded to `POST …/imports`; opens the `backup_set.import` run.
 */
export function ImportBackupSetButton({ tenantId }: { tenantId: string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [name, setName] = useState('');
  const [source, setSource] = useState<Source>('zip');
  const [archive, setArchive] = useState<File | null>(null);
  const [folder, setFolder] = useState<File[]>([]);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const upload = useMutation({
    mutationFn: async () => uploadArchive(tenantId, name.trim(), source === 'zip' ? archive! : await zipFolder(folder)),
    onSuccess: ({ run }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.runs.all(tenantId) });
      close();
      void navigate({ to: '/tenants/$tenantId/runs/$runId', params: { tenantId, runId: run.id } });
    },
  });
  const ready = name.trim() !== '' && (source === 'zip' ? archive !== null : folder.length > 0);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) upload.mutate();
  };

  return (
    <>
      <Button variant="default" onClick={open}>
        Import
      </Button>
      <Modal opened={opened} onClose={close} title="Import a backup">
        <form onSubmit={submit}>
          <Stack>
            <TextInput label="Backup set name" required value={name} onChange={(event) => setName(event.currentTarget.value)} maxLength={200} data-autofocus />
            <SegmentedControl
              aria-label="What to upload"
              value={source}
              onChange={(value) => setSource(value as Source)}
              data={[
                { value: 'zip', label: 'Zip archive' },
                { value: 'folder', label: 'Folder' },
              ]}
            />
            {source === 'zip' ? (
              <FileInput label="Zip archive" accept=".zip,application/zip,application/x-zip-compressed" value={archive} onChange={setArchive} clearable clearButtonProps={{ 'aria-label': 'Clear the chosen file' }} placeholder="Choose a .zip file" />
            ) : (
              <Stack gap={4}>
                <Text component="label" htmlFor="import-folder" size="sm" fw={500}>
                  Folder
                </Text>
                <input
                  id="import-folder"
                  type="file"
                  multiple
                  // Chromium, Firefox and Safari: pick a folder; each file keeps its path inside it.
                  {...({ webkitdirectory: '' } as Record<string, string>)}
                  onChange={(event) => setFolder(Array.from(event.currentTarget.files ?? []))}
                />
                <Text size="xs" c="dimmed">
                  {folder.length > 0 ? `${folder.length} files; zipped in the browser before the upload.` : 'Zipped in the browser before the upload.'}
                </Text>
              </Stack>
            )}
            <Text size="sm" c="dimmed">
              IntuneManagement or IntuneCD backups (JSON or YAML), Graph Explorer responses, or a PolicyVault export. Every object becomes an item;
              a file that cannot be read is listed on the run page with the reason.
            </Text>
            {upload.error ? <ErrorState error={upload.error} /> : null}
            <Button type="submit" loading={upload.isPending} disabled={!ready}>
              Upload and import
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
