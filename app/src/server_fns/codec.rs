//! How the server functions' answers travel: JSON, as Leptos's own `Json`,
//! but read in the browser from text rather than bytes.
//!
//! Why: the browser also reads every page's data from the text the server
//! rendered into the page (a `Resource` decodes with `serde_json::from_str`),
//! and `serde_json` monomorphises each type's reader once per source. With
//! Leptos's default (`from_slice`) every wire type's deserialiser was in the
//! wasm twice, about a sixth of the application's code (issue 18).

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::Serialize;
use serde::de::{DeserializeOwned, Error as _};

/// JSON read with `serde_json::from_str`; see the module's documentation.
pub struct JsonText;

/// A server function's answer as [`JsonText`], sent as the body of a POST.
pub type JsonAnswer = Post<JsonText>;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(serde_json::Error::custom)?;
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_travel_as_json_both_ways() {
        let bytes = <JsonText as Encodes<Vec<i64>>>::encode(&vec![1, 2, 3]).unwrap();
        assert_eq!(&bytes[..], b"[1,2,3]");
        let back: Vec<i64> = <JsonText as Decodes<Vec<i64>>>::decode(bytes).unwrap();
        assert_eq!(back, vec![1, 2, 3]);
    }

    #[test]
    fn text_that_is_not_utf8_is_an_error() {
        let bad = Bytes::from_static(&[b'"', 0xff, b'"']);
        assert!(<JsonText as Decodes<String>>::decode(bad).is_err());
    }
}
