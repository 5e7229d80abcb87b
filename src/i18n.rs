//! The one message catalogue: every user-facing string, Vietnamese first, English second.
pub use crate::domain::text::Lang;

macro_rules! catalogue {
    ($($key:ident => $vi:expr, $en:expr;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::Vi) => $vi, (Msg::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

catalogue! {
    AppName => "Khảo sát sự hài lòng", "Satisfaction survey";
    AppTagline => "Đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước",
        "Measuring how satisfied people and organisations are with the service of state administrative agencies";
    SwitchLang => "English", "Tiếng Việt";
    SkipToContent => "Chuyển đến nội dung chính", "Skip to main content";
    HomeTitle => "Các đợt khảo sát", "Survey campaigns";
    NoCampaigns => "Chưa có đợt khảo sát nào.", "There are no campaigns yet.";
    FirstStepHint => "Để bắt đầu, nạp dữ liệu mẫu bằng lệnh", "To start, load the demo dataset with";
    Period => "Thời gian", "Period";
    Status => "Trạng thái", "Status";
    StatusDraft => "Bản nháp", "Draft";
    StatusOpen => "Đang mở", "Open";
    StatusClosed => "Đã đóng", "Closed";
    Units => "Đơn vị", "Units";
    Unit => "Đơn vị", "Unit";
    OpenForm => "Mở phiếu khảo sát", "Open the questionnaire";
    ViewResults => "Xem kết quả", "View results";
    Purpose => "Mục đích", "Purpose";
    ConfidentialityTitle => "Bảo mật thông tin", "Confidentiality";
    ConfidentialityDefault => "Các thông tin mà Ông/Bà cung cấp trong phiếu khảo sát sẽ được bảo mật theo quy định. Phiếu không hỏi họ tên, số điện thoại hay địa chỉ của Ông/Bà.",
        "The information you give in this questionnaire is kept confidential as the law requires. The form does not ask for your name, phone number or address.";
    RequiredNote => "Các câu có dấu * là bắt buộc.", "Questions marked * are required.";
    Submit => "Gửi phiếu", "Submit";
    ErrorSummaryTitle => "Phiếu chưa gửi được. Vui lòng xem lại:", "The form was not sent. Please check:";
    ErrRequired => "Vui lòng chọn một câu trả lời.", "Please choose an answer.";
    ErrNotAnOption => "Câu trả lời không hợp lệ.", "This answer is not one of the options.";
    ErrTooMany => "Chọn nhiều nhất", "Choose at most";
    ErrTooLong => "Nội dung quá dài; tối đa (ký tự):", "Too long; the most allowed (characters):";
    ThanksTitle => "Cảm ơn Ông/Bà!", "Thank you!";
    ThanksBody => "Phiếu khảo sát của Ông/Bà đã được ghi nhận. Ý kiến của Ông/Bà giúp cơ quan hành chính phục vụ tốt hơn.",
        "Your answers have been recorded. They help the administration serve people better.";
    ResultsTitle => "Kết quả khảo sát", "Survey results";
    Respondents => "Số phiếu", "Respondents";
    Overall => "Chỉ số chung", "Overall index";
    Rate => "Tỷ lệ hài lòng (%)", "Satisfaction rate (%)";
    ValidN => "Số trả lời hợp lệ", "Valid answers";
    SatisfiedN => "Số hài lòng", "Satisfied";
    Criterion => "Tiêu chí", "Criterion";
    NoData => "Chưa có dữ liệu", "No data yet";
    NotFoundTitle => "Không tìm thấy trang", "Page not found";
    NotFoundBody => "Đường dẫn không đúng hoặc đợt khảo sát không còn.", "The link is wrong or the campaign no longer exists.";
    ClosedTitle => "Đợt khảo sát không nhận phiếu", "This survey is not taking answers";
    ClosedBody => "Đợt khảo sát này chưa mở hoặc đã kết thúc. Xin cảm ơn Ông/Bà đã quan tâm.",
        "This survey has not opened yet or has ended. Thank you for your interest.";
    BadRequestTitle => "Yêu cầu không hợp lệ", "Bad request";
    ServerErrorTitle => "Đã có lỗi xảy ra", "Something went wrong";
    ServerErrorBody => "Hệ thống đang gặp sự cố. Ông/Bà vui lòng thử lại sau ít phút; các câu trả lời chưa bị mất nếu Ông/Bà quay lại trang trước.",
        "The service hit a problem. Please try again in a few minutes; going back keeps your answers.";
    BackHome => "Về trang chủ", "Back to the home page";
    // ---- issue 3: results (roll-ups, ranking, intervals, changes, points, targets) ----
    Rank => "Xếp hạng", "Rank";
    Target => "Số phiếu cần thu", "Target";
    Ci95 => "Khoảng tin cậy 95%", "95% interval";
    LowSample => "ít mẫu", "small sample";
    LowSampleNote => "Dấu † đánh dấu số liệu có ít hơn số trả lời hợp lệ tối thiểu; cần thận trọng khi sử dụng:",
        "† marks figures based on fewer valid answers than the minimum; use them with care:";
    Rollups => "Tổng hợp theo cấp", "Roll-up by level";
    UnitsIncluded => "Số đơn vị", "Units included";
    Change => "Thay đổi (điểm %)", "Change (pp)";
    ComparedWith => "So sánh với đợt", "Compared with";
    Distributions => "Phân bố câu trả lời", "Distribution of answers";
    AnswerOption => "Phương án", "Option";
    Count => "Số lượng", "Count";
    Share => "Tỷ lệ (%)", "Share (%)";
    Points => "Điểm", "Points";
    MaxPoints => "Điểm tối đa", "Maximum";
    Field => "Lĩnh vực", "Field";
    Total => "Tổng", "Total";
    Question => "Câu hỏi", "Question";
    IndexPoints => "Điểm trong Chỉ số CCHC", "Points in the PAR Index";
}
