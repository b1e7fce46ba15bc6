import { ExportPathAllocator, attachmentDisposition, exportArchiveName, exportFolder, safeFileStem } from './export-layout.js';

describe("export layout (IntuneManagement's folders and file names)", () => {
  it("puts each type in IntuneManagement's folder, update rings and enrollment kinds in their own views", () => {
    expect(exportFolder('deviceConfiguration', '#microsoft.graph.windows10CustomConfiguration', {})).toBe('DeviceConfiguration');
    expect(exportFolder('deviceConfiguration', '#microsoft.graph.windowsUpdateForBusinessConfiguration', {})).toBe('UpdatePolicies');
    expect(exportFolder('settingsCatalogPolicy', null, {})).toBe('SettingsCatalog');
    expect(exportFolder('enrollmentConfiguration', '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration', {})).toBe('EnrollmentStatusPage');
    expect(exportFolder('enrollmentConfiguration', '#microsoft.graph.deviceComanagementAuthorityConfiguration', {})).toBe('CoManagementSettings');
    expect(exportFolder('enrollmentConfiguration', '#microsoft.graph.deviceEnrollmentLimitConfiguration', {})).toBe('EnrollmentRestrictions');
    // Since the kinds are their own types, the same folders as before.
    expect(exportFolder('enrollmentStatusPage', '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration', {})).toBe('EnrollmentStatusPage');
    expect(exportFolder('enrollmentDeviceLimit', '#microsoft.graph.deviceEnrollmentLimitConfiguration', {})).toBe('EnrollmentRestrictions');
    expect(exportFolder('appConfigurationPolicy', '#microsoft.graph.androidManagedStoreAppConfiguration', { appSupportsOemConfig: true })).toBe('AndroidOEMConfig');
    expect(exportFolder('appConfigurationPolicy', '#microsoft.graph.iosMobileAppConfiguration', {})).toBe('AppConfigurationManagedDevice');
    expect(exportFolder('someFutureType', null, {})).toBe('someFutureType');
  });

  it('makes display names safe file names on every file system, never empty', () => {
    expect(safeFileStem('Wi-Fi: "Corp" <EMEA>/|*?', 'id')).toBe('Wi-Fi Corp EMEA');
    expect(safeFileStem('..hidden.. ', 'id')).toBe('hidden');
    expect(safeFileStem('a\\b\u0001c', 'id')).toBe('abc');
    expect(safeFileStem('???', 'graph-id')).toBe('graph-id');
    expect(safeFileStem('CON', 'id')).toBe('CON_');
    expect(safeFileStem('Stratégie ✓', 'id')).toBe('Stratégie ✓');
    expect(safeFileStem('x'.repeat(400), 'id')).toHaveLength(150);
  });

  it('hands out unique paths regardless of case: the graph id, then a number', () => {
    const paths = new ExportPathAllocator(['manifest.json']);
    expect(paths.allocate('DeviceConfiguration', 'Baseline', 'g1')).toBe('DeviceConfiguration/Baseline.json');
    expect(paths.allocate('DeviceConfiguration', 'BASELINE', 'g2')).toBe('DeviceConfiguration/BASELINE_g2.json');
    expect(paths.allocate('DeviceConfiguration', 'Baseline', 'g2')).toBe('DeviceConfiguration/Baseline_g2_2.json');
    expect(paths.allocate('SettingsCatalog', 'Baseline', 'g3')).toBe('SettingsCatalog/Baseline.json');
  });

  it('names the download after the set and the day it was made, with a UTF-8 name when it is not ASCII', () => {
    expect(exportArchiveName('Nightly: all', '2026-03-04T23:59:00.000Z')).toBe('Nightly all-2026-03-04.zip');
    expect(attachmentDisposition('Nightly-2026-03-04.zip')).toBe('attachment; filename="Nightly-2026-03-04.zip"');
    expect(attachmentDisposition('Sauvegarde é-2026-03-04.zip')).toBe(
      `attachment; filename="Sauvegarde _-2026-03-04.zip"; filename*=UTF-8''Sauvegarde%20%C3%A9-2026-03-04.zip`,
    );
  });
});
