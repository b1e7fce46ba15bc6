import { Button, Group, Modal, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { Member, TenantRoleValue } from '../api/contracts';
import { Role, ROLE_OPTIONS } from '../api/roles';
import { readSession } from '../auth/session';
import { DataTable } from '../components/data-table';
import { formatDateTime } from '../components/format';
import { EmptyState, ErrorState, QueryState } from '../components/query-state';
import { useMemberMutations, useMembers } from './tenant-queries';

/** Who may do what in the tenant: add by email with a role, change a role, remove (the API keeps one owner: its 409 is shown). */
export function MembersSection({ tenantId }: { tenantId: string }) {
  const members = useMembers(tenantId);
  const { add, changeRole, remove } = useMemberMutations(tenantId);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TenantRoleValue>(Role.Reader);
  const [removing, setRemoving] = useState<Member | null>(null);
  const me = readSession()?.email;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') });
  };
  const changeError = changeRole.error ?? remove.error;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="section-members">
      <Stack gap="sm">
        <Title order={2} size="h4" id="section-members">
          Members
        </Title>
        <form onSubmit={submit} aria-label="Add a member">
          <Group gap="sm" align="end">
            <TextInput label="Email" type="email" required value={email} onChange={(event) => setEmail(event.currentTarget.value)} w={260} maxLength={320} />
            <Select label="Role" data={ROLE_OPTIONS} value={role} onChange={(value) => value && setRole(value as TenantRoleValue)} allowDeselect={false} w={140} />
            <Button type="submit" loading={add.isPending} disabled={email.trim() === ''}>
              Add member
            </Button>
          </Group>
        </form>
        {add.error ? <ErrorState error={add.error} /> : null}
        {changeError ? <ErrorState error={changeError} /> : null}
        <QueryState query={members} isEmpty={(data) => data.items.length === 0} empty={<EmptyState title="No members">Add one by email.</EmptyState>}>
          {(data) => (
            <DataTable
              rows={data.items}
              rowKey={(member) => member.userId}
              columns={[
                {
                  header: 'Member',
                  cell: (member) => (
                    <Stack gap={0}>
                      <Text size="sm">{member.email}</Text>
                      {member.displayName ? (
                        <Text size="xs" c="dimmed">
                          {member.displayName}
                        </Text>
                      ) : null}
                    </Stack>
                  ),
                },
                {
                  header: 'Role',
                  cell: (member) => (
                    <Select
                      aria-label={`Role of ${member.email}`}
                      data={ROLE_OPTIONS}
                      value={member.role}
                      allowDeselect={false}
                      disabled={changeRole.isPending}
                      onChange={(value) => {
                        remove.reset();
                        if (value && value !== member.role) changeRole.mutate({ userId: member.userId, role: value as TenantRoleValue });
                      }}
                      w={140}
                    />
                  ),
                },
                { header: 'Added', cell: (member) => formatDateTime(member.addedAt) },
                {
                  header: 'Actions',
                  cell: (member) => (
                    <Button
                      variant="default"
                      size="compact-sm"
                      onClick={() => {
                        changeRole.reset();
                        remove.reset();
                        setRemoving(member);
                      }}
                      aria-label={`Remove ${member.email}`}
                    >
                      Remove
                    </Button>
                  ),
                },
              ]}
            />
          )}
        </QueryState>
      </Stack>
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title="Remove this member?">
        <Stack>
          <Text size="sm">
            {removing?.email} loses access to this tenant{removing?.email === me ? ', and that is you' : ''}.
          </Text>
          <Group justify="end">
            <Button variant="default" onClick={() => setRemoving(null)}>
              Keep
            </Button>
            <Button
              color="red.9"
              loading={remove.isPending}
              onClick={() => removing && remove.mutate(removing.userId, { onSettled: () => setRemoving(null) })}
            >
              Remove member
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
