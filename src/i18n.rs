//! Every user-visible label in Japanese and English, from one table. Used by the TUI and the CLI.
//!
//! Language: `KYODO_LANG`, else `LANG` (`ja*` → Japanese), else English.

/// UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 日本語.
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Picks the language from `KYODO_LANG`, else `LANG`, else English.
    pub fn from_env() -> Lang {
        Lang::from_values(
            std::env::var("KYODO_LANG").ok().as_deref(),
            std::env::var("LANG").ok().as_deref(),
        )
    }

    /// The rule behind [`Lang::from_env`], on given values (testable without the environment).
    pub fn from_values(kyodo_lang: Option<&str>, lang: Option<&str>) -> Lang {
        let pick = |v: &str| {
            if v.to_ascii_lowercase().starts_with("ja") {
                Lang::Ja
            } else {
                Lang::En
            }
        };
        match (
            kyodo_lang.filter(|v| !v.is_empty()),
            lang.filter(|v| !v.is_empty()),
        ) {
            (Some(k), _) => pick(k),
            (None, Some(l)) => pick(l),
            (None, None) => Lang::En,
        }
    }

    /// A fiscal year's label: 令和4年度 / FY2022.
    pub fn fy(self, fy: crate::domain::FiscalYear) -> String {
        match self {
            Lang::Ja => fy.ja_label(),
            Lang::En => fy.en_label(),
        }
    }

    /// Yen with separators: 1,500,000円 / ¥1,500,000.
    pub fn yen(self, yen: i64) -> String {
        match self {
            Lang::Ja => crate::domain::money::yen_ja(yen),
            Lang::En => crate::domain::money::yen_en(yen),
        }
    }

    /// A date: 令和6年4月1日 / 2024-04-01.
    pub fn date(self, d: chrono::NaiveDate) -> String {
        match self {
            Lang::Ja => d.format("%Y/%m/%d").to_string(),
            Lang::En => d.format("%Y-%m-%d").to_string(),
        }
    }

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
            /// (Japanese, English).
            pub fn texts(self) -> (&'static str, &'static str) {
                match self { $(Msg::$name => ($ja, $en)),+ }
            }
        }
    };
}

messages! {
    AppTitle => ("kyodo 協働のまちづくり", "kyodo community collaboration"),
    PaneDashboard => ("ダッシュボード", "Dashboard"),
    PaneBodies => ("地域協働体", "Bodies"),
    PaneStaff => ("職員・担当", "Staff"),
    PaneMeetings => ("チーム会議", "Meetings"),
    PaneConsultations => ("相談", "Consultations"),
    PaneSubsidies => ("交付金", "Subsidies"),
    Indicator => ("成果指標", "Indicator"),
    Value => ("実績", "Value"),
    Baseline => ("基準値", "Baseline"),
    Target => ("目標値", "Target"),
    Achievement => ("達成率", "Achieved"),
    Unit => ("単位", "Unit"),
    NotEntered => ("未入力", "none"),
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
    DashboardNote => ("達成率 = 実績 ÷ 目標値。Enterで指標の定義(基準年度・目標年度・集計方法)を表示。", "Achieved = value / target. Enter shows an indicator's definition (baseline and target years, source)."),
}

#[cfg(test)]
mod tests {
    use super::*;

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
