//! Every user-visible label in Japanese and English, from one table. Used by the TUI and the CLI.
//!
//! Language: `KYODO_LANG`, else `LANG` (`ja*` → Japanese), else English.

pub use crate::domain::lang::Lang;

/// The message table's side of [`Lang`].
impl Lang {
    /// The label of `msg`.
    pub fn t(self, msg: Msg) -> &'static str {
        let (ja, en) = msg.texts();
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

macro_rules! messages {
    ($($name:ident => ($ja:literal, $en:literal)),+ $(,)?) => {
        /// A user-visible label. Its Japanese and English texts are in [`Msg::texts`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Msg { $($name),+ }
        impl Msg {
            /// Every message, in table order (for the catalogue test).
            pub const ALL: &'static [Msg] = &[$(Msg::$name),+];
            /// (Japanese, English).
            pub fn texts(self) -> (&'static str, &'static str) {
                match self { $(Msg::$name => ($ja, $en)),+ }
            }
        }
    };
}

messages! {
    AppTitle => ("kyodo 協働のまちづくり", "kyodo community collaboration"),
    PaneDashboard => ("指標", "Dashboard"),
    PaneBodies => ("協働体", "Bodies"),
    PaneStaff => ("職員", "Staff"),
    PaneMeetings => ("会議", "Meetings"),
    PaneConsultations => ("相談", "Consults"),
    PaneSubsidies => ("交付金", "Subsidies"),
    Indicator => ("成果指標", "Indicator"),
    Value => ("実績", "Value"),
    Baseline => ("基準値", "Baseline"),
    Target => ("目標値", "Target"),
    BaselineFy => ("基準年度", "Base FY"),
    TargetFy => ("目標年度", "Target FY"),
    Achievement => ("達成率", "Achieved"),
    Unit => ("単位", "Unit"),
    NotEntered => ("未入力", "not entered"),
    NotEnteredShort => ("未入力", "(none)"),
    Name => ("名称", "Name"),
    Kana => ("よみ", "Reading"),
    District => ("地区", "District"),
    BranchOffice => ("支所", "Branch office"),
    Established => ("設立", "Established"),
    Dissolved => ("解散", "Dissolved"),
    Households => ("世帯数", "Households"),
    Population => ("人口", "Population"),
    CitizenCenter => ("市民センター", "Citizen center"),
    DesignatedManager => ("指定管理", "Designated manager"),
    CommunityPlan => ("地域づくり計画", "Community plan"),
    Team => ("担当チーム", "Team"),
    Organization => ("所属組織", "Organization"),
    Section => ("所属", "Section"),
    Login => ("ログイン", "Login"),
    Role => ("役割", "Role"),
    Active => ("在籍", "Active"),
    Inactive => ("退職・無効", "Inactive"),
    Assignments => ("担当", "Assignments"),
    Period => ("期間", "Period"),
    Date => ("日付", "Date"),
    Body => ("地域協働体", "Body"),
    Recipient => ("交付先", "Recipient"),
    Award => ("複数年度の採択", "Multi-year award"),
    NotYetApplied => ("未申請", "not applied yet"),
    Place => ("場所", "Place"),
    Attendees => ("出席者", "Attendees"),
    Guests => ("その他出席者", "Guests"),
    Agenda => ("議題", "Agenda"),
    Notes => ("記録", "Notes"),
    Decisions => ("決定事項", "Decisions"),
    FollowUps => ("フォローアップ", "Follow-ups"),
    Due => ("期限", "Due"),
    Done => ("済", "done"),
    Open => ("未了", "open"),
    Counselor => ("相談員", "Counselor"),
    Client => ("相談者", "Client"),
    Channel => ("方法", "Channel"),
    Category => ("分野", "Category"),
    People => ("人数", "People"),
    Minutes => ("時間(分)", "Minutes"),
    Summary => ("相談内容", "Summary"),
    Count => ("件数", "Count"),
    Total => ("合計", "Total"),
    Tally => ("件数のみ", "Tally"),
    Detailed => ("詳細", "Detailed"),
    Individual => ("個人", "Individual"),
    Month => ("月", "Month"),
    CountsByCategory => ("分野別件数", "Counts by category"),
    Program => ("交付金", "Program"),
    Budget => ("予算額", "Budget"),
    Decided => ("交付決定額", "Decided"),
    DecidedShort => ("決定", "decided"),
    BudgetShort => ("予算", "budget"),
    PaidShort => ("支払", "paid"),
    Source => ("集計方法", "Source"),
    OpenFollowUps => ("未了/計", "Open/all"),
    Paid => ("支払済", "Paid"),
    Remaining => ("残額", "Remaining"),
    Applied => ("申請額", "Applied"),
    Confirmed => ("確定額", "Confirmed"),
    State => ("状態", "State"),
    Grants => ("交付先", "Grants"),
    Disbursements => ("支払", "Payments"),
    Kind => ("種別", "Kind"),
    Amount => ("金額", "Amount"),
    Rule => ("配分", "Rule"),
    NoRecords => ("この年度の記録はありません", "No records in this fiscal year"),
    NoMatch => ("該当なし", "No match"),
    Filter => ("絞り込み", "Filter"),
    Help => ("キー一覧", "Keys"),
    HelpClose => ("Esc/?で閉じる", "Esc/? to close"),
    TooSmall => ("端末が小さすぎます (80x24以上にしてください)", "Terminal too small (need at least 80x24)"),
    Unreadable => ("件の記録を読めません (kyodo check)", "records could not be read (run kyodo check)"),
    KeyDown => ("下へ", "down"),
    KeyUp => ("上へ", "up"),
    KeyPageDown => ("次のページ", "page down"),
    KeyPageUp => ("前のページ", "page up"),
    KeyTop => ("先頭へ", "first"),
    KeyBottom => ("末尾へ", "last"),
    KeyDetail => ("詳細", "detail"),
    KeyBack => ("戻る", "back"),
    KeyNextPane => ("次の画面", "next pane"),
    KeyPrevPane => ("前の画面", "previous pane"),
    KeyPane => ("画面を選ぶ", "go to pane"),
    KeyFilter => ("絞り込み", "filter"),
    KeyPrevFy => ("前年度", "previous FY"),
    KeyNextFy => ("次年度", "next FY"),
    KeyHelp => ("キー一覧", "keys"),
    KeyQuit => ("終了", "quit"),
    Records => ("件", "records"),
    Of => ("/", "of"),
    Yes => ("あり", "yes"),
    No => ("なし", "no"),
    DemoBadge => ("デモ", "demo"),
    ViewActions => ("要対応", "needs action"),
    Pace => ("ペース", "Pace"),
    OnPace => ("順調", "on"),
    Behind => ("遅れ", "behind"),
    Pending => ("集計中", "so far"),
    PaceLine => ("直線ペース", "straight-line pace"),
    MonthlyConsultations => ("相談件数(月別)", "Consultations by month"),
    MonthlyMeetings => ("チーム会議(月別)", "Team meetings by month"),
    ViewIndicatorDefs => ("指標の定義", "definitions"),
    ViewPlanActions => ("計画の事業", "plan actions"),
    StatusByYear => ("年度別の状態", "Status by year"),
    PlanPeriod => ("計画期間", "period"),
    KeyNextPlan => ("計画の切替", "next plan"),
    KeyRecordResult => ("実績を記録", "record the year's result"),
    ResultsByYear => ("年度別の実績", "Results by year"),
    CommitteeOpinions => ("協働推進会議の意見", "Committee opinions"),
    CityResponse => ("市の対応", "city's response"),
    NotAnswered => ("未回答", "not yet answered"),
    ReportSection => ("区分", "section"),
    CountLabel => ("件数", "count"),
    Planned => ("計画", "planned"),
    PlanOf => ("計画", "plan"),
    ActionNo => ("No", "No"),
    ActionTitle => ("事業名", "Action"),
    Retired => ("廃止", "retired"),
    RefundCol => ("返還", "Refund"),
    FyCol => ("年度", "FY"),
    PreviewTitle => ("配分の試算", "Allocation preview"),
    PreviewKeys => ("c 比較を切替  t 経過措置(多い方)  A 交付決定を作成  j/k 移動  Esc 閉じる", "c comparison  t transition (larger)  A create grants  j/k move  Esc close"),
    CompareWith => ("比較", "compared with"),
    Transition => ("経過措置: 多い方を交付", "transition: the larger is paid"),
    OverBudget => ("予算超過", "over budget"),
    WithinBudget => ("予算内", "within budget"),
    ConfirmApplyPreview => ("この試算で交付決定を作成しますか? y / n", "Create the grants of this preview? y / n"),
    PreviewApplied => ("件の交付決定を作成しました", "grants decided"),
    ScenarioCreatesNothing => ("配分シナリオは試算だけで、交付決定は作りません。比較を切り替えてから A を押してください", "a scenario is a trial and creates no grants; switch the comparison before pressing A"),
    ScenarioOf => ("配分シナリオ", "Scenario"),
    CurrentAmount => ("現行額", "Current"),
    ScenarioAmount => ("案の額", "Scenario"),
    ScenarioDiff => ("差(案−現行)", "Difference"),
    ScenarioTotal => ("案の合計", "Scenario total"),
    CurrentTotal => ("現行", "current"),
    AreaShort => ("面積km²", "km²"),
    Area => ("面積", "Area"),
    TrainingHistory => ("研修履歴", "Trainings"),
    FromSurvey => ("調査の回", "Survey round"),
    ReportedBack => ("報告会", "reported back"),
    ReportBackOwed => ("報告会の期限", "report back by"),
    AdditionsShort => ("加算", "Add."),
    CenterMark => ("指", "C"),
    PlanMark => ("計", "P"),
    KeyPreview => ("配分の試算", "preview allocation"),
    KeyStep => ("手続き", "next step"),
    GrantsAcrossYears => ("交付金(年度別)", "Grants by year"),
    CorrectionReason => ("訂正の理由", "Reason for the correction"),
    Diff => ("差", "diff"),
    KeyFilterKeep => ("絞り込みを確定", "keep the filter"),
    KeyFilterClear => ("絞り込みを解除", "clear the filter"),
    FormNew => ("新規", "New"),
    FormEdit => ("編集", "Edit"),
    FormKeys => ("Tab 次へ  S-Tab 前へ  Ctrl-S 保存  Esc 取消", "Tab next  S-Tab previous  Ctrl-S save  Esc cancel"),
    FormClearKey => ("Ctrl-U 消去", "Ctrl-U clear"),
    FormAddFollowUp => ("Ctrl-N フォローアップ追加", "Ctrl-N add follow-up"),
    ChoiceHint => ("←→で選択", "Left/Right to choose"),
    FlagsHint => ("数字で切替", "digits toggle"),
    FixErrors => ("入力に誤りがあります。赤い項目を直してください", "Some fields are wrong; fix the marked ones"),
    Saved => ("保存しました", "Saved"),
    Deleted => ("削除しました", "Deleted"),
    NotSaved => ("保存できませんでした", "Not saved"),
    CliSaved => ("保存しました", "saved"),
    CliNotSaved => ("保存していません", "not saved"),
    SummaryWithheld => ("(相談内容は相談員と管理者だけが見られます)", "(only counselors and admins see the summary)"),
    Reconnecting => ("kyodoサーバーに再接続しています… 入力中の内容はそのままです", "Reconnecting to the kyodo server… what you are typing is kept"),
    Reconnected => ("kyodoサーバーに再接続しました", "Reconnected to the kyodo server"),
    ConfirmDelete => ("削除しますか? y: 削除 / n: やめる", "Delete? y: delete / n: keep"),
    ConfirmDiscard => ("入力を破棄しますか? y: 破棄 / n: 続ける", "Discard what you typed? y: discard / n: keep editing"),
    OfferInactive => ("代わりに解散・無効にしますか? y / n", "Mark it dissolved/inactive instead? y / n"),
    DraftFound => ("前回保存されなかった入力(下書き)があります。開きますか? y: 開く / n: 捨てる", "A draft from a cut session was kept. Open it? y: open / n: discard"),
    RotateConfirm => ("この年度の担当を翌年度(4月1日から)にコピーしますか? y / n", "Copy this year's assignments to next year (from April 1)? y / n"),
    Rotated => ("件の担当を翌年度にコピーしました", "assignments copied to next year"),
    QuickLog => ("相談件数をすばやく記録", "Quick tally"),
    QuickCategory => ("分野を番号で選ぶ (d: 詳細な相談を記録)", "Category by number (d: detailed consultation)"),
    QuickChannel => ("方法を番号で選ぶ", "Channel by number"),
    QuickCount => ("件数 (数字で変更) Enterで保存", "Count (type to change), Enter saves"),
    KeyAdd => ("追加", "add"),
    KeyEdit => ("編集", "edit"),
    KeyDelete => ("削除", "delete"),
    KeyQuickLog => ("相談件数", "quick tally"),
    KeyMeetingForBody => ("会議を記録", "record a meeting"),
    KeyConsultationForBody => ("相談を記録", "record a consultation"),
    RecentMeetings => ("最近のチーム会議", "Recent meetings"),
    AsOf => ("現在", "as of"),
    YearCounts => ("の件数", " counts"),
    MeetingsShort => ("チーム会議", "meetings"),
    ConsultationsShort => ("相談", "consultations"),
    ActivitiesShort => ("活動", "activities"),
    PlanRevised => ("改訂日", "Revised"),
    PlanRevisions => ("改訂履歴", "Revisions"),
    BodyOpenFollowUps => ("未了のフォローアップ", "Open follow-ups"),
    RecentConsultations => ("最近の相談", "Recent consultations"),
    KeyLatestFy => ("記録のある最新の年度へ", "latest year with records"),
    StandardOutput => ("標準出力", "standard output"),
    BarImport => ("取り込み中", "import"),
    BarWriting => ("書き込み中", "writing"),
    BarExport => ("書き出し中", "export"),
    BarBackup => ("バックアップ中", "backup"),
    BarRestore => ("復元中", "restore"),
    BarChecking => ("確認中", "checking"),
    EmptyDatabaseHint => ("kyodo report: このデータベースにはまだ記録がありません。`kyodo import フォルダ` で CSV を取り込むか、`kyodo --demo` で見本のデータを試してください", "kyodo report: this database holds no records yet; import CSV files with `kyodo import DIR`, or try the sample data with `kyodo --demo`"),
    KeyView => ("表示切替", "switch view"),
    KeyRotate => ("担当を翌年度へ", "roll assignments"),
    KeyToggleDone => ("済/未", "done/undone"),
    PaneMyWork => ("自分", "Mine"),
    PaneAudit => ("監査", "Audit"),
    AuditCreate => ("登録", "created"),
    AuditUpdate => ("変更", "changed"),
    AuditDelete => ("削除", "deleted"),
    AuditImport => ("取込", "imported"),
    AuditMigrate => ("移行", "migrated"),
    MyBodies => ("担当の地域協働体", "My bodies"),
    MyFollowUps => ("自分のフォローアップ(未了)", "My open follow-ups"),
    MyDue => ("自分の期限: 実績報告・要望への回答・次回連絡", "Due for me: reports, replies, next contacts"),
    DueTitle => ("期限のあるもの", "Due"),
    DueDate => ("期限", "Due"),
    DueState => ("状況", "Status"),
    DueKindHeader => ("種類", "Kind"),
    DueWhat => ("内容", "What"),
    DueWho => ("担当", "Responsible"),
    DueNone => ("期限の来ているものはありません", "Nothing is due"),
    DueOverdueDays => ("日超過", "days overdue"),
    DueDaysLeft => ("あと", "in"),
    DueToday => ("今日", "today"),
    DueOverdueCount => ("件が期限切れです", "overdue"),
    Documents => ("文書", "Documents"),
    Designations => ("指定管理の期間", "Designations"),
    AgendaMeeting => ("チーム会議", "Team meeting"),
    AgendaCommittee => ("協働推進会議", "Committee"),
    AgendaTitle => ("予定", "Agenda"),
    AgendaEarlier => ("件はこれより前に期限が切れています (kyodo due)", "overdue from before (kyodo due)"),
    AgendaNothing => ("この期間の予定はありません", "Nothing in this period"),
    ViewAgenda => ("月の予定", "Month"),
    AgendaDay => ("日", "Day"),
    AgendaMonthKeys => ("月の予定  [ 前の月  ] 次の月", "month  [ previous  ] next"),
    Requests => ("要望・提言", "Requests"),
    Timeline => ("相談の経過", "Consultations"),
    MyMeetings => ("最近の会議", "Recent meetings"),
    Overdue => ("期限超過", "overdue"),
    NoStaffRecord => ("このログイン名の職員が登録されていません (職員のログイン名に登録してください)", "No staff member has this login (set it as a staff member's login)"),
    When => ("日時", "When"),
    User => ("ユーザー", "User"),
    Action => ("操作", "Action"),
    Record => ("記録", "Record"),
    Changes => ("変更", "Changes"),
    ViewBodies => ("地域協働体", "bodies"),
    ViewActivities => ("活動", "activities"),
    ViewStaff => ("職員", "staff"),
    ViewAssignments => ("担当", "assignments"),
    ViewList => ("一覧", "list"),
    ViewMatrix => ("月別・分野別", "by month and category"),
    ViewGrants => ("交付先", "grants"),
    ViewPrograms => ("交付金", "programs"),
    ViewPayments => ("支払", "payments"),
    Title => ("活動名", "Title"),
    Participants => ("参加者", "Participants"),
    DashboardNote => ("達成率 = 実績 ÷ 目標値。Enterで指標の定義(基準年度・目標年度・集計方法)を表示。", "Achieved = value / target. Enter shows an indicator's definition (baseline and target years, source)."),
}

/// Labels of form fields, by field name (the CSV column names): (name, Japanese, English).
pub const FIELD_LABELS: &[(&str, &str, &str)] = &[
    ("name", "名称", "Name"),
    ("kana", "よみがな", "Reading (kana)"),
    ("district", "地区", "District"),
    ("branch_office", "支所", "Branch office"),
    ("established_on", "設立日", "Established"),
    ("dissolved_on", "解散日", "Dissolved"),
    ("households", "世帯数", "Households"),
    ("population", "人口", "Population"),
    ("counts_as_of", "世帯・人口の基準日", "Counts as of"),
    ("area_km2", "面積(km²)", "Area (km²)"),
    ("as_of", "基準日", "As of"),
    ("counts_date", "世帯・人口の基準日", "Counts taken on"),
    ("floor", "下限額", "Floor"),
    ("cap", "上限額", "Cap"),
    ("rates", "補助率(年目順)", "Rates by year"),
    (
        "over_budget_reason",
        "予算超過を認める理由",
        "Over-budget reason",
    ),
    ("eligible_cost", "対象経費", "Eligible cost"),
    ("project_year", "事業の年目", "Project year"),
    ("closed_on", "完了日", "Closed on"),
    ("report_due", "実績報告の期限", "Report due"),
    ("project_end", "事業完了日", "Project ended"),
    ("case", "相談案件", "Case"),
    ("step", "手続き", "Step"),
    ("reason", "訂正の理由", "Reason"),
    ("id", "ID", "Id"),
    ("order", "表示順", "Order"),
    ("name_ja", "名称(日本語)", "Name (Japanese)"),
    ("name_en", "名称(英語)", "Name (English)"),
    ("unit_ja", "単位(日本語)", "Unit (Japanese)"),
    ("unit_en", "単位(英語)", "Unit (English)"),
    ("baseline_fy", "基準年度", "Baseline FY"),
    ("baseline", "基準値", "Baseline"),
    ("target_fy", "目標年度", "Target FY"),
    ("target", "目標値", "Target"),
    ("source", "集計方法", "Source"),
    ("retired", "廃止", "Retired"),
    ("plan", "計画", "Plan"),
    ("plan_start_fy", "計画開始年度", "Plan first FY"),
    ("plan_end_fy", "計画終了年度", "Plan last FY"),
    ("number", "事業番号", "Number"),
    ("policy", "基本方針", "Policy"),
    ("measure", "施策", "Measure"),
    ("lead", "先導する主体(◎)", "Leads"),
    ("partners", "参加・協力(○)", "Takes part"),
    ("description", "内容", "What is done"),
    (
        "statuses",
        "年度別の状態(年度:状態;…)",
        "Status by year (year:status;…)",
    ),
    (
        "note",
        "備考(監査記録に残る)",
        "Note (kept in the audit trail)",
    ),
    ("citizen_center", "市民センター", "Citizen center"),
    (
        "designated_manager_since",
        "指定管理開始",
        "Designated manager since",
    ),
    ("plan_vision", "計画の将来像", "Plan vision"),
    ("plan_start_fy", "計画開始年度", "Plan first FY"),
    ("plan_end_fy", "計画終了年度", "Plan last FY"),
    ("plan_revised_on", "計画改訂日", "Plan revised"),
    ("organization", "所属組織", "Organization"),
    ("section", "所属", "Section"),
    ("login", "ログイン名", "Login"),
    ("role", "役割", "Role"),
    ("active", "在籍", "Active"),
    ("staff", "職員", "Staff"),
    ("body", "地域協働体", "Body"),
    ("from", "開始日", "From"),
    ("to", "終了日", "To"),
    ("program", "交付金", "Program"),
    ("fiscal_year", "年度", "Fiscal year"),
    ("budget", "予算額", "Budget"),
    ("rule", "配分方法", "Rule"),
    ("per_body", "均等割", "Per body"),
    ("per_household", "世帯割", "Per household"),
    ("per_capita", "人口割", "Per person"),
    ("round_unit", "端数処理単位", "Rounding unit"),
    ("fixed_amount", "定額", "Fixed amount"),
    ("applied_amount", "申請額", "Applied"),
    ("applied_on", "申請日", "Applied on"),
    ("decided_amount", "交付決定額", "Decided"),
    ("decided_on", "交付決定日", "Decided on"),
    ("reported_on", "実績報告日", "Reported on"),
    ("confirmed_amount", "確定額", "Confirmed"),
    ("confirmed_on", "確定日", "Confirmed on"),
    ("state", "状態", "State"),
    ("date", "日付", "Date"),
    ("kind", "種別", "Kind"),
    ("amount", "金額", "Amount"),
    ("place", "場所", "Place"),
    ("attendees", "出席職員", "Attending staff"),
    ("guests", "その他出席者", "Other attendees"),
    ("agenda", "議題", "Agenda"),
    ("notes", "記録", "Notes"),
    ("decisions", "決定事項", "Decisions"),
    ("follow_ups", "フォローアップ", "Follow-ups"),
    ("counselor", "相談員", "Counselor"),
    ("client_type", "相談者の種別", "Client type"),
    ("client_name", "相談者名", "Client name"),
    ("channel", "方法", "Channel"),
    ("categories", "分野", "Categories"),
    ("category", "分野", "Category"),
    ("people", "人数", "People"),
    ("minutes", "時間(分)", "Minutes"),
    ("summary", "相談内容", "Summary"),
    ("count", "件数", "Count"),
    ("title", "活動名", "Title"),
    ("participants", "参加者数", "Participants"),
    ("indicator", "成果指標", "Indicator"),
    ("value", "値", "Value"),
];

impl Lang {
    /// A record type's name (its table name if unknown).
    pub fn table(self, name: &str) -> &str {
        match crate::domain::RecordKind::of_name(name) {
            Some(k) => k.plural(self),
            None => name,
        }
    }

