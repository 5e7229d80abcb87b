//! Unit names short enough for a chart's label on a phone, in the
//! abbreviations Vietnamese official documents themselves use
//! ("UBND", "Sở KH&CN"), so a reader still recognises the unit.

/// Long phrases and their usual abbreviations, longest first so that a
/// phrase is not cut by a shorter one inside it.
const ABBREVIATIONS: [(&str, &str); 16] = [
    ("Nông nghiệp và Phát triển nông thôn", "NN&PTNT"),
    ("Lao động - Thương binh và Xã hội", "LĐ-TB&XH"),
    ("Văn hóa, Thể thao và Du lịch", "VH,TT&DL"),
    ("Tài nguyên và Môi trường", "TN&MT"),
    ("Thông tin và Truyền thông", "TT&TT"),
    ("Khoa học và Công nghệ", "KH&CN"),
    ("Ủy ban nhân dân", "UBND"),
    ("Giáo dục và Đào tạo", "GD&ĐT"),
    ("Nông nghiệp và Môi trường", "NN&MT"),
    ("Kế hoạch và Đầu tư", "KH&ĐT"),
    ("Văn hóa và Thể thao", "VH&TT"),
    ("Quy hoạch - Kiến trúc", "QH-KT"),
    ("Giao thông vận tải", "GTVT"),
    ("Dân tộc và Tôn giáo", "DT&TG"),
    ("Thành phố", "TP"),
    ("Văn phòng", "VP"),
];

/// At most `max` characters: the usual abbreviations first, then whole
/// words with an ellipsis. The full name belongs in the label's title.
pub fn short_unit_name(name: &str, max: usize) -> String {
    let mut s = name.trim().to_string();
    if s.chars().count() <= max {
        return s;
    }
    for (long, short) in ABBREVIATIONS {
        s = s.replace(long, short);
    }
    if s.chars().count() <= max {
        return s;
    }
    let mut out = String::new();
    for word in s.split_whitespace() {
        let next = if out.is_empty() {
            word.chars().count()
        } else {
            out.chars().count() + 1 + word.chars().count()
        };
        if next + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = s.chars().take(max.saturating_sub(1)).collect();
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::short_unit_name;

    #[test]
    fn short_names_stay_whole() {
        assert_eq!(short_unit_name("Phường Ba Đình", 22), "Phường Ba Đình");
    }

    #[test]
    fn long_names_take_the_official_abbreviations() {
        assert_eq!(
            short_unit_name("Sở Lao động - Thương binh và Xã hội", 22),
            "Sở LĐ-TB&XH"
        );
        assert_eq!(
            short_unit_name("Văn phòng Ủy ban nhân dân Thành phố", 22),
            "VP UBND TP"
        );
    }

    #[test]
    fn the_rest_is_cut_at_a_word_with_an_ellipsis() {
        let s = short_unit_name("Ban Quản lý các khu công nghệ cao và khu công nghiệp", 22);
        assert!(s.ends_with('…') && s.chars().count() <= 22, "{s}");
        assert!(s.starts_with("Ban Quản lý"), "{s}");
    }
}
