//! Size limits of stored text (issue 10, "a value that is written can be read"). Every field a
//! form, an import or a command can fill has a documented maximum, checked before anything is
//! written, with a message that names the limit; the largest record these allow, and the audit
//! entry of a change to every one of its fields, fit well inside the store's one limit per value
//! (the store codec's `MAX_VALUE_BYTES`, 2 MiB). The limits are listed in
//! data/demo/README.md ("Sizes").

use super::Text;

/// How long a field may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Short values: dates, numbers, amounts, codes, yes/no (40 characters).
    Value,
    /// Names and short labels: a body, a person, a place, a program (200 characters).
    Name,
    /// One line of prose: an agenda, a title, guests (1,000 characters).
    Line,
    /// Lists of names or terms: attendees, categories, partners, statuses (4,000 characters).
    List,
    /// Free text: notes, decisions, summaries, follow-ups, descriptions (64 KiB of UTF-8).
    Text,
}

impl Limit {
    /// The maximum, and whether it counts bytes (UTF-8) rather than characters.
    pub fn max(self) -> (usize, bool) {
        match self {
            Limit::Value => (40, false),
            Limit::Name => (200, false),
            Limit::Line => (1_000, false),
            Limit::List => (4_000, false),
            Limit::Text => (64 * 1024, true),
        }
    }

    /// The limit as people read it: `200文字` / `200 characters`, `64 KiB`.
    pub fn describe(self) -> Text {
        match self.max() {
            (n, true) => Text::new(
                format!("{} KiB({n} バイト)", n / 1024),
                format!("{} KiB ({n} bytes)", n / 1024),
            ),
            (n, false) => Text::new(
                format!("{}文字", group(n)),
                format!("{} characters", group(n)),
            ),
        }
    }

    /// Checks `value` against this limit.
    ///
    /// Errors: a message (ja/en) giving the value's size and the limit.
    pub fn check(self, value: &str) -> Result<(), Text> {
        let (max, bytes) = self.max();
        let size = if bytes {
            value.len()
        } else {
            value.chars().count()
        };
        if size <= max {
            return Ok(());
        }
        let lim = self.describe();
        Err(if bytes {
            Text::new(
                format!(
                    "長すぎます({} バイト)。上限は {} です。分けて入力するか短くしてください",
                    group(size),
                    lim.ja
                ),
                format!(
                    "too long ({} bytes); the limit is {}. Shorten it or split it",
                    group(size),
                    lim.en
                ),
            )
        } else {
            Text::new(
                format!("長すぎます({}文字)。上限は {} です", group(size), lim.ja),
                format!(
                    "too long ({} characters); the limit is {}",
                    group(size),
                    lim.en
                ),
            )
        })
    }
}

fn group(n: usize) -> String {
    super::money::group_digits(n as i64)
}

/// The limit of the field (CSV column / form field) named `field`: one table for every record
/// type, by what the field holds.
pub fn limit_of(field: &str) -> Limit {
    match field {
        "notes" | "decisions" | "summary" | "description" | "follow_ups" | "plan_vision"
        | "over_budget_reason" | "note" | "achievement" | "opinion" | "response" | "text"
        | "reply" | "reason" | "comment" | "improvement" | "content" => Limit::Text,
        "attendees" | "categories" | "partners" | "statuses" | "rates" | "members" => Limit::List,
        "agenda" | "title" | "guests" | "measure" | "policy" | "lead" | "place" | "name_ja"
        | "name_en" | "unit_ja" | "unit_en" | "client_name" => Limit::Line,
        "name" | "kana" | "district" | "branch_office" | "citizen_center" | "organization"
        | "section" | "login" | "body" | "staff" | "counselor" | "program" | "plan"
        | "indicator" | "id" => Limit::Name,
        _ => Limit::Value,
    }
}

/// Checks one field's value against its limit ([`limit_of`]).
///
/// Errors: see [`Limit::check`].
pub fn check_field(field: &str, value: &str) -> Result<(), Text> {
    limit_of(field).check(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_count_characters_or_bytes() {
        assert!(check_field("name", &"花".repeat(200)).is_ok());
        let e = check_field("name", &"花".repeat(201)).unwrap_err();
        assert!(
            e.ja.contains("201文字") && e.ja.contains("200文字"),
            "{e:?}"
        );
        assert!(check_field("summary", &"a".repeat(65_536)).is_ok());
        // 21,846 three-byte characters are 65,538 bytes.
        let e = check_field("summary", &"相".repeat(21_846)).unwrap_err();
        assert!(
            e.en.contains("65,538 bytes") && e.en.contains("64 KiB"),
            "{e}"
        );
        assert_eq!(limit_of("date"), Limit::Value);
        assert!(check_field("date", &"1".repeat(41)).is_err());
    }
}
