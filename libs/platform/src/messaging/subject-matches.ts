/**
 * Whether a NATS subject (or a narrower pattern) falls under a pattern: `*` stands for one token,
 * a trailing `>` for one or more.
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  const patternTokens = pattern.split('.');
  const subjectTokens = subject.split('.');
  for (let index = 0; index < patternTokens.length; index += 1) {
    const token = patternTokens[index];
    if (token === '>') return subjectTokens.length > index;
    if (index >= subjectTokens.length) return false;
    if (token === '*' ? subjectTokens[index] === '>' : token !== subjectTokens[index]) return false;
  }
  return patternTokens.length === subjectTokens.length;
}
