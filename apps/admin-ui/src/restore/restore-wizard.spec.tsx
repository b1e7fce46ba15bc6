/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from '@testing-library/react';
import { renderWithMantine } from '../../test/render';
import type { BackupItemView, RestorePreviewItemView, Tenant } from '../api/contracts';
import { Role } from '../api/roles';
import { RestorePreviewView } from './restore-preview';
import {
  confirmationMatches,
  filterBackupItems,
  RESTORE_DONE,
  restoreScope,
  restoreTarget,
  restoreTargetTenants,
  searchForStep,
  selectionIsEmpty,
  sortPreviewItems,
  validateRestoreWizardSearch,
  wizardStep,
} from './restore-wizard';

const PREVIEW = '0b7c3f52-8c1e-4f7e-9a51-3c2d1e0f9a01';
const RESTORE = '1c8d4a63-9d2f-4a8f-8b62-4d3e2f1a0b12';
const TENANT = '2d9e5b74-ae30-4b90-9c73-5e4f3a2b1c23';

const item = (id: string, displayName: string, policyType = 'deviceConfiguration'): BackupItemView =>
  ({ id, displayName, policyType, isFoundation: false }) as BackupItemView;

describe('the restore wizard', () => {
  it('reads its step from the URL: choose, preview, confirm, restore, and done once the restore run has ended', () => {
    expect(wizardStep({})).toBe(0);
    expect(wizardStep({ preview: PREVIEW })).toBe(1);
    expect(wizardStep({ preview: PREVIEW, confirm: true })).toBe(2);
    expect(wizardStep({ preview: PREVIEW, confirm: true, restore: RESTORE })).toBe(3);
    expect(wizardStep({ preview: PREVIEW, confirm: true, restore: RESTORE }, { status: 'running' })).toBe(3);
    expect(wizardStep({ preview: PREVIEW, confirm: true, restore: RESTORE }, { status: 'partial' })).toBe(RESTORE_DONE);
  });

  it('keeps only well-formed ids in the URL state, and no later step without the preview', () => {
    expect(validateRestoreWizardSearch({ target: TENANT.toUpperCase(), preview: PREVIEW, confirm: 'true', restore: RESTORE })).toEqual({
      target: TENANT,
      preview: PREVIEW,
      confirm: true,
      restore: RESTORE,
    });
    expect(validateRestoreWizardSearch({ target: 'contoso', confirm: true, restore: RESTORE })).toEqual({ target: undefined, preview: undefined, confirm: undefined, restore: undefined });
  });

  it('forgets what came after a step when going back to it, and never goes back once the restore runs', () => {
    const confirming = { target: TENANT, preview: PREVIEW, confirm: true };
    expect(searchForStep(confirming, 0)).toEqual({ target: TENANT });
    expect(searchForStep(confirming, 1)).toEqual({ target: TENANT, preview: PREVIEW });
    const restoring = { ...confirming, restore: RESTORE };
    expect(searchForStep(restoring, 0)).toBe(restoring);
  });

  it('searches items by every word against name and type; a selection becomes the restore scope', () => {
    const items = [item('a', 'Baseline passwords'), item('b', 'Windows compliance', 'compliancePolicy'), item('c', 'Baseline Wi-Fi')];
    expect(filterBackupItems(items, 'baseline WI').map((entry) => entry.id)).toEqual(['c']);
    expect(filterBackupItems(items, 'compliancepolicy').map((entry) => entry.id)).toEqual(['b']);
    expect(filterBackupItems(items, '   ')).toHaveLength(3);
    expect(restoreScope({ mode: 'all' })).toEqual({});
    expect(restoreScope({ mode: 'pick', ids: ['a', 'c'] })).toEqual({ backupItemIds: ['a', 'c'] });
    expect(selectionIsEmpty({ mode: 'pick', ids: [] })).toBe(true);
    expect(selectionIsEmpty({ mode: 'all' })).toBe(false);
  });

  it('names the source tenant only for a cross-tenant restore, and offers targets where the user may preview', () => {
    expect(restoreTarget('set', TENANT, TENANT)).toEqual({ backupSetId: 'set' });
    expect(restoreTarget('set', TENANT, 'other')).toEqual({ backupSetId: 'set', sourceTenantId: TENANT });
    const tenants = [
      { id: '1', displayName: 'Contoso', directoryId: 'd1', role: Role.Owner },
      { id: '2', displayName: 'Fabrikam', directoryId: 'd2', role: Role.Reader },
      { id: '3', displayName: 'Northwind', directoryId: 'd3', role: Role.Operator },
    ] satisfies Tenant[];
    expect(restoreTargetTenants(tenants).map((tenant) => tenant.displayName)).toEqual(['Contoso', 'Northwind']);
  });

  it('accepts the typed tenant name as the gateway does: trimmed, NFC, case-sensitive', () => {
    expect(confirmationMatches('  Contoso ', 'Contoso')).toBe(true);
    expect(confirmationMatches('contoso', 'Contoso')).toBe(false);
    expect(confirmationMatches('Cafe\u0301', 'Caf\u00e9')).toBe(true);
    expect(confirmationMatches('', 'Contoso')).toBe(false);
  });
});

