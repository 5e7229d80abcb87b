//! Short codes a person can type from a poster (`/k/7HQ2`): digits and
//! capitals without the look-alikes 0/O, 1/I/L, so a code read aloud or
//! copied by hand still works; read back case-blind.

/// 31 symbols: 4 of them give 923,521 codes, enough for every unit and
/// service of many years of campaigns before a fifth is needed.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A code of `len` symbols from the random numbers `draw` gives.
pub fn make(len: usize, mut draw: impl FnMut() -> u32) -> String {
    (0..len)
        .map(|_| ALPHABET[(draw() as usize) % ALPHABET.len()] as char)
        .collect()
}

/// A typed code in its stored form, or None if it cannot be one.
pub fn parse(typed: &str) -> Option<String> {
    let code = typed.trim().to_ascii_uppercase();
    let fits = (4..=8).contains(&code.len()) && code.bytes().all(|b| ALPHABET.contains(&b));
    fits.then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_avoid_look_alikes_and_read_back_case_blind() {
        let mut n = 0;
        let code = make(4, || {
            n += 7;
            n
        });
        assert_eq!(code.len(), 4);
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(parse(&code.to_lowercase()), Some(code.clone()));
        assert_eq!(parse(" 7hq2 "), Some("7HQ2".to_string()));
        assert_eq!(parse("7HQ0"), None);
        assert_eq!(parse("7H"), None);
    }
}
