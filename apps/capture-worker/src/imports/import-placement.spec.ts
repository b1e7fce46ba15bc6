import { decodeFile, decodeText, importFileKind } from './import-decoding.js';
import { manifestFiles, placeFile } from './import-placement.js';

const typeOf = (path: string, value: unknown) => placeFile(path, value, undefined).map((placement) => (placement.kind === 'placed' ? placement.placed.policyType : placement.kind));

describe('reading imported files', () => {
  const text = '{"displayName": "Kiosk ✓"}';
  it.each([
    ['UTF-8', Buffer.from(text, 'utf8')],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16 LE without a BOM', Buffer.from(text, 'utf16le')],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
    ['UTF-16 BE without a BOM', Buffer.from(text, 'utf16le').swap16()],
  ])('decodes %s', (_name, bytes) => {
    expect(decodeText(bytes)).toBe(text);
    expect(decodeFile(bytes, 'json')).toEqual({ ok: true, value: { displayName: 'Kiosk ✓' } });
  });

  it('refuses what is not text, not JSON or YAML, or hostile, with a fixed reason', () => {
    expect(decodeFile(Buffer.from([0x7b, 0xe9, 0x7d]), 'json')).toEqual({ ok: false, reason: 'The file is not valid UTF-8 or UTF-16 text.' });
    expect(decodeFile(Buffer.from('{"a":'), 'json')).toEqual({ ok: false, reason: 'The file is not valid JSON.' });
    expect(decodeFile(Buffer.from('a: [b'), 'yaml')).toEqual({ ok: false, reason: 'The file is not valid YAML.' });
    expect(decodeFile(Buffer.from('  \n'), 'json')).toEqual({ ok: false, reason: 'The file is empty.' });
    expect(decodeFile(Buffer.from('{"__proto__": {"x": 1}}'), 'json')).toMatchObject({ ok: false });
    expect(decodeFile(Buffer.from(`${'['.repeat(100)}${']'.repeat(100)}`), 'json')).toMatchObject({ ok: false });
    // A billion-laughs YAML is refused by the alias limit.
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
    expect(decodeFile(Buffer.from(laughs), 'yaml')).toEqual({ ok: false, reason: 'The file is not valid YAML.' });
  });

  it('reads JSON and YAML files only', () => {
    expect([importFileKind('a/b.JSON'), importFileKind('a/b.yml'), importFileKind('a/b.yaml'), importFileKind('Script Data/x.ps1')]).toEqual(['json', 'yaml', 'yaml', undefined]);
  });
});

describe('placing imported objects', () => {
  it("follows IntuneManagement's and IntuneCD's folders", () => {
    expect(typeOf('export/SettingsCatalog/A.json', { name: 'A', settings: [] })).toEqual(['settingsCatalogPolicy']);
    expect(typeOf('UpdatePolicies/Ring.json', { '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration' })).toEqual(['deviceConfiguration']);
    expect(typeOf('EnrollmentStatusPage/ESP.json', {})).toEqual(['enrollmentConfiguration']);
    expect(typeOf('backup/Compliance Policies/Policies/W.yaml', { displayName: 'W' })).toEqual(['compliancePolicy']);
    expect(typeOf('backup/Compliance Policies/Message Templates/M.yaml', { displayName: 'M' })).toEqual(['unsupported']);
    expect(typeOf('backup/Enrollment Profiles/Windows/ESP/E.json', {})).toEqual(['enrollmentConfiguration']);
    expect(typeOf('backup/Enrollment Profiles/Windows/P.json', {})).toEqual(['autopilotProfile']);
    expect(typeOf('backup/Management Intents/Antivirus/I.json', {})).toEqual(['endpointSecurityIntent']);
    expect(typeOf('backup/Scripts/Shell/S.json', {})).toEqual(['macOSPlatformScript']);
    // IntuneCD keeps settings catalog compliance policies beside the classic ones: not a supported type.
    expect(typeOf('Compliance Policies/Policies/C.json', { name: 'C', settings: [], technologies: 'mdm' })).toEqual(['unsupported']);
  });

  it('falls back to @odata.context, @odata.type, then the shape', () => {
    expect(typeOf('x.json', { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceManagement/windowsFeatureUpdateProfiles/$entity', id: '1' })).toEqual(['windowsFeatureUpdateProfile']);
    expect(typeOf('x.json', { '@odata.type': '#microsoft.graph.androidWorkProfileCompliancePolicy' })).toEqual(['compliancePolicy']);
    expect(typeOf('x.json', { '@odata.type': '#microsoft.graph.iosManagedAppProtection' })).toEqual(['appProtectionPolicy']);
    expect(typeOf('x.json', { '@odata.type': '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration' })).toEqual(['enrollmentConfiguration']);
    expect(typeOf('x.json', { '@odata.type': '#microsoft.graph.macOSCustomConfiguration' })).toEqual(['deviceConfiguration']);
    expect(typeOf('x.json', { name: 'Catalog', platforms: 'windows10', settings: [] })).toEqual(['settingsCatalogPolicy']);
    expect(typeOf('x.json', { displayName: 'Remediate', detectionScriptContent: 'ZWNobw==' })).toEqual(['remediationScript']);
    expect(typeOf('x.json', { colour: 'blue' })).toEqual(['unplaced']);
    expect(typeOf('x.json', [1, 2])).toEqual(['unplaced']);
  });

  it('places each object of a Graph Explorer collection, with its position', () => {
    const placements = placeFile(
      'response.json',
      { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceCompliancePolicies', value: [{ id: 'a', displayName: 'A' }, 'junk'] },
      undefined,
    );
    expect(placements).toEqual([
      { kind: 'placed', placed: expect.objectContaining({ policyType: 'compliancePolicy', graphId: 'a', displayName: 'A', index: 0 }) },
      { kind: 'unplaced', index: 1, reason: 'The file does not hold a JSON object.' },
    ]);
  });

  it("takes PolicyVault's manifest as it is: type, Graph id, name and foundation flag", () => {
    const manifest = manifestFiles({
      format: 'policyvault.backup-set-export',
      files: [{ path: 'ScopeTags/Paris.json', policyType: 'scopeTag', graphId: '7', displayName: 'Paris', isFoundation: true }],
    });
    expect(placeFile('ScopeTags/Paris.json', { displayName: 'Renamed' }, manifest)).toEqual([
      { kind: 'placed', placed: { policyType: 'scopeTag', graphId: '7', displayName: 'Paris', isFoundation: true, object: { displayName: 'Renamed' }, index: undefined } },
    ]);
    expect(manifestFiles({ format: 'something else', files: [] })).toBeUndefined();
  });
});
