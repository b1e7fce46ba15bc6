import { administrativeTemplateWrites } from './administrative-template.writes.js';
import { appProtectionWrites } from './app-protection.writes.js';
import { authenticationStrengthWrites } from './authentication-strength.writes.js';
import { complianceWrites } from './compliance-policy.writes.js';
import { assignmentsOnlyWrites, defaultWrites } from './default.writes.js';
import { enrollmentConfigurationWrites } from './enrollment-configuration.writes.js';
import { intentWrites } from './intent.writes.js';
import { policySetWrites } from './policy-set.writes.js';
import { notificationTemplateWrites } from './notification-template.writes.js';
import type { WriteStrategy } from './planned-request.js';
import { roleAssignmentWrites } from './role-assignment.writes.js';
import { tenantSettingsWrites } from './tenant-settings.writes.js';

/** Types whose writes need more than one create or one update of the body; every other type uses `defaultWrites`. */
const strategies: Readonly<Record<string, WriteStrategy>> = {
  compliancePolicy: complianceWrites,
  endpointSecurityIntent: intentWrites,
  administrativeTemplate: administrativeTemplateWrites,
  appProtectionPolicy: appProtectionWrites,
  enrollmentConfiguration: enrollmentConfigurationWrites,
  managedAppConfiguration: appProtectionWrites,
  mobileApp: assignmentsOnlyWrites,
  policySet: policySetWrites,
  authenticationStrengthPolicy: authenticationStrengthWrites,
  enrollmentStatusPage: enrollmentConfigurationWrites,
  enrollmentPlatformRestriction: enrollmentConfigurationWrites,
  enrollmentDeviceLimit: enrollmentConfigurationWrites,
  enrollmentWindowsHelloForBusiness: enrollmentConfigurationWrites,
  notificationMessageTemplate: notificationTemplateWrites,
  roleAssignment: roleAssignmentWrites,
  deviceManagementSettings: tenantSettingsWrites,
};

export function writeStrategyFor(policyType: string): WriteStrategy {
  return Object.prototype.hasOwnProperty.call(strategies, policyType) ? strategies[policyType] : defaultWrites;
}
