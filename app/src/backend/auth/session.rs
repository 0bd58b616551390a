//! Session tokens: HS256 JWTs (the algorithm is pinned), with `exp`, zero
//! leeway, the user's uuid as subject, and a `jti` so that logout can revoke
//! one token at once on every server sharing the database.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The user's uuid.
    pub sub: String,
    /// Token id, for revocation.
    pub jti: String,
    pub iat: i64,
    pub exp: i64,
    pub role: String,
    pub scope: String,
    pub org: i32,
}

/// Signs `claims`. Fails only if the secret is unusable.
pub fn encode(secret: &[u8], claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
}

/// Checks signature, algorithm and expiry. Fails for anything else: another
/// key, `alg: none` or any other algorithm, an expired or malformed token.
///
/// Expiry is judged here, with zero leeway, against Concord's clock (which
/// signed `exp`), not by the library against the system's.
pub fn decode(secret: &[u8], token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
    let mut v = Validation::new(Algorithm::HS256);
    v.leeway = 0;
    v.validate_exp = false;
    v.set_required_spec_claims(&["exp", "sub", "iat"]);
    let claims =
        jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret), &v)?.claims;
    if claims.exp <= crate::clock::now().timestamp() {
        return Err(jsonwebtoken::errors::ErrorKind::ExpiredSignature.into());
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims {
            sub: "u".into(),
            jti: "j".into(),
            iat: 0,
            exp,
            role: "admin".into(),
            scope: "all".into(),
            org: 1,
        }
    }

    fn now() -> i64 {
        crate::clock::now().timestamp()
    }

    #[test]
    fn a_token_signed_with_the_secret_is_accepted() {
        let t = encode(b"secret", &claims(now() + 60)).expect("encode");
        assert_eq!(decode(b"secret", &t).expect("decode").sub, "u");
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        let t = encode(b"other", &claims(now() + 60)).expect("encode");
        assert!(decode(b"secret", &t).is_err());
    }

    #[test]
    fn a_token_expired_by_one_second_is_refused() {
        let t = encode(b"secret", &claims(now() - 1)).expect("encode");
        assert!(decode(b"secret", &t).is_err());
    }

    #[test]
    fn an_unsigned_alg_none_token_is_refused() {
        use base64_free::b64;
        let header = b64(br#"{"alg":"none","typ":"JWT"}"#);
        let body = b64(format!(
            r#"{{"sub":"u","jti":"j","iat":0,"exp":{},"role":"admin","scope":"all","org":1}}"#,
            now() + 60
        )
        .as_bytes());
        assert!(decode(b"secret", &format!("{header}.{body}.")).is_err());
    }

    #[test]
    fn a_token_with_another_algorithm_is_refused() {
        let t = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &claims(now() + 60),
            &EncodingKey::from_secret(b"secret"),
        )
        .expect("encode");
        assert!(decode(b"secret", &t).is_err());
    }

    /// Base64url without padding, written out to avoid a dependency for a test.
    mod base64_free {
        pub fn b64(bytes: &[u8]) -> String {
            const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let mut out = String::new();
            for chunk in bytes.chunks(3) {
                let n = chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
                    << (8 * (3 - chunk.len()));
                for i in 0..=chunk.len() {
                    out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
                }
            }
            out
        }
    }
}
