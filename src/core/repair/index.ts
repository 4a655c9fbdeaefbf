// Repair of a damaged manager into a new copy (issue #15): plan (read-only), write, verify, report.
export { planRepair, planRepairSteps } from './plan';
export { checkRepairOutput, verifyRepair, writeRepair, writeRepairSteps } from './write';
export { repairReportJson, repairReportText, FORCE_NEW_CLUSTER } from './report';
export { describeLoss } from './losses';
export type * from './model';