describe('RestorePreviewView', () => {
  const previewItem = (overrides: Partial<RestorePreviewItemView>): RestorePreviewItemView => ({
    backupItemId: overrides.displayName ?? 'x',
    policyType: 'deviceConfiguration',
    displayName: 'x',
    action: 'no_change',
    matchedBy: 'id',
    liveId: 'live-1',
    request: null,
    requests: [],
    differences: [],
    reason: null,
    ambiguity: null,
    unmapped: [],
    ...overrides,
  });
  const items = [
    previewItem({ displayName: 'Unchanged profile' }),
    previewItem({ displayName: 'Changed profile', action: 'update', differences: [{ path: 'passwordMinimumLength', snapshot: 12, live: 4 }] }),
    previewItem({
      displayName: 'Deleted profile',
      action: 'create',
      matchedBy: null,
      liveId: null,
      unmapped: [{ kind: 'group', id: 'g-1', name: 'Pilot users', reason: 'not_in_target_tenant', blocking: false }],
    }),
    previewItem({ displayName: 'Default', policyType: 'scopeTag', action: 'skipped', reason: 'built_in' }),
  ];

  it('lists what needs a look first, with totals, and opens an item to its reason, unmapped references and field diff', async () => {
    expect(sortPreviewItems(items).map((entry) => entry.action)).toEqual(['create', 'update', 'skipped', 'no_change']);
    renderWithMantine(
      <RestorePreviewView preview={{ page: { runId: 'r', backupSetId: 's', computedAt: '2026-12-01T10:00:00Z', totals: { create: 1, update: 1, no_change: 1, skipped: 1, ambiguous: 0 }, items, nextCursor: null }, items }} />,
    );
    const totals = within(screen.getByRole('list', { name: 'Preview totals' })).getAllByRole('listitem').map((entry) => entry.textContent);
    expect(totals).toEqual(['create1', 'update1', 'no change1', 'ambiguous0', 'skipped1']);
    const controls = screen.getAllByRole('button').map((button) => button.getAttribute('aria-label'));
    expect(controls).toEqual(['Deleted profile: create', 'Changed profile: update', 'Default: skipped', 'Unchanged profile: no change']);

    fireEvent.click(screen.getByRole('button', { name: 'Changed profile: update' }));
    const diff = await screen.findByRole('table');
    const cells = within(within(diff).getAllByRole('row')[1]).getAllByRole('cell').map((cell) => cell.textContent);
    expect(cells).toEqual(['passwordMinimumLengthchanged', '12', '4']);
    expect(within(diff).getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['Field', 'Backup', 'Live']);

    fireEvent.click(screen.getByRole('button', { name: 'Deleted profile: create' }));
    expect(await screen.findByText('group Pilot users: not in target tenant')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Default: skipped' }));
    expect(await screen.findByText('built in')).toBeTruthy();
  });
});
