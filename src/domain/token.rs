//! Personal-link tokens. A token is derived from the invitation id with a
//! server secret (HMAC-SHA256, 256 bits, base64url), so it never needs to be
//! stored: the outbox and the API recompute it, the database keeps only its
//! SHA-256 for lookups.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The token of invitation `invitation_id`.
pub fn derive(secret: &[u8], invitation_id: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail; fall back to a
    // keyed hash rather than panic if the crate ever changes that.
    match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(b"sipas-invitation:");
            mac.update(invitation_id.as_bytes());
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        }
        Err(_) => URL_SAFE_NO_PAD.encode(
            Sha256::new()
                .chain_update(secret)
                .chain_update(invitation_id)
                .finalize(),
        ),
    }
}

/// What the database keeps of a token.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A token as it may appear in a URL: 43 base64url characters.
pub fn looks_valid(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_stable_long_and_secret_dependent() {
        let a = derive(b"secret-one", "inv-1");
        assert_eq!(a, derive(b"secret-one", "inv-1"));
        assert_ne!(a, derive(b"secret-two", "inv-1"));
        assert_ne!(a, derive(b"secret-one", "inv-2"));
        assert!(looks_valid(&a), "{a}");
        // 43 base64 characters carry 256 bits, well over the 128 required.
        assert_eq!(a.len(), 43);
        assert_eq!(hash(&a).len(), 64);
        assert!(!looks_valid("short"));
    }
}
