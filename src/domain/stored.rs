//! Enums stored as text: one macro writes each one's text, its parsing and
//! the refusal of a value the code does not know.

/// A state read from the database that the code does not know: an error,
/// never a guess (a campaign whose status cannot be read is not "closed").
#[derive(Debug, thiserror::Error)]
#[error("unknown {what} {value:?} in the database")]
pub struct UnknownState {
    pub what: &'static str,
    pub value: String,
}

/// `stored_text!(Name, "what it is", Variant => "text", …)` for an enum
/// defined just above: `as_str`, `ALL`, `Display` and `TryFrom<String>`.
#[macro_export]
macro_rules! stored_text {
    ($name:ident, $what:literal, $($variant:ident => $text:literal),+ $(,)?) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::domain::stored::UnknownState;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                match value.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::domain::stored::UnknownState { what: $what, value }),
                }
            }
        }
    };
}

/// `text_newtype!(Name)` for a `struct Name(String)` defined just above: it
/// reads as text (`Deref<Target = str>`, `Borrow<str>`, `Display`), compares
/// with text and gives its text back (`From<Name> for String`).
#[macro_export]
macro_rules! text_newtype {
    ($name:ident) => {
        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
    };
}
