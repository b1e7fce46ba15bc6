import { attachmentFileName } from './http';

describe('attachmentFileName (Content-Disposition of a download)', () => {
  it('reads the quoted name, and prefers the UTF-8 name when there is one', () => {
    expect(attachmentFileName('attachment; filename="Nightly-2026-03-04.zip"')).toBe('Nightly-2026-03-04.zip');
    expect(attachmentFileName(`attachment; filename="Sauvegarde _-2026-03-04.zip"; filename*=UTF-8''Sauvegarde%20%C3%A9-2026-03-04.zip`)).toBe('Sauvegarde é-2026-03-04.zip');
  });

  it('falls back to the quoted name for a malformed UTF-8 name, and gives nothing without a header', () => {
    expect(attachmentFileName(`attachment; filename="plain.zip"; filename*=UTF-8''bad%E0%A4%A.zip`)).toBe('plain.zip');
    expect(attachmentFileName(null)).toBeUndefined();
    expect(attachmentFileName('inline')).toBeUndefined();
  });
});
