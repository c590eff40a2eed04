// audit: the audit trail is for auditors auditing, and for no one else.
import type { FieldTable } from '../index.js';

/** Whose staff see this data as their own (`own` grants). */
export const owner = 'AUDIT';

const AUDITOR = 'AUDITOR : AUDIT | own';

export const audit: FieldTable = {
  'Query.auditAccessToPerson':            [AUDITOR],
  'Query.auditActivityOfUser':            [AUDITOR],
  'Query.auditDisclosuresUnderAgreement': [AUDITOR],
  'AuditRecordPage.*':                    'INHERIT',
  'AuditRecord.*':                        'INHERIT',
  'AuditCaller.*':                        'INHERIT',
  'AuditSubject.*':                       'INHERIT',
  'AuditDisclosure.*':                    'INHERIT',
};
