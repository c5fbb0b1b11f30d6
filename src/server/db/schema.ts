import type { TerritoryTable, DepartmentTable } from '../modules/territory/table.ts'
import type { AppUserTable, LoginNameTable, UserUnitTable } from '../modules/user/table.ts'
import type { SessionTable, LoginLogTable } from '../modules/auth/table.ts'
import type { AuditLogTable, AuditHeadTable } from '../modules/audit/table.ts'
import type { DictItemTable } from '../modules/dictionary/table.ts'
import type { PersonTable } from '../modules/person/table.ts'
import type { CircumstanceTable, CircumstanceDepartmentTable } from '../modules/circumstance/table.ts'
import type { PostHoldingTable } from '../modules/post/table.ts'
import type { NomineeTable, NomineeObjectionTable, TalkRecordTable } from '../modules/nominee/table.ts'
import type { ReviewBatchTable, ReviewRequestTable, ReviewFindingTable, ReviewEvidenceTable } from '../modules/review/table.ts'
import type { NoticeTable } from '../modules/notice/table.ts'
import type { ElectionCandidateTable, ElectionPostTable, ElectionStaffTable, ElectionStationTable, ElectionTable, TallyBallotTable, TallyResultTable, TallyRuleSetTable } from '../modules/election/table.ts'
import type { CampaignTable } from '../modules/campaign/table.ts'
import type { CompositionRuleSetTable } from '../modules/stats/table.ts'
import type { CampaignPhaseTable, MilestoneTable, UnitScheduleTable } from '../modules/timeline/table.ts'
import type { IdempotencyKeyTable, ProgressReportTable, ReportPhotoTable } from '../modules/report/table.ts'
import type { AlertSettingTable } from '../modules/alert/table.ts'
import type { WorkGroupTable } from '../modules/organisation/table.ts'
import type { DocumentReceiptTable, LibraryDocumentTable, MeetingDecisionTable, MeetingTable, QaItemTable } from '../modules/deployment/table.ts'
import type { PublicityActivityTable, PublicityPhotoTable } from '../modules/publicity/table.ts'
import type { CadreTalkTable, RiskItemTable, UnitAssessmentTable, VisitTable } from '../modules/situation/table.ts'
import type { PollingStationTable, PollingStationVoterTable, VoterObjectionTable, VoterProxyTable, VoterRollTable, VoterTable } from '../modules/voter/table.ts'

/** Every table the application knows, composed from the modules' table files. */
export interface DB {
  territory: TerritoryTable
  department: DepartmentTable
  app_user: AppUserTable
  login_name: LoginNameTable
  user_unit: UserUnitTable
  session: SessionTable
  login_log: LoginLogTable
  audit_log: AuditLogTable
  audit_head: AuditHeadTable
  dict_item: DictItemTable
  person: PersonTable
  circumstance: CircumstanceTable
  circumstance_department: CircumstanceDepartmentTable
  post_holding: PostHoldingTable
  review_batch: ReviewBatchTable
  notice: NoticeTable
  nominee: NomineeTable
  nominee_objection: NomineeObjectionTable
  review_request: ReviewRequestTable
  review_finding: ReviewFindingTable
  review_evidence: ReviewEvidenceTable
  talk_record: TalkRecordTable
  tally_rule_set: TallyRuleSetTable
  election: ElectionTable
  election_post: ElectionPostTable
  election_candidate: ElectionCandidateTable
  election_staff: ElectionStaffTable
  election_station: ElectionStationTable
  tally_result: TallyResultTable
  tally_ballot: TallyBallotTable
  campaign: CampaignTable
  composition_rule_set: CompositionRuleSetTable
  campaign_phase: CampaignPhaseTable
  unit_schedule: UnitScheduleTable
  milestone: MilestoneTable
  progress_report: ProgressReportTable
  report_photo: ReportPhotoTable
  idempotency_key: IdempotencyKeyTable
  alert_setting: AlertSettingTable
  work_group: WorkGroupTable
  meeting: MeetingTable
  meeting_decision: MeetingDecisionTable
  library_document: LibraryDocumentTable
  document_receipt: DocumentReceiptTable
  qa_item: QaItemTable
  publicity_activity: PublicityActivityTable
  publicity_photo: PublicityPhotoTable
  unit_assessment: UnitAssessmentTable
  risk_item: RiskItemTable
  cadre_talk: CadreTalkTable
  visit: VisitTable
  voter_roll: VoterRollTable
  voter: VoterTable
  voter_objection: VoterObjectionTable
  voter_proxy: VoterProxyTable
  polling_station: PollingStationTable
  polling_station_voter: PollingStationVoterTable
}

