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
    // Issue 5: channels and the form.
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
    PosterScan => "Quét mã QR bằng điện thoại để đánh giá sự phục vụ. Phiếu không hỏi họ tên, chỉ mất khoảng 2 phút.",
        "Scan the QR code with your phone to rate our service. The form does not ask your name and takes about 2 minutes.";
    PosterOrOpen => "Hoặc mở đường dẫn:", "Or open:";
    PrintPoster => "Áp phích mã QR", "QR poster";
    PaperInstructions => "Ông/Bà vui lòng đánh dấu (✓) vào một ô cho mỗi câu hỏi.", "Please tick (✓) one box for each question.";
    PaperOnlyIf => "chỉ trả lời nếu", "answer only if";
    PaperThanks => "Xin trân trọng cảm ơn Ông/Bà!", "Thank you very much!";
    PrintView => "Bản in phiếu giấy", "Paper version";

    // Issue 4: accounts, roles, admin screens.
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
    ImportUnits => "Nhập đơn vị từ CSV", "Import units from CSV";
    ImportUnitsHint => "Tệp CSV gồm các cột code,name,kind,parent_code, mã hóa UTF-8. Chỉ nhập khi mọi dòng đều hợp lệ; nếu có lỗi, mọi lỗi được liệt kê theo số dòng.", "A CSV file with columns code,name,kind,parent_code, in UTF-8. Nothing is imported unless every row is valid; otherwise every error is listed with its line.";
    CsvFile => "Chọn tệp CSV", "Choose a CSV file";
    CsvPaste => "hoặc dán nội dung CSV", "or paste the CSV";
    NotUtf8 => "Tệp không phải văn bản UTF-8. Hãy lưu lại dưới dạng “CSV UTF-8” rồi tải lên lần nữa.", "The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.";
    ImportDone => "Đã nhập đơn vị (thêm mới / cập nhật):", "Units imported (added / updated):";
    Line => "Dòng", "Line";
    UnitCode => "Mã", "Code";
    UnitKind => "Loại", "Kind";
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
    // Issue 5: personal links.
    SaveForLater => "Lưu để làm tiếp sau", "Save and continue later";
    SavedTitle => "Đã lưu các câu trả lời", "Your answers are saved";
    SavedBody => "Ông/Bà có thể đóng trang này. Khi mở lại đúng đường dẫn cá nhân đã nhận, phiếu sẽ tiếp tục từ chỗ đang dở.",
        "You can close this page. Open the same personal link again to continue where you left off.";
    AlreadyAnsweredTitle => "Phiếu này đã được trả lời", "This questionnaire has been answered";
    AlreadyAnsweredBody => "Đường dẫn cá nhân chỉ dùng được một lần và phiếu đã được gửi. Xin cảm ơn Ông/Bà.",
        "A personal link can be used once, and this questionnaire has been sent. Thank you.";
    ContinueForm => "Tiếp tục trả lời", "Continue";
    // Issue 5: paper data entry.
    EntryTitle => "Nhập phiếu giấy", "Paper form entry";
    EntryKeysLabel => "Các câu trả lời của một phiếu, mỗi câu một phím", "One form's answers, one key per question";
    EntryKeysHint => "Gõ số của phương án theo đúng thứ tự câu hỏi trong bảng dưới, rồi nhấn Enter. Câu bỏ trống:", "Type each answer's number in the order of the table below, then press Enter. For a blank answer type";
    EntrySave => "Lưu phiếu và nhập phiếu tiếp", "Save and enter the next form";
    EntrySaved => "Đã lưu. Số phiếu đã nhập trong lượt này:", "Saved. Forms entered in this batch:";
    EntryOrder => "Thứ tự câu hỏi", "Order of the questions";
    EntryKeys => "Phím", "Keys";
    EntryBatch => "Lượt nhập (số phiếu · người nhập)", "Batch (forms · entered by)";
    EntryTooMany => "Số phím nhiều hơn số câu hỏi", "More keys than questions";
    EntryNotAKey => "không phải chữ số hay dấu bỏ trống:", "is not a digit or a blank key:";
    EnterPaperForms => "Nhập phiếu giấy", "Enter paper forms";
    // Issue 6: invitations by email, outbox, reminders, bounces.
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
    InvitationsHint => "Tệp CSV có dòng tiêu đề email,unit_code,group (cột name tùy chọn, không được lưu). Nhập tất cả hoặc không dòng nào.",
        "A CSV file with the header email,unit_code,group (an optional name column is not stored). All rows are imported or none.";
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
    // Issue 7: charts.
    ChartRanking => "Xếp hạng theo chỉ số chung (%)", "Ranking by overall index (%)";
    ChartChange => "Thay đổi so với kỳ trước (điểm phần trăm)", "Change from the previous campaign (percentage points)";
    Breakdowns => "Theo giới tính, độ tuổi, trình độ học vấn", "By gender, age band and education";
    Suppressed => "ẩn", "hidden";
    SuppressedNote => "Nhóm quá ít người trả lời nên không công bố, để không lộ danh tính", "Too few respondents in this group to publish without revealing a person";
    // Issue 7 (rest): components chart.
    ChartComponents => "Chỉ số thành phần theo từng đơn vị (%)", "Component indices per unit (%)";
    // issue 6 (rest): campaign wording, opt-out page.
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
