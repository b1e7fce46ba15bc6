import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeExportText, loadExportDirectory, policyTypeForODataType, type LoadedExport } from '../src/seed/export-loader.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const byName = (loaded: LoadedExport, name: string) => {
  const found = loaded.objects.find(({ object }) => object.displayName === name || object.name === name);
  if (!found) throw new Error(`${name} was not loaded`);
  return found;
};
const skippedNames = (loaded: LoadedExport) => Object.fromEntries(loaded.skipped.map(({ file, reason }) => [basename(file), reason]));

describe('decodeExportText', () => {
  const text = '{"displayName":"Größe – ✓"}';
  const bom = (bytes: number[], body: Buffer) => Buffer.concat([Buffer.from(bytes), body]);
  const utf16be = (value: string) => Buffer.from(value, 'utf16le').swap16();

  it('reads UTF-8 with and without a BOM', () => {
    expect(decodeExportText(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodeExportText(bom([0xef, 0xbb, 0xbf], Buffer.from(text, 'utf8')))).toBe(text);
  });

  it('reads UTF-16 LE and BE with and without a BOM', () => {
    expect(decodeExportText(bom([0xff, 0xfe], Buffer.from(text, 'utf16le')))).toBe(text);
    expect(decodeExportText(Buffer.from(text, 'utf16le'))).toBe(text);
    expect(decodeExportText(bom([0xfe, 0xff], utf16be(text)))).toBe(text);
    expect(decodeExportText(utf16be(text))).toBe(text);
  });

  it('refuses bytes that are neither, saying so', () => {
    expect(() => decodeExportText(Buffer.from([0x7b, 0xe4, 0x7d]))).toThrow('not UTF-8 or UTF-16 text');
  });
});

describe('policyTypeForODataType', () => {
  it.each([
    ['#microsoft.graph.windows10GeneralConfiguration', 'deviceConfiguration'],
    ['#microsoft.graph.windowsUpdateForBusinessConfiguration', 'deviceConfiguration'],
    ['microsoft.graph.iosCompliancePolicy', 'compliancePolicy'],
    ['#microsoft.graph.deviceManagementConfigurationPolicy', 'settingsCatalogPolicy'],
    ['#microsoft.graph.groupPolicyConfiguration', 'administrativeTemplate'],
    ['#microsoft.graph.windows10EnrollmentCompletionPageConfiguration', 'enrollmentConfiguration'],
    ['#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration', 'enrollmentConfiguration'],
    ['#microsoft.graph.azureADWindowsAutopilotDeploymentProfile', 'autopilotProfile'],
    ['#microsoft.graph.androidManagedAppProtection', 'appProtectionPolicy'],
    ['#microsoft.graph.iosMobileAppConfiguration', 'appConfigurationPolicy'],
    ['#microsoft.graph.deviceHealthScript', 'remediationScript'],
    ['#microsoft.graph.targetedManagedAppConfiguration', undefined],
    ['#microsoft.graph.conditionalAccessPolicy', undefined],
  ])('%s → %s', (odataType, type) => {
    expect(policyTypeForODataType(odataType)).toBe(type);
  });
});

describe("loadExportDirectory: IntuneManagement's export folders", () => {
  let loaded: LoadedExport;
  const root = join(fixtures, 'intune-management');

  beforeAll(async () => {
    loaded = await loadExportDirectory(root);
  });

  it('places every object by its folder (ids kept), whatever the encoding', () => {
    expect(loaded.objects.map(({ type, object }) => [type, object.displayName ?? object.name]).sort()).toEqual(
      [
        ['administrativeTemplate', 'OneDrive'],
        ['autopilotProfile', 'Autopilot Default'],
        ['compliancePolicy', 'Win10 Compliance'], // UTF-16 BE, no BOM
        ['deviceConfiguration', 'Win10 – Einschränkungen'], // UTF-16 LE with BOM (Windows PowerShell's Out-File)
        ['endpointSecurityIntent', 'Defender AV'], // UTF-8 with BOM
        ['remediationScript', 'Fix Spooler'],
        ['settingsCatalogPolicy', 'Edge Baseline'], // no @odata.type
        ['windowsPlatformScript', 'Set Wallpaper'],
      ].sort(),
    );
    expect(byName(loaded, 'Win10 – Einschränkungen').object).toMatchObject({ id: '6f0c1d2e-0000-4000-8000-000000000001', description: 'Größe & Kamera' });
    expect(byName(loaded, 'Win10 Compliance').object.scheduledActionsForRule).toEqual([{ ruleName: 'PasswordRequired', scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0 }] }]);
  });

  it('merges the side files: intent settings, template definition values, script bodies as base64', async () => {
    expect(byName(loaded, 'Defender AV').object.settings).toEqual([
      { '@odata.type': '#microsoft.graph.deviceManagementBooleanSettingInstance', definitionId: 'deviceConfiguration--defenderCloudBlock', valueJson: 'true' },
    ]);
    expect(byName(loaded, 'OneDrive').object.definitionValues).toEqual([{ enabled: true, definition: { id: 'def-onedrive-silent', displayName: 'Silently sign in' }, presentationValues: [] }]);
    const script = await readFile(join(root, 'Contoso/PowerShellScripts/Set-Wallpaper.ps1'));
    expect(byName(loaded, 'Set Wallpaper').object.scriptContent).toBe(script.toString('base64'));
    const remediation = byName(loaded, 'Fix Spooler').object;
    expect(Buffer.from(String(remediation.detectionScriptContent), 'base64').toString()).toBe('exit 1\r\n');
    expect(Buffer.from(String(remediation.remediationScriptContent), 'base64').toString()).toBe('Restart-Service Spooler\r\n');
  });

  it('reports every file it cannot place, by name and reason; side files it used are not reported', () => {
    expect(skippedNames(loaded)).toEqual({
      'Block legacy auth.json': "in folder 'ConditionalAccess': conditional access policies, which the emulator does not hold",
      'MigrationTable.json': "IntuneManagement's migration table (source tenant and object ids), not a policy",
      'Mystery.json': "no @odata.type, folder 'Contoso/Misc' is no known export folder, and the content matches no policy shape",
      'readme.txt': "not an export file (expected .json, .yaml or .yml; got '.txt')",
    });
  });
});

