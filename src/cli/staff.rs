//! `kyodo staff list|add|set-role|set-login|deactivate`: manage people, logins and roles from the
//! shell (issue 6, "Identity and roles"). A person is named by name, kana or login, as in
//! `kyodo log`. Every change goes through the same rules as the TUI's staff form
//! ([`rules::staff_login`]), is written durably, and is recorded in the audit trail. Embedded
//! (no server), the owner of the database files acts as admin (docs/DESIGN.md, "Shared use on one
//! server").

use crate::app::resolve::resolve;
use crate::domain::*;
use crate::i18n::Lang;
use crate::store::{Batch, Store};
use crate::text::{pad, sanitize, width};
use clap::Subcommand;

/// What to do with staff.
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// List staff (active ones unless --all): id, name, kana, organization, section, login, role
    List {
        /// Include people who have left
        #[arg(long)]
        all: bool,
    },
    /// Add a person
    Add {
        /// Full name, e.g. "佐藤 花子"
        #[arg(long)]
        name: String,
        /// よみがな, e.g. "さとう はなこ"
        #[arg(long)]
        kana: String,
        /// 市 or 中間支援組織 (city or support_center)
        #[arg(long, default_value = "city")]
        organization: String,
        /// 所属, e.g. まちづくり推進課 or 花泉支所
        #[arg(long, default_value = "")]
        section: String,
        /// OS login on this server, e.g. sato.hanako
        #[arg(long)]
        login: Option<String>,
        /// admin, coordinator, liaison, counselor or viewer (管理者, 調整担当, 地域担当, 相談員, 閲覧)
        #[arg(long, default_value = "viewer")]
        role: String,
    },
    /// Change a person's role
    SetRole {
        /// Name, kana or login
        person: String,
        /// admin, coordinator, liaison, counselor or viewer (管理者, 調整担当, 地域担当, 相談員, 閲覧)
        role: String,
    },
    /// Set a person's OS login ("" removes it)
    SetLogin {
        /// Name, kana or login
        person: String,
        /// The OS user name, e.g. sato.hanako
        login: String,
    },
    /// Mark a person as having left (kept for history; their login stops working)
    Deactivate {
        /// Name, kana or login
        person: String,
    },
}

/// Runs `kyodo staff`; returns the exit code: 0 done, 2 invalid input (nothing written; the
/// message on stderr says what to fix), 1 storage error.
pub fn run(store: &Store, cmd: &StaffCommand, lang: Lang) -> i32 {
    let staff = store.list::<Staff>().items;
    if let StaffCommand::List { all } = cmd {
        print!("{}", list(&staff, *all, lang));
        return 0;
    }
    match change(&staff, cmd) {
        Err(t) => {
            eprintln!("kyodo staff: {}", sanitize(t.get(lang)));
            2
        }
        Ok((s, what)) => {
            let mut b = Batch::new();
            if let Some(seen) = staff.iter().find(|x| x.id == s.id && s.id != 0)
                && let Err(e) = store.expect_unchanged(&mut b, seen)
            {
                eprintln!(
                    "kyodo staff: {}: {}",
                    lang.t(crate::i18n::Msg::CliNotSaved),
                    sanitize(&e.text(lang))
                );
                return 1;
            }
            b.put(s.clone());
            match store.write(b) {
                Ok(keys) => {
                    let id = keys
                        .first()
                        .and_then(|k| crate::store::keys::parse_id(k))
                        .unwrap_or(s.id);
                    println!(
                        "{}: {} (#{id}) {}",
                        lang.t(crate::i18n::Msg::CliSaved),
                        sanitize(&s.name),
                        sanitize(what.get(lang))
                    );
                    0
                }
                Err(e) => {
                    eprintln!(
                        "kyodo staff: {}: {}",
                        lang.t(crate::i18n::Msg::CliNotSaved),
                        sanitize(&e.text(lang))
                    );
                    1
                }
            }
        }
    }
}

