/** Injection token for the running service's name ("gateway", "run-service"…). */
export const SERVICE_NAME = Symbol('SERVICE_NAME');