describe("loadExportDirectory: IntuneCD's backup folders (JSON and YAML)", () => {
  let loaded: LoadedExport;

  beforeAll(async () => {
    loaded = await loadExportDirectory(join(fixtures, 'intunecd'));
  });

  it('places objects by the nested folders, YAML included', () => {
    expect(loaded.objects.map(({ type, object }) => [type, object.displayName ?? object.name]).sort()).toEqual(
      [
        ['appConfigurationPolicy', 'Outlook'],
        ['appProtectionPolicy', 'iOS MAM'],
        ['assignmentFilter', 'Corp Devices'],
        ['autopilotProfile', 'Autopilot'],
        ['compliancePolicy', 'iOS Compliance'],
        ['deviceConfiguration', 'Corp WiFi'],
        ['endpointSecurityIntent', 'AV Policy'],
        ['enrollmentConfiguration', 'All Users'], // Enrollment Profiles/Windows/ESP, not the Autopilot folder above it
        ['scopeTag', 'Helpdesk'],
        ['settingsCatalogPolicy', 'Firewall'],
        ['windowsPlatformScript', 'Inventory'],
      ].sort(),
    );
    expect(byName(loaded, 'Inventory').object.scriptContent).toBe(Buffer.from('Get-ComputerInfo\n').toString('base64'));
  });

  it("turns IntuneCD's names back into ids: groups, filters and scope tags", () => {
    const wifi = byName(loaded, 'Corp WiFi').object;
    const filter = byName(loaded, 'Corp Devices').object;
    const helpdesk = byName(loaded, 'Helpdesk').object;
    const [group] = loaded.groups;
    expect(loaded.groups).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), displayName: 'All Corp Laptops' }]);
    expect(wifi.assignments).toEqual([
      {
        intent: 'apply',
        target: {
          '@odata.type': '#microsoft.graph.groupAssignmentTarget',
          groupId: group.id,
          deviceAndAppManagementAssignmentFilterId: filter.id,
          deviceAndAppManagementAssignmentFilterType: 'include',
        },
      },
    ]);
    expect(wifi.roleScopeTagIds).toEqual(['0', helpdesk.id]);
    // The same group named twice is one group with one id.
    expect((byName(loaded, 'Firewall').object.assignments as Array<{ target: { groupId: string } }>)[0].target.groupId).toBe(group.id);
  });

  it('reports the settings-catalog compliance policy it cannot hold', () => {
    expect(skippedNames(loaded)).toEqual({
      'Linux Baseline_linux.json': "in folder 'Compliance Policies/Policies': a settings-catalog compliance policy (deviceManagement/compliancePolicies), which the emulator does not hold",
    });
  });
});
