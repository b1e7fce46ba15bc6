import { registerDecorator, type ValidationOptions } from 'class-validator';

const known = new Map<string, boolean>();

/** True for a time zone this runtime's ICU knows (`Europe/Berlin`, `UTC`); run-service checks the same way. */
export function isIanaTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  let answer = known.get(value);
  if (answer === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      answer = true;
    } catch {
      answer = false;
    }
    if (known.size < 1000) known.set(value, answer);
  }
  return answer;
}

export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an IANA time zone such as Europe/Berlin', ...options },
      validator: { validate: isIanaTimeZone },
    });
}
