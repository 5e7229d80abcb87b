//! A template file's bytes as text: UTF-8 only, and a file that is not is
//! located by the line and column of its first bad byte, so the official can
//! find the character that an editor saved in another encoding.
use super::TemplateError;

/// The text of a template file, or where its first byte that is not UTF-8 is.
/// A leading byte-order mark is dropped: Windows Notepad writes one when
/// saving "UTF-8 with BOM", and TOML would refuse it.
pub fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, TemplateError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        // The part of the line before the bad byte is valid, so its
        // characters are what an editor counts as columns.
        let column = std::str::from_utf8(&good[line_start..]).map_or(0, |s| s.chars().count()) + 1;
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        TemplateError {
            file: file.to_string(),
            line,
            field: String::new(),
            message: format!(
                "not valid UTF-8 (first bad byte 0x{:02X} at column {column}; \
                 the file may be in Windows-1258, TCVN3 or VNI); save it as UTF-8",
                bytes[e.valid_up_to()]
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_located_by_line_and_column() {
        // ê as Windows-1258 writes it (0xEA) on line 3, after valid UTF-8 on line 2.
        let bytes = b"key = \"t\"\n# \xC3\xA2 ok\ntitle = \"Ti\xEAng\"\n\xFF\n";
        let e = decode("t.toml", bytes).unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(
            e.to_string(),
            "t.toml:3: not valid UTF-8 (first bad byte 0xEA at column 12; \
             the file may be in Windows-1258, TCVN3 or VNI); save it as UTF-8"
        );
        // Characters before the bad byte count once each, however many bytes they take.
        let mut bytes = "ếếa".as_bytes().to_vec();
        bytes.push(0x80);
        let e = decode("t.toml", &bytes).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("0x80 at column 4"), "{}", e.message);
    }

    #[test]
    fn utf8_passes_and_a_byte_order_mark_is_dropped() {
        assert_eq!(
            decode("t.toml", "key = \"đ\"".as_bytes()),
            Ok("key = \"đ\"")
        );
        assert_eq!(decode("t.toml", b"\xEF\xBB\xBFkey = 1"), Ok("key = 1"));
    }
}
