//! The one message catalogue: every user-facing string, Vietnamese first, English second.
pub use crate::domain::text::Lang;

macro_rules! catalogue {
    ($($key:ident => $vi:expr, $en:expr;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key),* }

        impl Msg {
            #[cfg(test)]
            const ALL: &'static [Msg] = &[$(Msg::$key),*];

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
    DemoAlreadyLoaded => "Dữ liệu mẫu đã được nạp từ trước, lần này không thêm gì. Đợt khảo sát mẫu:",
        "The demo is already loaded; nothing was added this time. Demo campaign:";
    DemoOpenHint => "Chạy máy chủ bằng lệnh `sipas serve` rồi mở", "Start the server with `sipas serve` and open";
    TemplatesNotFound => "Không tìm thấy thư mục mẫu phiếu khảo sát. Đã tìm ở:", "The survey templates folder was not found. Looked in:";
    TemplatesPointElsewhere => "Hãy chạy sipas trong thư mục chứa survey-templates/, hoặc chỉ thư mục khác bằng --templates DIR hay SIPAS_TEMPLATES=DIR.",
        "Run sipas in the folder that holds survey-templates/, or point to another with --templates DIR or SIPAS_TEMPLATES=DIR.";
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
    // Channels (open links, posters) and the form.
    Service => "Thủ tục", "Service";
    PageOf => "Phần", "Part";
    Next => "Tiếp tục", "Continue";
    Back => "Quay lại", "Back";
    HoneypotLabel => "Không điền vào ô này", "Leave this field empty";
    RejectedTitle => "Phiếu chưa được ghi nhận", "Your answers were not recorded";
    RateLimitedBody => "Có quá nhiều phiếu được gửi từ cùng một mạng trong thời gian ngắn. Ông/Bà vui lòng đợi một phút rồi gửi lại; các câu trả lời vẫn được giữ nếu Ông/Bà quay lại trang trước.",
        "Too many forms were sent from the same network in a short time. Please wait a minute and send again; going back keeps your answers.";
    HoneypotBody => "Phiếu có một ô ẩn đã bị điền, nên hệ thống coi đây là phiếu tự động. Nếu Ông/Bà là người thật, vui lòng mở lại phiếu và gửi lại.",
        "A hidden field was filled in, so the form looked automated. If you are a person, please open the form again and resend it.";
    DeviceCapBody => "Thiết bị này đã gửi số phiếu tối đa cho đợt khảo sát này. Xin cảm ơn Ông/Bà đã tham gia.",
        "This device has already sent the most answers allowed for this survey. Thank you for taking part.";
    PosterTitle => "Ý kiến của Ông/Bà về sự phục vụ", "Tell us how we served you";
    PosterScan => "Quét mã QR bằng điện thoại hoặc gõ đường dẫn trên để đánh giá sự phục vụ. Phiếu không hỏi họ tên.",
        "Scan the QR code with your phone, or type the link above, to rate our service. The form does not ask your name.";
    PosterMinutes => "Thời gian trả lời khoảng", "It takes about";
    Minutes => "phút", "minutes";
    SurveyPeriod => "Thời gian khảo sát", "Survey period";
    ShortLinkUnknown => "Không có phiếu khảo sát nào với mã này. Vui lòng kiểm tra lại mã trên áp phích.",
        "No survey has this code. Please check the code on the poster.";
    PosterOrOpen => "Hoặc mở đường dẫn:", "Or open:";
    PrintPoster => "Áp phích mã QR", "QR poster";
    PaperInstructions => "Ông/Bà vui lòng đánh dấu (✓) vào một ô cho mỗi câu hỏi.", "Please tick (✓) one box for each question.";
    PaperOnlyIf => "chỉ trả lời nếu", "answer only if";
    PaperThanks => "Xin trân trọng cảm ơn Ông/Bà!", "Thank you very much!";
    PrintView => "Bản in phiếu giấy", "Paper version";
    PaperSeveral => "có thể chọn nhiều phương án", "you may tick several";

    // Accounts, roles, admin screens.
    ForbiddenTitle => "Không có quyền truy cập", "Access denied";
    ForbiddenBody => "Tài khoản của Ông/Bà không có quyền xem hoặc thực hiện thao tác này.", "Your account may not see or do this.";
    CsrfBody => "Biểu mẫu đã cũ hoặc không được gửi từ trang này. Vui lòng tải lại trang và thử lại.", "The form is stale or was not sent from this site. Please reload the page and try again.";
    RoleAdmin => "Quản trị viên", "Administrator";
    RoleCampaignManager => "Quản lý đợt khảo sát", "Campaign manager";
    RoleUnitOfficer => "Cán bộ đơn vị", "Unit officer";
    RoleAnalyst => "Phân tích viên", "Analyst";
    AdminNav => "Quản trị", "Administration";
    AdminDashboard => "Trang quản trị", "Dashboard";
    AdminWelcome => "Ông/Bà đang đăng nhập với vai trò", "You are logged in as";
    AdminCampaigns => "Đợt khảo sát", "Campaigns";
    AdminUsers => "Tài khoản", "Accounts";
    AdminApiKeys => "Khóa API", "API keys";
    AdminAudit => "Nhật ký thao tác", "Audit log";
    AdminFormErrors => "Chưa lưu được. Vui lòng xem lại:", "Nothing was saved. Please check:";
    Login => "Đăng nhập", "Log in";
    Logout => "Đăng xuất", "Log out";
    Username => "Tên đăng nhập", "Login name";
    Password => "Mật khẩu", "Password";
    LoginInvalid => "Tên đăng nhập hoặc mật khẩu không đúng.", "The login name or password is wrong.";
    LoginLocked => "Đăng nhập sai quá nhiều lần. Tài khoản tạm khóa; vui lòng thử lại sau ít phút.", "Too many failed logins. This login is locked for a while; please try again in a few minutes.";
    ChangePassword => "Đổi mật khẩu", "Change password";
    CurrentPassword => "Mật khẩu hiện tại", "Current password";
    NewPassword => "Mật khẩu mới (ít nhất 10 ký tự)", "New password (at least 10 characters)";
    ConfirmPassword => "Nhập lại mật khẩu mới", "New password again";
    PasswordsDiffer => "Hai lần nhập mật khẩu mới không khớp nhau.", "The two new passwords differ.";
    CurrentPasswordWrong => "Mật khẩu hiện tại không đúng.", "The current password is wrong.";
    PasswordChanged => "Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.", "The password was changed. Other sessions have ended.";
    AuditNote => "Nhật ký chỉ được ghi thêm, không thể sửa hay xóa. Hiển thị 500 mục gần nhất.", "The log can only grow; nothing in it can be changed or deleted. The latest 500 entries.";
    AuditWhen => "Thời điểm", "When";
    AuditWho => "Người thực hiện", "Who";
    AuditWhat => "Thao tác", "What";
    AuditOnWhat => "Đối tượng", "On what";
    AuditDetail => "Chi tiết", "Detail";
    NewCampaign => "Tạo đợt khảo sát", "New campaign";
    CampaignName => "Tên đợt khảo sát", "Campaign name";
    Template => "Mẫu phiếu", "Questionnaire";
    PeriodFrom => "Từ ngày", "From";
    PeriodTo => "Đến ngày", "To";
    CreateAsDraft => "Lưu dạng bản nháp (chưa nhận phiếu)", "Save as a draft (not taking answers yet)";
    ChooseUnits => "Vui lòng chọn ít nhất một đơn vị.", "Please choose at least one unit.";
    Create => "Tạo", "Create";
    Actions => "Thao tác", "Actions";
    OpenCampaign => "Mở nhận phiếu", "Open";
    CloseCampaign => "Đóng đợt khảo sát", "Close";
    ImportUnits => "Nhập danh sách đơn vị", "Import a list of units";
    ImportUnitsHint => "Tệp Excel (.xlsx) hoặc CSV gồm các cột code,name,kind,parent_code, lưu theo bất kỳ cách nào Excel cho phép (CSV UTF-8, CSV, Unicode Text). Chỉ nhập khi mọi dòng đều hợp lệ; nếu có lỗi, mọi lỗi được liệt kê theo số dòng.", "An Excel (.xlsx) or CSV file with columns code,name,kind,parent_code, saved any way Excel offers (CSV UTF-8, CSV, Unicode Text). Nothing is imported unless every row is valid; otherwise every error is listed with its line.";
    CsvFile => "Chọn tệp (.xlsx, .csv, .txt)", "Choose a file (.xlsx, .csv, .txt)";
    CsvPaste => "hoặc dán nội dung CSV", "or paste the CSV";
    ImportDone => "Đã nhập đơn vị (thêm mới / cập nhật):", "Units imported (added / updated):";
    Line => "Dòng", "Line";
    Sheet => "Trang tính", "Sheet";
    Row => "hàng", "row";
    UnitCode => "Mã", "Code";
    UnitKind => "Loại", "Kind";
    KindCity => "Thành phố", "City";
    KindDepartment => "Sở, ban, ngành", "Department";
    KindDistrict => "Cấp huyện", "District";
    KindUrbanDistrict => "Quận", "Urban district (quận)";
    KindRuralDistrict => "Huyện", "Rural district (huyện)";
    KindTown => "Thị xã", "Town (thị xã)";
    KindWard => "Phường", "Ward (phường)";
    KindCommune => "Xã", "Commune (xã)";
    KindTownship => "Thị trấn", "Township (thị trấn)";
    UnitsOnDay => "Cây đơn vị vào ngày", "The tree of units on";
    UnitsOnDayHint => "Đơn vị có hiệu lực trong một khoảng thời gian: sau khi sắp xếp, một mã có thể chỉ một đơn vị khác. Chọn ngày để xem cây đơn vị như vào ngày đó.",
        "A unit is in force for a period: after a reorganisation a code may name another unit. Choose a day to see the tree as it was then.";
    AllPeriods => "Mọi thời kỳ", "All periods";
    Show => "Xem", "Show";
    InForce => "Hiệu lực", "In force";
    InForceFrom => "từ", "from";
    InForceUntil => "đến", "until";
    InForceAlways => "không thời hạn", "no end";
    ParentUnit => "Đơn vị cấp trên", "Parent unit";
    ValidFrom => "Cây đơn vị mới có hiệu lực từ ngày (để trống nếu chỉ sửa, bổ sung)", "The new tree holds from (leave empty to correct or extend)";
    ValidFromHint => "Khi có ngày: các đơn vị đang có hiệu lực cùng nhóm (sở, hoặc quận, huyện, xã, phường) mà tệp không giữ nguyên sẽ hết hiệu lực từ ngày hôm trước; mã được dùng lại thành đơn vị mới.",
        "With a day: the units in force of the same families (departments, or districts and communes) that the file does not keep as they are end the day before; a reused code becomes a new unit.";
    ImportCounts => "Đã nhập: thêm mới, cập nhật, hết hiệu lực, giữ nguyên:", "Imported: added, updated, ended, unchanged:";
    Predecessors => "Hình thành từ các đơn vị trước sắp xếp", "Formed from the units before the reorganisation";
    Successors => "Các đơn vị sau sắp xếp được hình thành từ đơn vị này", "The units formed from it after the reorganisation";
    NoLinks => "Không có.", "None.";
    LinkWhole => "Toàn bộ", "Whole";
    LinkPart => "Một phần", "Part";
    LinkNote => "Ghi chú", "Note";
    LinkKind => "Hình thức", "Link";
    ImportLineage => "Nhập quan hệ kế thừa giữa đơn vị cũ và mới", "Import the lineage of old and new units";
    ImportLineageHint => "Tệp Excel (.xlsx) hoặc CSV gồm các cột new_code,old_code,kind,share,note; kind là whole (toàn bộ) hoặc part (một phần); share (không bắt buộc) là tỷ lệ người dân của đơn vị cũ chuyển sang (0,5 hoặc 50%). Mã mới đọc theo cây từ ngày sắp xếp, mã cũ theo cây ngày hôm trước.",
        "An Excel (.xlsx) or CSV file with columns new_code,old_code,kind,share,note; kind is whole or part; share (optional) is the part of the old unit's people that moved (0.5 or 50%). New codes are read in the tree from the day of the reorganisation, old codes in the tree of the day before.";
    LineageDay => "Ngày sắp xếp (để trống: ngày gần nhất có cây đơn vị mới)", "Day of the reorganisation (empty: the latest day a new tree holds from)";
    LineageDone => "Đã nhập quan hệ kế thừa (số liên kết / số đơn vị mới):", "Lineage imported (links / new units):";
    BadDay => "Ngày không hợp lệ; hãy viết theo dạng YYYY-MM-DD.", "Not a valid day; write it as YYYY-MM-DD.";
    EstimatedChange => "ước tính từ các đơn vị trước sắp xếp", "estimated from the units before the reorganisation";
    EstimatedNote => "Với đơn vị hình thành sau sắp xếp, kết quả năm trước được ước tính bằng cách cộng dồn số phiếu của các đơn vị cũ hình thành nên đơn vị đó (toàn bộ số phiếu khi nhập toàn bộ; khi nhập một phần, theo tỷ lệ đã khai báo hoặc chia đều cho các đơn vị mới), rồi tính lại tỷ lệ hài lòng.",
        "For units formed in a reorganisation, last year's figure is estimated by pooling the answers of the old units they were formed from (all of them for a whole link; for a part, the given share or an equal split among the new units), then computing the satisfaction rate again.";
    RankBefore => "Xếp hạng năm trước", "Previous rank";
    UnitsBeforeTitle => "Kết quả theo đơn vị trước sắp xếp (ước tính)", "Results by the units before the reorganisation (estimated)";
    UnitsBeforeLink => "Xem kết quả theo quận, huyện, sở trước sắp xếp", "See the results by the districts and departments before the reorganisation";
    UnitsBeforeNote => "Để so sánh với các báo cáo trước, số phiếu của mỗi đơn vị mới được chia cho các đơn vị cũ hình thành nên nó, theo tỷ lệ phần mỗi đơn vị cũ đóng góp (chia đều nếu không có tỷ lệ), rồi cộng dồn theo quận, huyện cũ và tính lại tỷ lệ hài lòng. Số phiếu là số ước tính.",
        "For continuity with earlier reports, each new unit's answers are divided among the old units it was formed from, in proportion to what each brought (equally when no share is given), pooled by the old districts, and the satisfaction rate computed again. Respondent numbers are estimates.";
    NoUnitsBefore => "Các đơn vị của đợt khảo sát này không có quan hệ kế thừa với đơn vị cũ nào.", "This campaign's units have no lineage to older units.";
    PreviousRate => "Năm trước", "Previous";
    Role => "Vai trò", "Role";
    UnitForOfficer => "Đơn vị (chỉ cho cán bộ đơn vị)", "Unit (unit officers only)";
    Active => "Đang hoạt động", "Active";
    Disabled => "Đã khóa", "Disabled";
    Disable => "Khóa", "Disable";
    Enable => "Mở khóa", "Enable";
    ResetPassword => "Đặt lại mật khẩu", "Reset password";
    CreateUser => "Tạo tài khoản", "Create an account";
    CreateKey => "Tạo khóa API", "Create an API key";
    KeyName => "Tên hệ thống", "System name";
    KeyPrefix => "Tiền tố", "Prefix";
    KeyShownOnce => "Khóa API mới. Hãy sao chép ngay: khóa chỉ hiện một lần và không lưu lại ở đâu.", "The new API key. Copy it now: it is shown only once and is not stored anywhere.";
    Revoke => "Thu hồi", "Revoke";
    Revoked => "Đã thu hồi", "Revoked";
    // ---- results (roll-ups, ranking, intervals, changes, points, targets) ----
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
    ShareOfRespondents => "% người trả lời", "% of respondents";
    ShareNote => "Tỷ lệ tính theo % số người trả lời câu hỏi.", "Shares are percentages of those who answered the question.";
    MultipleChoiceNote => "Ở câu hỏi nhiều lựa chọn, mỗi người có thể chọn nhiều phương án, nên tổng các tỷ lệ có thể vượt 100%.",
        "In a multiple-choice question each person may choose several options, so the shares may add up to more than 100%.";
    AnsweredBy => "người trả lời", "respondents";
    Ticks => "lượt chọn", "ticks";
    Points => "Điểm", "Points";
    MaxPoints => "Điểm tối đa", "Maximum";
    Field => "Lĩnh vực", "Field";
    Total => "Tổng", "Total";
    Question => "Câu hỏi", "Question";
    QuestionNumber => "Câu", "Question";
    IndexPoints => "Điểm trong Chỉ số CCHC", "Points in the PAR Index";
    ErrUsernameLength => "Tên đăng nhập phải dài từ 3 đến 64 ký tự.", "The login name must be 3 to 64 characters long.";
    ErrUsernameChars => "Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và các ký tự . _ - @", "The login name may only hold unaccented letters, digits and . _ - @";
    ErrPasswordShort => "Mật khẩu phải có ít nhất 10 ký tự.", "The password must be at least 10 characters long.";
    ErrPasswordLong => "Mật khẩu dài tối đa 256 ký tự.", "The password must be at most 256 characters long.";
    ErrNameTaken => "Tên đăng nhập đã có người dùng:", "This login name is taken:";
    ErrUnitNeeded => "Cán bộ đơn vị cần được gắn với một đơn vị.", "A unit officer needs a unit.";
    ErrUnitRefused => "Chỉ cán bộ đơn vị mới gắn với đơn vị; các vai trò khác bao quát mọi đơn vị.", "Only unit officers have a unit; the other roles cover every unit.";
    ErrUnknownUnit => "Không có đơn vị mang mã", "There is no unit with the code";
    ErrUnknownRole => "Vai trò không hợp lệ:", "Not a role:";
    ErrKeyName => "Khóa API cần một tên dài từ 1 đến 100 ký tự.", "The API key needs a name of 1 to 100 characters.";
    ErrDisableSelf => "Ông/Bà không thể tự khóa tài khoản của mình.", "You cannot disable your own account.";
    // Personal links.
    SaveForLater => "Lưu để làm tiếp sau", "Save and continue later";
    SavedTitle => "Đã lưu các câu trả lời", "Your answers are saved";
    SavedBody => "Ông/Bà có thể đóng trang này. Khi mở lại đúng đường dẫn cá nhân đã nhận, phiếu sẽ tiếp tục từ chỗ đang dở.",
        "You can close this page. Open the same personal link again to continue where you left off.";
    AlreadyAnsweredTitle => "Phiếu này đã được trả lời", "This questionnaire has been answered";
    AlreadyAnsweredBody => "Đường dẫn cá nhân chỉ dùng được một lần và phiếu đã được gửi. Xin cảm ơn Ông/Bà.",
        "A personal link can be used once, and this questionnaire has been sent. Thank you.";
    ContinueForm => "Tiếp tục trả lời", "Continue";
    // Paper data entry.
    EntryTitle => "Nhập phiếu giấy", "Paper form entry";
    EntryKeysLabel => "Các câu trả lời của một phiếu, mỗi câu một phím", "One form's answers, one key per question";
    EntryKeysHint => "Gõ số của phương án được đánh dấu, theo đúng thứ tự câu hỏi trong bảng dưới, rồi nhấn Enter. Phiếu này có {} câu cần gõ.",
        "Type the number of each ticked option in the order of the table below, then press Enter. This form has {} questions to key.";
    EntrySave => "Lưu phiếu và nhập phiếu tiếp", "Save and enter the next form";
    EntrySaved => "Đã lưu. Số phiếu đã nhập trong lượt này:", "Saved. Forms entered in this batch:";
    EntryOrder => "Thứ tự câu hỏi", "Order of the questions";
    EntryKeys => "Phím", "Keys";
    EntryTyped => "Đã gõ", "Typed";
    EntryBatch => "Lượt nhập (số phiếu · người nhập)", "Batch (forms · entered by)";
    EntryRulesTitle => "Cách gõ", "How to key a form";
    EntryRuleOneKey => "Mỗi câu đúng một phím, kể cả câu để trống: phiếu thiếu hay thừa phím không được lưu, để một phím sót không làm lệch mọi câu sau.",
        "Exactly one key per question, blank ones too: an entry with a key missing or one too many is not saved, so a dropped key cannot shift every later answer.";
    EntryRuleNoAnswer => "Câu không có câu trả lời trên phiếu: gõ {}. Câu bắt buộc không được để trống.",
        "A question left blank on the paper: type {}. A required question cannot be left blank.";
    EntryRuleSkipped => "Câu có điều kiện (“chỉ trả lời nếu …”) mà điều kiện không đúng: gõ {}, kể cả khi người trả lời vẫn đánh dấu.",
        "A question whose condition (“answer only if …”) does not hold: type {}, even if the respondent ticked a box.";
    EntryRuleMultiple => "Câu chọn nhiều phương án: nối các số bằng {}, ví dụ 1+3+6; cả nhóm tính là một câu.",
        "A question with several answers: join the numbers with {}, e.g. 1+3+6; the group counts as one question.";
    EntryRuleSpaces => "Dấu cách không được tính; có thể dùng để chia nhóm cho dễ soát, ví dụ 5454 45 345.",
        "Spaces are ignored; use them to group the keys for checking, e.g. 5454 45 345.";
    EntryNotKeyed => "Không nhập ở màn hình này (câu trả lời tự do):", "Not entered on this screen (free answers):";
    EntryNoteRequired => "bắt buộc", "required";
    EntryNoteBlank => "để trống: {}", "blank: {}";
    EntryNoteMultiple => "chọn nhiều: nối bằng {}", "several: join with {}";
    EntryNoteOnlyIf => "chỉ trả lời nếu {}; nếu không: {}", "answer only if {}; otherwise {}";
    EntryErrShort => "Dừng ở câu {} ({}): còn thiếu {} câu. Mỗi câu cần đúng một phím; câu không trả lời gõ {}.",
        "Stopped at question {} ({}): {} questions have no key. Every question needs exactly one key; type {} for no answer.";
    EntryErrLong => "Thừa {} phím sau câu cuối cùng, câu {} ({}): phiếu chỉ có {} câu. Hãy soát lại phím gõ thừa.",
        "{} keys too many after the last question, question {} ({}): the form has {} questions. Look for a key typed twice.";
    EntryErrNotAKey => "Câu {} ({}): “{}” không phải phím trả lời; gõ số của phương án, hoặc {} nếu không trả lời.",
        "Question {} ({}): “{}” is not an answer key; type the option's number, or {} for no answer.";
    EntryErrBadJoin => "Câu {} ({}): {} chỉ đặt giữa hai chữ số, ví dụ 1+3.", "Question {} ({}): {} goes between two digits, e.g. 1+3.";
    EntryErrNotAnOption => "Câu {} ({}): {} không phải phương án của câu này; các phương án: {}.",
        "Question {} ({}): {} is not an option of this question; the options are {}.";
    EntryErrOneAnswer => "Câu {} ({}): câu này chỉ có một câu trả lời; {} chỉ dùng cho câu chọn nhiều.",
        "Question {} ({}): this question takes one answer; {} is only for questions with several.";
    EntryErrTooManyChoices => "Câu {} ({}): chọn nhiều nhất {} phương án.", "Question {} ({}): at most {} options may be chosen.";
    EntryErrSkipped => "Câu {} ({}): chỉ trả lời nếu {}, nên gõ {} cho câu này.", "Question {} ({}): answered only if {}, so type {} for it.";
    EntryErrSkippedRun => "Câu {} đến {} ({} … {}): chỉ trả lời nếu {}, nên gõ {} cho cả {} câu này.",
        "Questions {} to {} ({} … {}): answered only if {}, so type {} for all {} of them.";
    EntryErrRequired => "Câu {} ({}): câu bắt buộc, không được để trống.", "Question {} ({}): required, it cannot be left blank.";
    EnterPaperForms => "Nhập phiếu giấy", "Enter paper forms";
    // Invitations by email, outbox, reminders, bounces.
    MailSubject => "Thư mời tham gia khảo sát", "Invitation to a survey";
    MailReminderSubject => "Nhắc lại: thư mời tham gia khảo sát", "Reminder: invitation to a survey";
    MailGreeting => "Kính gửi Quý Ông/Bà,", "Dear Sir or Madam,";
    MailReminderLead => "Chúng tôi chưa nhận được phiếu trả lời của Ông/Bà.", "We have not yet received your answers.";
    MailInvite => "Trân trọng mời Ông/Bà tham gia đợt khảo sát", "You are kindly invited to take part in the survey";
    MailLinkNote => "Đường dẫn dưới đây dành riêng cho Ông/Bà và chỉ dùng được một lần; xin không chuyển tiếp thư này:",
        "The link below is yours alone and works once; please do not forward this message:";
    MailOpenForm => "Mở phiếu khảo sát", "Open the questionnaire";
    MailCloses => "Đường dẫn hết hiệu lực khi đợt khảo sát kết thúc, ngày", "The link stops working when the survey closes, on";
    MailAnonymity => "Phiếu không hỏi họ tên. Câu trả lời được lưu tách biệt, không gắn với địa chỉ thư của Ông/Bà; chỉ ghi nhận là Ông/Bà đã trả lời.",
        "The form does not ask your name. Answers are stored apart and not linked to your address; we only record that you have answered.";
    MailClosing => "Trân trọng,", "Yours faithfully,";
    Invitations => "Thư mời cá nhân", "Personal invitations";
    InvitationsHint => "Tệp Excel (.xlsx) hoặc CSV (lưu theo bất kỳ cách nào Excel cho phép) có dòng tiêu đề email,unit_code,group (cột name tùy chọn, không được lưu). Nhập tất cả hoặc không dòng nào.",
        "An Excel (.xlsx) or CSV file (saved any way Excel offers) with the header email,unit_code,group (an optional name column is not stored). All rows are imported or none.";
    ImportRecipients => "Nhập danh sách người nhận", "Import recipients";
    RespondentGroup => "Nhóm đối tượng", "Respondent group";
    Invited => "Đã mời", "Invited";
    Sent => "Đã gửi", "Sent";
    Queued => "Đang chờ gửi", "Queued";
    Failed => "Gửi lỗi", "Failed";
    Bounced => "Bị trả lại", "Bounced";
    Answered => "Đã trả lời", "Answered";
    SendReminders => "Gửi thư nhắc", "Send reminders";
    AfterDays => "Sau số ngày", "After days";
    MaxReminders => "Số lần nhắc tối đa", "At most (reminders)";
    RemindersQueued => "Số thư nhắc đã xếp hàng:", "Reminders queued:";
    RecipientsImported => "Đã nhập (mới / trùng đã gộp):", "Imported (new / duplicates merged):";
    // Charts and breakdowns.
    ChartRanking => "Xếp hạng theo chỉ số chung (%)", "Ranking by overall index (%)";
    ChartChange => "Thay đổi so với kỳ trước (điểm phần trăm)", "Change from the previous campaign (percentage points)";
    Breakdowns => "Theo giới tính, độ tuổi, trình độ học vấn", "By gender, age band and education";
    Suppressed => "ẩn", "hidden";
    SuppressedNote => "Nhóm quá ít người trả lời nên không công bố, để không lộ danh tính", "Too few respondents in this group to publish without revealing a person";
    // The published report.
    BlockLabel => "Khối", "Block";
    StandingLabel => "Ghi chú", "Note";
    ReportTitle => "Báo cáo xếp hạng chỉ số hài lòng", "Satisfaction index ranking report";
    PublishedOn => "Công bố ngày", "Published on";
    ReportMethod => "Chỉ số của mỗi đơn vị là tỷ lệ phần trăm câu trả lời hài lòng (mức 4 và 5 trên thang 5 mức) trên tổng số câu trả lời hợp lệ, tính cho từng tiêu chí rồi lấy trung bình theo thành phần và theo chỉ số chung.",
        "Each unit's index is the percentage of satisfied answers (levels 4 and 5 of the five-level scale) among the valid answers, computed for each criterion and averaged by component and overall.";
    ReportXlsx => "Tải báo cáo dạng XLSX", "Download the report as XLSX";
    Report => "Báo cáo xếp hạng", "Ranking report";
    Publish => "Công bố kết quả", "Publish the results";
    Unpublish => "Thu hồi công bố", "Withdraw the publication";
    PublishedNote => "Đã công bố: báo cáo xếp hạng xem được không cần đăng nhập tại", "Published: the ranking report is public, with no login, at";
    NotPublishedNote => "Chưa công bố: chỉ người có tài khoản xem được kết quả.", "Not published: only accounts can see the results.";
    // The dashboard.
    Today => "Hôm nay", "Today";
    Last7Days => "7 ngày qua", "Last 7 days";
    DaysLeft => "Còn lại (ngày)", "Days left";
    FurthestBehind => "Đơn vị còn xa mục tiêu nhất", "Units furthest behind target";
    NoOpenCampaigns => "Không có đợt khảo sát nào đang mở.", "No campaign is open.";
    PersonalLinks => "Phiếu cá nhân", "Personal links";
    Tools => "Công cụ", "Tools";
    AllUnitsInForce => "Tất cả đơn vị đang hoạt động trong thời gian khảo sát", "Every unit in force over the period";
    EverythingUnder => "Một đơn vị và mọi đơn vị trực thuộc", "A unit and everything under it";
    UnderUnit => "Đơn vị", "Unit";
    PickedUnits => "Chọn từng đơn vị", "Pick units one by one";
    FindInPageHint => "Tìm nhanh: dùng chức năng tìm trong trang của trình duyệt (Ctrl+F).", "To search, use the browser's find in page (Ctrl+F).";
    Templates => "Mẫu phiếu", "Templates";
    PreviewQuestionnaire => "Xem trước phiếu khảo sát", "Preview the questionnaire";
    PreviewUnit => "Đơn vị (xem trước)", "Unit (preview)";
    PreviewNothingStored => "Bản xem trước: phiếu hiện như người dân thấy, từng trang, có kiểm tra và câu hỏi điều kiện; không lưu câu trả lời nào.", "Preview: the form as a citizen sees it, page by page, with its checks and conditional questions; no answer is stored.";
    PreviewFinished => "Hết phiếu (xem trước)", "End of the questionnaire (preview)";
    PreviewAnswersKept => "Ở phiếu thật, người dân thấy lời cảm ơn và các câu trả lời được lưu. Số câu sẽ được lưu", "On the real form the citizen sees the thank-you page and the answers are stored. Answers that would be stored";
    PreviewAgain => "Xem lại từ đầu", "Start the preview again";
    // A campaign's own page.
    PaperForm => "Phiếu giấy", "Paper form";
    DataEntry => "Nhập phiếu giấy", "Data entry";
    ByService => "Theo thủ tục hành chính", "By public service";
    ExportTable => "Bảng", "Table";
    AllUnits => "Tất cả đơn vị", "All units";
    ExportNote => "Bảng chọn ở trên áp dụng cho CSV; XLSX chứa mọi bảng; JSON là kết quả, NDJSON là từng phiếu (ẩn danh). Để trống ngày để lấy cả đợt.",
        "The table chosen above applies to CSV; XLSX holds every table; JSON is the results, NDJSON each response (anonymised). Leave the dates empty for the whole campaign.";
    OnThisPage => "Trên trang này", "On this page";
    Collecting => "Thu phiếu", "Collecting responses";
    Exports => "Xuất dữ liệu", "Exports";
    Settings => "Cài đặt", "Settings";
    ResultsJson => "Kết quả dạng JSON", "Results as JSON";
    PosterSheetAll => "In tất cả áp phích", "Print every poster";
    PosterSheetOf => "Áp phích của", "Posters of";
    PostersPrintNote => "áp phích, mỗi áp phích một trang A4. Dùng lệnh In của trình duyệt.", "posters, one per A4 page. Use the browser's Print.";
    Services => "Thủ tục hành chính", "Public services";
    // A campaign's settings page.
    PreviousCampaign => "Đợt khảo sát trước để so sánh", "The previous campaign to compare with";
    NoPreviousCampaign => "không so sánh", "no comparison";
    SaveSetting => "Lưu", "Save";
    ChangeSettings => "Đổi đợt so sánh, chỉ tiêu, thủ tục hành chính", "Change the comparison, targets and public services";
    SettingSaved => "Đã lưu.", "Saved.";
    SampleRule => "Cỡ mẫu theo công thức n = N / (1 + N·e²), N là số giao dịch (lượt giải quyết thủ tục) trong kỳ, e là sai số cho phép (thường 0,05).",
        "Sample size by n = N / (1 + N·e²), where N is the number of transactions in the period and e the margin of error (usually 0.05).";
    PlanForPopulation => "Tính cỡ mẫu cho một tổng thể", "Sample size for a population";
    Population => "Số giao dịch (N)", "Transactions (N)";
    Margin => "Sai số cho phép (e)", "Margin of error (e)";
    Compute => "Tính", "Compute";
    BadPopulation => "Số giao dịch phải là số nguyên dương.", "The number of transactions must be a whole number above zero.";
    PlanFromTransactions => "Chỉ tiêu từng đơn vị từ số giao dịch", "Each unit's target from its transactions";
    TransactionsHint => "Tệp hoặc bảng dán có cột unit_code,transactions, đủ mọi đơn vị của đợt. Cỡ mẫu của cả đợt được chia cho các đơn vị theo tỷ lệ số giao dịch. Tải bảng mẫu có sẵn mã đơn vị:",
        "A file or pasted table with the columns unit_code,transactions, listing every unit of the campaign. The campaign's sample is shared among the units in proportion to their transactions. Download a sheet with the unit codes filled in:";
    TransactionsSheet => "bảng mẫu (CSV)", "sheet (CSV)";
    StoreTargets => "Tính và lưu chỉ tiêu", "Compute and store the targets";
    TargetsStored => "Đã lưu chỉ tiêu: {} phiếu cho {} đơn vị.", "Targets stored: {} questionnaires over {} units.";
    NoServices => "Chưa có thủ tục hành chính nào: đường dẫn và mã QR chỉ theo đơn vị.", "No public service yet: links and QR codes are per unit only.";
    ServicesHint => "Tệp hoặc bảng dán có cột code,name. Danh sách mới thay cho danh sách cũ; mã QR theo thủ tục dùng mã (code).",
        "A file or pasted table with the columns code,name. The new list replaces the old one; per-service QR codes use the code.";
    StoreServices => "Lưu danh sách thủ tục", "Store the services";
    ServicesStored => "Đã lưu {} thủ tục hành chính.", "{} public services stored.";
    CloseConfirm => "Đóng đợt khảo sát thì mọi đường dẫn, mã QR và phiếu cá nhân ngừng nhận phiếu. Các phiếu đã thu vẫn được giữ. Có thể mở lại sau.",
        "Closing the campaign stops every link, QR code and personal invitation from taking answers. The responses collected are kept. It can be reopened.";
    OpenConfirm => "Mở đợt khảo sát thì các đường dẫn và mã QR bắt đầu nhận phiếu.", "Opening the campaign lets its links and QR codes take answers.";
    Cancel => "Hủy", "Cancel";
    // The ranking, block by block.
    ChartComponentsOfUnit => "Chỉ số thành phần (%)", "Component indices (%)";
    BlockDepartments => "Khối sở, cơ quan tương đương sở", "Departments and agencies of equal rank";
    BlockDistricts => "Khối UBND quận, huyện, thị xã", "Urban districts, rural districts and towns";
    BlockCommunes => "Khối UBND xã, phường, thị trấn", "Communes, wards and townships";
    BlockCity => "Thành phố", "The city";
    BlockAverage => "Chỉ số trung bình", "Average index";
    UnitsRanked => "đơn vị được xếp hạng", "units ranked";
    ChangeShort => "Thay đổi", "Change";
    RankShort => "Hạng", "Rank";
    TooFewResponses => "chưa đủ số phiếu", "not enough responses";
    BandShort => "Loại", "Band";
    RankBeforeShort => "hạng trước", "was";
    RankingMethod => "Mỗi khối xếp hạng riêng theo chỉ số chung (%), làm tròn hai chữ số thập phân; đơn vị bằng điểm cùng hạng. Các cấp tổng hợp (thành phố, quận, huyện) không xếp hạng cùng đơn vị.",
        "Each block is ranked on its own by the overall index (%), rounded to two decimals; units with equal figures share a rank. Levels above the units (the city, a district) are not ranked among them.";
    RankMinNote => "Đơn vị có ít phiếu hơn mức tối thiểu được ghi \"chưa đủ số phiếu\" và không xếp hạng. Mức tối thiểu:",
        "Units with fewer respondents than the minimum are listed as \"not enough responses\" and not ranked. Minimum:";
    BandNote => "Xếp loại:", "Bands:";
    UnitDetails => "Kết quả từng đơn vị", "Each unit's results";
    Component => "Thành phần", "Component";
    UnitPageLink => "Xem từng tiêu chí, phân bố câu trả lời", "See each criterion and the distribution of answers";
    CriteriaNote => "Dưới tỷ lệ là khoảng tin cậy 95%; cột bên cạnh là số hài lòng trên số trả lời hợp lệ.",
        "Under each rate is its 95 % interval; the next column gives the satisfied answers of the valid ones.";
    SatisfiedOfValid => "Hài lòng / hợp lệ", "Satisfied / valid";
    StackedCaption => "Câu trả lời hợp lệ của từng tiêu chí (100 %); vạch đậm phía trên và con số bên phải là tỷ lệ hài lòng.",
        "Each criterion's valid answers (100 %); the bold line above and the number on the right are the satisfied share.";
    // A campaign's own mail wording, opt-out page.
    MailReminderPrefix => "Nhắc lại", "Reminder";
    MailOptOutNote => "Không muốn nhận thư nhắc về đợt khảo sát này? Mở:", "Do not want reminders about this survey? Open:";
    MailWording => "Nội dung thư mời", "Invitation wording";
    MailWordingHint => "Văn bản thuần, các đoạn cách nhau một dòng trống. Để trống cả tiêu đề và nội dung để dùng nội dung mặc định.",
        "Plain text, paragraphs separated by a blank line. Leave both the subject and the body empty to use the default wording.";
    MailWordingReminderHint => "Nếu để trống, thư nhắc dùng nội dung thư mời, thêm «Nhắc lại» vào tiêu đề.",
        "If left empty, reminders use the invitation wording with «Reminder» added to the subject.";
    MailWordingInvitation => "Thư mời", "Invitation";
    MailWordingReminder => "Thư nhắc", "Reminder";
    MailSubjectLabel => "Tiêu đề", "Subject";
    MailBodyLabel => "Nội dung", "Body";
    MailWordingSave => "Lưu nội dung thư", "Save the wording";
    MailWordingSaved => "Đã lưu nội dung thư.", "The wording is saved.";
    MailWordingDefault => "Đang dùng nội dung mặc định.", "The default wording is used.";
    MailWordingCustom => "Đang dùng nội dung riêng của đợt khảo sát.", "The campaign's own wording is used.";
    PlaceholdersTitle => "Chỗ điền", "Placeholders";
    PlaceholderCampaign => "tên đợt khảo sát", "the campaign's name";
    PlaceholderUnit => "tên đơn vị của người nhận", "the recipient's unit";
    PlaceholderLink => "đường dẫn cá nhân (bắt buộc trong nội dung)", "the personal link (required in the body)";
    PlaceholderDeadline => "ngày kết thúc khảo sát", "the closing day";
    PlaceholderSender => "tên người gửi", "the sender's name";
    PlaceholderBraces => "Viết {{ và }} để có dấu ngoặc nhọn.", "Write {{ and }} for literal braces.";
    WordingUnknown => "chỗ điền không có:", "unknown placeholder:";
    WordingUnclosed => "dấu ngoặc nhọn chưa đóng (chỗ điền có dạng {link})", "a brace is not closed (placeholders look like {link})";
    WordingNoLink => "nội dung phải có {link}, đường dẫn cá nhân", "the body must contain {link}, the personal link";
    WordingEmpty => "chưa nhập", "is empty";
    WordingTooLong => "quá dài; số ký tự tối đa:", "too long; characters at most:";
    WordingLinkInSubject => "không dùng {link} trong tiêu đề", "{link} cannot be used in the subject";
    WordingOneLine => "tiêu đề phải nằm trên một dòng", "the subject must be one line";
    WordingHalf => "cần nhập cả tiêu đề và nội dung, hoặc để trống cả hai", "give both the subject and the body, or leave both empty";
    OptOutTitle => "Ngừng nhận thư nhắc", "Stop reminders";
    OptOutQuestion => "Ông/Bà muốn ngừng nhận thư nhắc về đợt khảo sát này? Đường dẫn khảo sát vẫn dùng được nếu Ông/Bà muốn trả lời sau.",
        "Do you want to stop reminders about this survey? The survey link keeps working if you want to answer later.";
    OptOutButton => "Ngừng nhận thư nhắc", "Stop reminders";
    OptOutDone => "Ông/Bà sẽ không nhận thêm thư nhắc về đợt khảo sát này. Cảm ơn Ông/Bà.", "You will get no more reminders about this survey. Thank you.";
    OptedOut => "Từ chối thư nhắc", "Opted out";
}

impl Msg {
    /// The message with each `{}` replaced by the next argument, so a number
    /// can sit where each language's word order puts it.
    pub fn fill(self, lang: Lang, args: &[&dyn std::fmt::Display]) -> String {
        let mut out = String::new();
        let mut args = args.iter();
        let mut parts = self.get(lang).split("{}");
        if let Some(first) = parts.next() {
            out.push_str(first);
        }
        for part in parts {
            if let Some(a) = args.next() {
                out.push_str(&a.to_string());
            }
            out.push_str(part);
        }
        out
    }
}

/// The name of a kind of unit.
pub fn kind_msg(kind: crate::domain::unit::UnitKind) -> Msg {
    use crate::domain::unit::UnitKind as K;
    match kind {
        K::City => Msg::KindCity,
        K::Department => Msg::KindDepartment,
        K::District => Msg::KindDistrict,
        K::UrbanDistrict => Msg::KindUrbanDistrict,
        K::RuralDistrict => Msg::KindRuralDistrict,
        K::Town => Msg::KindTown,
        K::Ward => Msg::KindWard,
        K::Commune => Msg::KindCommune,
        K::Township => Msg::KindTownship,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_take_the_same_arguments() {
        for m in Msg::ALL {
            let n = |l| m.get(l).matches("{}").count();
            assert_eq!(n(Lang::Vi), n(Lang::En), "{m:?}");
        }
        assert_eq!(
            Msg::EntryErrTooManyChoices.fill(Lang::Vi, &[&4, &"N2 · Kênh", &2]),
            "Câu 4 (N2 · Kênh): chọn nhiều nhất 2 phương án."
        );
    }
}