/// The staff table as text, columns padded by display width (Japanese names take 2 cells a
/// character).
fn list(staff: &[Staff], all: bool, lang: Lang) -> String {
    let head = [
        "id",
        "name",
        "kana",
        "organization",
        "section",
        "login",
        "role",
        "active",
    ];
    let mut rows: Vec<Vec<String>> = vec![head.iter().map(|h| lang.field(h).to_string()).collect()];
    rows[0][0] = "#".into();
    for s in staff.iter().filter(|s| all || s.active) {
        rows.push(vec![
            s.id.to_string(),
            sanitize(&s.name),
            sanitize(&s.kana),
            s.organization.label(lang).into(),
            sanitize(&s.section),
            sanitize(s.login.as_deref().unwrap_or("-")),
            s.role.label(lang).into(),
            match (s.active, lang) {
                (true, Lang::Ja) => "在籍",
                (false, Lang::Ja) => "退職",
                (true, Lang::En) => "yes",
                (false, Lang::En) => "left",
            }
            .into(),
        ]);
    }
    let widths: Vec<usize> = (0..head.len())
        .map(|i| rows.iter().map(|r| width(&r[i])).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let cells: Vec<String> = r.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// The record a change command would write, and a description; or why it cannot be done.
fn change(staff: &[Staff], cmd: &StaffCommand) -> Result<(Staff, Text), Text> {
    let person = |q: &str| resolve(staff, q).cloned().map_err(|e| e.text());
    let role = |r: &str| {
        Role::parse(r).ok_or_else(|| {
            Text::new(
                format!(
                    "役割「{r}」はありません。次のどれかにしてください: {}",
                    Role::choices()
                ),
                format!("no role {r:?}; use one of: {}", Role::choices()),
            )
        })
    };
    let (s, what) = match cmd {
        StaffCommand::List { .. } => {
            return Err(Text::new(
                "一覧は変更ではありません",
                "list is not a change",
            ));
        }
        StaffCommand::Add {
            name,
            kana,
            organization,
            section,
            login,
            role: r,
        } => {
            if name.trim().is_empty() || kana.trim().is_empty() {
                return Err(Text::new(
                    "--name と --kana は必須です(例: --name \"佐藤 花子\" --kana \"さとう はなこ\")",
                    "--name and --kana are required (e.g. --name \"佐藤 花子\" --kana \"さとう はなこ\")",
                ));
            }
            for (flag, field, v) in [
                ("name", "name", name),
                ("kana", "kana", kana),
                ("section", "section", section),
            ] {
                crate::domain::limits::check_field(field, v)
                    .map_err(|e| e.prefixed(&format!("--{flag}: ")))?;
            }
            let organization = Organization::parse(organization).ok_or_else(|| {
                Text::new(
                    format!(
                        "所属組織「{organization}」はありません。次のどれかにしてください: {}",
                        Organization::choices()
                    ),
                    format!(
                        "no organization {organization:?}; use one of: {}",
                        Organization::choices()
                    ),
                )
            })?;
            let s = Staff {
                id: 0,
                name: name.trim().to_string(),
                kana: kana.trim().to_string(),
                organization,
                section: section.trim().to_string(),
                login: login
                    .as_deref()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from),
                role: role(r)?,
                active: true,
            };
            let what = Text::new(
                format!("{}として追加", s.role.label(Lang::Ja)),
                format!("added as {}", s.role.code()),
            );
            (s, what)
        }
        StaffCommand::SetRole { person: p, role: r } => {
            let mut s = person(p)?;
            let old = s.role;
            s.role = role(r)?;
            let what = Text::new(
                format!("役割 {} → {}", old.label(Lang::Ja), s.role.label(Lang::Ja)),
                format!("role {} -> {}", old.code(), s.role.code()),
            );
            (s, what)
        }
        StaffCommand::SetLogin { person: p, login } => {
            let mut s = person(p)?;
            let old = s.login.clone().unwrap_or_else(|| "-".into());
            let login = login.trim();
            s.login = (!login.is_empty()).then(|| login.to_string());
            let new = s.login.as_deref().unwrap_or("-");
            let what = Text::new(
                format!("ログイン {old} → {new}"),
                format!("login {old} -> {new}"),
            );
            (s, what)
        }
        StaffCommand::Deactivate { person: p } => {
            let mut s = person(p)?;
            s.active = false;
            let what = Text::new(
                "退職として記録(履歴は残ります)",
                "deactivated (kept for history)",
            );
            (s, what)
        }
    };
    rules::staff_login(&s, staff)?;
    Ok((s, what))
}
