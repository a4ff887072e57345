//! Finding a body or staff member by what a person types: exact name or reading (kana), with
//! spaces and katakana/hiragana differences ignored. Unknown or ambiguous names are errors that
//! list candidates. Used by `kyodo log` and by the TUI's pickers.

use crate::domain::{Body, Staff};
use crate::text::fold;
use std::fmt;

/// Why a name did not resolve to exactly one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// Nothing matches; the closest names (containing what was typed) are listed.
    Unknown {
        /// What was typed.
        query: String,
        /// Up to five names that contain it.
        candidates: Vec<String>,
    },
    /// Several match equally.
    Ambiguous {
        /// What was typed.
        query: String,
        /// All names that match.
        candidates: Vec<String>,
    },
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Unknown { query, candidates } if candidates.is_empty() => {
                write!(f, "no record named '{query}' (by name, kana or login)")
            }
            ResolveError::Unknown { query, candidates } => write!(
                f,
                "no record named '{query}'; did you mean: {}",
                candidates.join(", ")
            ),
            ResolveError::Ambiguous { query, candidates } => write!(
                f,
                "'{query}' matches several: {}; type the full name",
                candidates.join(", ")
            ),
        }
    }
}

impl std::error::Error for ResolveError {}

impl ResolveError {
    /// The message in Japanese.
    pub fn ja(&self) -> String {
        match self {
            ResolveError::Unknown { query, candidates } if candidates.is_empty() => {
                format!("「{query}」という名前(よみ・ログイン名)は見つかりません")
            }
            ResolveError::Unknown { query, candidates } => {
                format!(
                    "「{query}」は見つかりません。候補: {}",
                    candidates.join("、")
                )
            }
            ResolveError::Ambiguous { query, candidates } => format!(
                "「{query}」に当てはまるものが複数あります: {}。名前を最後まで入力してください",
                candidates.join("、")
            ),
        }
    }

    /// Both wordings.
    pub fn text(&self) -> crate::domain::Text {
        crate::domain::Text::new(self.ja(), self.to_string())
    }
}

/// Something that can be picked by name.
pub trait Named {
    /// Display name.
    fn name(&self) -> &str;
    /// Other exact keys (kana, login).
    fn aliases(&self) -> Vec<&str>;
    /// Whether it may be picked for new records (active, not dissolved).
    fn pickable(&self) -> bool;
}

impl Named for Body {
    fn name(&self) -> &str {
        &self.name
    }
    fn aliases(&self) -> Vec<&str> {
        vec![&self.kana]
    }
    fn pickable(&self) -> bool {
        self.dissolved_on.is_none()
    }
}

impl Named for Staff {
    fn name(&self) -> &str {
        &self.name
    }
    fn aliases(&self) -> Vec<&str> {
        let mut v = vec![self.kana.as_str()];
        if let Some(l) = &self.login {
            v.push(l);
        }
        v
    }
    fn pickable(&self) -> bool {
        self.active
    }
}

/// Whether `item` matches the folded filter text anywhere in its name or aliases.
pub fn matches<T: Named>(item: &T, folded_query: &str) -> bool {
    folded_query.is_empty()
        || fold(item.name()).contains(folded_query)
        || item
            .aliases()
            .iter()
            .any(|a| fold(a).contains(folded_query))
}

/// Resolves `query` among `items`: an exact match of name or alias (folded) wins; otherwise a
/// single partial match; otherwise an error with candidates. Only pickable items are considered.
pub fn resolve<'a, T: Named>(items: &'a [T], query: &str) -> Result<&'a T, ResolveError> {
    let q = fold(query);
    let live: Vec<&T> = items.iter().filter(|i| i.pickable()).collect();
    let exact: Vec<&T> = live
        .iter()
        .copied()
        .filter(|i| fold(i.name()) == q || i.aliases().iter().any(|a| fold(a) == q))
        .collect();
    let names = |v: &[&T]| v.iter().map(|i| i.name().to_string()).collect::<Vec<_>>();
    match exact.len() {
        1 => return Ok(exact[0]),
        n if n > 1 => {
            return Err(ResolveError::Ambiguous {
                query: query.to_string(),
                candidates: names(&exact),
            });
        }
        _ => {}
    }
    let partial: Vec<&T> = live.iter().copied().filter(|i| matches(*i, &q)).collect();
    match partial.len() {
        1 => Ok(partial[0]),
        0 => {
            let head: String = q.chars().take(2).collect();
            let near: Vec<&T> = live
                .iter()
                .copied()
                .filter(|i| !head.is_empty() && matches(*i, &head))
                .take(5)
                .collect();
            Err(ResolveError::Unknown {
                query: query.to_string(),
                candidates: names(&near),
            })
        }
        n if n <= 8 => Err(ResolveError::Ambiguous {
            query: query.to_string(),
            candidates: names(&partial),
        }),
        _ => Err(ResolveError::Ambiguous {
            query: query.to_string(),
            candidates: names(&partial[..8])
                .into_iter()
                .chain(["…".to_string()])
                .collect(),
        }),
    }
}
