//! The two official languages Concord is read and written in.

use serde::{Deserialize, Serialize};

/// A language, `en` or `fr` on the wire. A reader's choice is kept in the
/// `lang` cookie, and a user's also on their account (`users.lang`), where
/// what Concord writes to them reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(code: &str) -> Result<Lang, String> {
        Lang::from_code(code).ok_or_else(|| format!("'{code}' is not a language: en or fr"))
    }
}

impl Lang {
    pub const ALL: &'static [Lang] = &[Lang::En, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Fr,
            Lang::Fr => Lang::En,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_reads_back_from_its_code_and_nothing_else_is_one() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(*l));
            assert_eq!(l.code().parse::<Lang>(), Ok(*l));
            assert_eq!(l.other().other(), *l);
        }
        assert!("de".parse::<Lang>().is_err());
        assert_eq!(serde_json::to_string(&Lang::Fr).unwrap(), "\"fr\"");
    }
}