    /// The label of field `key` of record type `table` (a CSV/form table name): the type's
    /// own label ([`crate::domain::RecordType::FIELD_LABELS`]) if it has one, else
    /// [`Lang::field`]'s.
    pub fn field_of<'a>(self, table: &str, key: &'a str) -> &'a str {
        crate::domain::RecordKind::of_name(table)
            .and_then(|k| k.field_label(key, self))
            .unwrap_or_else(|| self.field(key))
    }

    /// A stored field's text as the screens show it: a fiscal-year field's number (`2024`, as
    /// CSV keeps it) in the user's calendar (`令和6年度` / `FY2024`, issue 15.3), which every
    /// year field reads back; any other field as it is. Year fields are those the field reader
    /// reads as years, named by the fields' convention: `fiscal_year` or `…_fy`.
    pub fn shown_value(self, key: &str, value: String) -> String {
        let year_field = key == "fiscal_year" || key.ends_with("_fy");
        match value.trim().parse::<i32>() {
            Ok(y) if year_field => self.fy(crate::domain::FiscalYear(y)),
            _ => value,
        }
    }

    /// A stored field's text as a detail or the audit says it: [`Lang::shown_value`], a yen
    /// field in yen (`4,060,000円`), and in
    /// English each term of a closed vocabulary (one, or a `;`-separated list such as
    /// categories) in English (`住民参画` → `Resident participation`); free text as written.
    /// Year-status lists (`2024:実施;2025:検討`) have their statuses said too.
    pub fn said_value(self, key: &str, value: String) -> String {
        // Yen fields, by the fields' convention (`…_fee`, `…_amount`, `budget`, an allocation's
        // `per_…`, `…_addition`, `floor` and `cap`), in yen.
        let yen_field = key.ends_with("_fee")
            || key.ends_with("_amount")
            || key.starts_with("per_")
            || key.ends_with("_addition")
            || matches!(key, "budget" | "floor" | "cap");
        if yen_field && let Ok(yen) = value.trim().parse::<i64>() {
            return self.yen(yen);
        }
        let value = self.shown_value(key, value);
        if self == Lang::Ja || value.is_empty() {
            return value;
        }
        let term = |t: &str| -> Option<String> {
            if let Some((year, status)) = t.split_once(':') {
                let s = crate::domain::vocab::term_in(status, self)?;
                return Some(format!("{year}:{s}"));
            }
            crate::domain::vocab::term_in(t, self).map(str::to_string)
        };
        let parts: Vec<&str> = value.split(';').collect();
        let said: Option<Vec<String>> = parts.iter().map(|p| term(p)).collect();
        match said {
            Some(s) => s.join(";"),
            None => value,
        }
    }

    /// The label of a form field (its name if unknown).
    pub fn field(self, key: &str) -> &str {
        FIELD_LABELS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, ja, en)| match self {
                Lang::Ja => *ja,
                Lang::En => *en,
            })
            .unwrap_or(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_japanese(s: &str) -> bool {
        s.chars().any(|c| {
            ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c)
        })
    }

    /// Issue 15.2: every message and field label has both languages, and neither is the
    /// other's copy (a Japanese label in the English column reads as a missing translation).
    #[test]
    fn every_message_and_label_exists_in_both_languages() {
        let mut missing = Vec::new();
        for m in Msg::ALL {
            let (ja, en) = m.texts();
            if ja.trim().is_empty() || en.trim().is_empty() {
                missing.push(format!("{m:?}: empty"));
            }
            if has_japanese(en) {
                missing.push(format!("{m:?}: English text is Japanese: {en}"));
            }
        }
        for (key, ja, en) in FIELD_LABELS {
            if ja.trim().is_empty() || en.trim().is_empty() || has_japanese(en) {
                missing.push(format!("field {key}: {ja:?} / {en:?}"));
            }
        }
        for k in crate::domain::RecordKind::ALL {
            for lang in [Lang::Ja, Lang::En] {
                if k.title(lang).trim().is_empty() || k.plural(lang).trim().is_empty() {
                    missing.push(format!("{k:?}: no title in {lang:?}"));
                }
            }
            if has_japanese(k.title(Lang::En)) || has_japanese(k.plural(Lang::En)) {
                missing.push(format!("{k:?}: English title is Japanese"));
            }
        }
        assert!(missing.is_empty(), "{missing:#?}");
        // The table has no two messages under one name and none lost: the count is the enum's.
        assert!(Msg::ALL.len() > 100);
    }

    #[test]
    fn language_choice() {
        assert_eq!(Lang::from_values(Some("ja"), Some("C")), Lang::Ja);
        assert_eq!(Lang::from_values(Some("en"), Some("ja_JP.UTF-8")), Lang::En);
        assert_eq!(Lang::from_values(None, Some("ja_JP.UTF-8")), Lang::Ja);
        assert_eq!(Lang::from_values(Some(""), Some("ja_JP.UTF-8")), Lang::Ja);
        assert_eq!(Lang::from_values(None, Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_values(None, None), Lang::En);
    }
}
