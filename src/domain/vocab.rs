//! A small macro for the field's closed vocabularies (channels, categories, roles…): each variant
//! has a stable code (used in CSV and JSON), a Japanese term and an English term.

/// Declares a vocabulary enum with `code()`, `ja()`, `en()`, `ALL` and `parse()` (accepts the
/// code, the Japanese term or the English term, case-insensitively for ASCII).
#[macro_export]
macro_rules! vocab {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = ($code:literal, $ja:literal, $en:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vm])* $var),+ }

        impl $name {
            /// Every variant, in display order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            /// Stable code used in CSV, JSON and counters.
            pub fn code(self) -> &'static str { match self { $($name::$var => $code),+ } }
            /// Japanese term.
            pub fn ja(self) -> &'static str { match self { $($name::$var => $ja),+ } }
            /// English term.
            pub fn en(self) -> &'static str { match self { $($name::$var => $en),+ } }
            /// Term in the given language.
            pub fn label(self, lang: $crate::domain::lang::Lang) -> &'static str {
                match lang { $crate::domain::lang::Lang::Ja => self.ja(), $crate::domain::lang::Lang::En => self.en() }
            }
            /// Reads a code, Japanese term or English term; `None` if it is none of them.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| {
                    v.code().eq_ignore_ascii_case(s) || v.ja() == s || v.en().eq_ignore_ascii_case(s)
                })
            }
            /// The accepted Japanese terms, for error messages.
            pub fn choices() -> String {
                Self::ALL.iter().map(|v| v.ja()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

/// A closed vocabulary's term in `lang`: the Japanese term a record stores (what its reader
/// reads back, e.g. `住民参画`, `地域担当`, `交付決定`) said in English, or `None` when `term` is
/// not one (free text stays as written). For display only (audit, details): forms keep the
/// stored term, which their choices compare against.
pub fn term_in(term: &str, lang: super::Lang) -> Option<&'static str> {
    use super::*;
    fn find<V: Copy>(
        all: &[V],
        ja: fn(V) -> &'static str,
        en: fn(V) -> &'static str,
        t: &str,
        lang: Lang,
    ) -> Option<&'static str> {
        all.iter().find(|v| ja(**v) == t).map(|v| match lang {
            Lang::Ja => ja(*v),
            Lang::En => en(*v),
        })
    }
    let t = term.trim();
    // Every closed vocabulary whose Japanese term a record stores.
    macro_rules! first_of {
        ($($v:ty),+) => { None$(.or_else(|| find(&<$v>::ALL[..], <$v>::ja, <$v>::en, t, lang)))+ };
    }
    let found: Option<&'static str> = first_of!(
        BodyRole,
        Channel,
        Category,
        ActionStatus,
        Organization,
        Role,
        TeamRole,
        GrantState,
        DisbursementKind,
        grant::StepKind,
        action_result::Rating,
        request::RequestState,
        request::Priority,
        consultation_case::CaseStatus,
        consultation_case::ReferralKind,
        organisation::OrganisationKind,
        collaboration_project::CollaborationForm,
        project_evaluation::EvaluationStage,
        event::EventKind,
        event::Audience,
        event::CourseStage
    );
    found
        .or_else(|| {
            fields::CLIENT_TYPES
                .iter()
                .find(|c| c.1 == t)
                .map(|c| if lang == Lang::Ja { c.1 } else { c.2 })
        })
        .or_else(|| match t {
            "はい" => Some(if lang == Lang::Ja { "はい" } else { "yes" }),
            "いいえ" => Some(if lang == Lang::Ja { "いいえ" } else { "no" }),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    #[test]
    fn every_stored_vocabulary_term_is_said_in_english() {
        for (ja, en) in [
            ("来所", "Visit"),
            ("話し合い支援", "Dialogue support"),
            ("調整担当", "Coordinator"),
            ("A 順調", "A on track"),
            ("D 未着手", "D not started"),
            ("個人", "Individual"),
            ("はい", "yes"),
        ] {
            assert_eq!(term_in(ja, Lang::En), Some(en), "{ja}");
            assert_eq!(term_in(ja, Lang::Ja), Some(ja));
        }
        assert_eq!(
            term_in("夏まつりの打合せ", Lang::En),
            None,
            "free text stays"
        );
    }
}
