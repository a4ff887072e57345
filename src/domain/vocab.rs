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
