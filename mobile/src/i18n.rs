//! Every string the app's screens show, in Vietnamese (default) and English: one catalogue.
//! Domain words (codes, indicator reasons, validation messages, WHO conditions) come from
//! `shared` as `Text { vi, en }` and are picked with the same [`Lang`].

pub use shared::text::Lang;

macro_rules! catalogue {
    ($( $key:ident => $vi:literal, $en:literal; )+) => {
        /// A catalogue entry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum K { $( #[doc = $en] $key, )+ }

        impl K {
            /// Every entry (to check the catalogue is complete).
            pub const ALL: &'static [K] = &[$(K::$key),+];

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( (K::$key, Lang::Vi) => $vi, (K::$key, Lang::En) => $en, )+
                }
            }
        }
    };
}

catalogue! {
    AppName => "Rà soát hộ nghèo", "Poverty review";
    SwitchLang => "English", "Tiếng Việt";
    EnrolTitle => "Đăng ký thiết bị", "Enrol this device";
    EnrolHelp => "Nhập địa chỉ máy chủ và mã đăng ký do cán bộ phường cấp, hoặc dán liên kết từ mã QR.", "Enter the server address and the enrolment code from ward staff, or paste the link from the QR code.";
    ServerUrl => "Địa chỉ máy chủ", "Server address";
    EnrolCode => "Mã đăng ký", "Enrolment code";
    EnrolButton => "Đăng ký", "Enrol";
    Enrolling => "Đang đăng ký…", "Enrolling…";
    EnrolIncomplete => "Cần địa chỉ máy chủ và mã đăng ký", "Server address and code are needed";
    EnrolUnreachable => "Không kết nối được máy chủ", "Cannot reach the server";
    EnrolRefused => "Máy chủ từ chối mã", "The server refused the code";
    RoleCollector => "Rà soát viên", "Collector";
    RoleHealth => "Cán bộ y tế", "Health worker";
    RoleOther => "Cán bộ phường", "Ward staff";
    Groups => "Tổ", "Groups";
    Search => "Tìm theo tên, địa chỉ, mã hộ", "Search name, address, code";
    Households => "hộ", "households";
    NoHouseholds => "Không có hộ nào", "No households";
    NewHousehold => "+ Thêm hộ mới", "+ New household";
    MoreResults => "Xem thêm", "Show more";
    FilterAll => "Tất cả", "All";
    FilterNotVisited => "Chưa rà soát năm nay", "Not visited this year";
    FilterPoor => "Nghèo", "Poor";
    FilterNearPoor => "Cận nghèo", "Near-poor";
    FilterUndetermined => "Chưa xác định", "Undetermined";
    FilterConflicts => "Có xung đột", "Has conflicts";
    FilterUnsynced => "Chưa đồng bộ", "Unsynced";
    SyncNow => "Đồng bộ", "Sync";
    Syncing => "Đang đồng bộ…", "Syncing…";
    Pending => "chờ gửi", "pending";
    LastSync => "Lần cuối", "Last sync";
    NeverSynced => "chưa đồng bộ", "never";
    SyncOffline => "Không kết nối được máy chủ (mất mạng?) — sẽ tự thử lại", "Cannot reach the server (offline?) — will retry";
    SyncUnauthorised => "Thiết bị bị thu hồi hoặc mã không hợp lệ: cần đăng ký lại", "Device revoked or token unknown: enrol again";
    SyncRefused => "Máy chủ từ chối, chưa lưu gì", "The server refused; nothing was stored";
    SyncServerError => "Lỗi máy chủ", "Server error";
    RetryIn => "thử lại sau", "retry in";
    ReasonOutOfScope => "hộ ngoài địa bàn của bạn", "household outside your area";
    ReasonForbidden => "sửa trường không thuộc quyền", "changed fields your role may not change";
    ReasonForeignActor => "thay đổi không phải của thiết bị này", "changes not made by this device";
    ReasonMalformed => "dữ liệu hỏng", "malformed data";
    Back => "‹ Quay lại", "‹ Back";
    Next => "Tiếp ›", "Next ›";
    Finish => "Xong", "Done";
    Saved => "Đã lưu", "Saved";
    SaveFailed => "Không lưu được", "Could not save";
    StepOf => "Bước", "Step";
    Confirm => "Xác nhận đúng", "Confirm";
    Confirmed => "Đã xác nhận", "Confirmed";
    FixErrors => "Sửa các lỗi trước khi tiếp tục", "Fix the errors to continue";
    ConfirmWarnings => "Xác nhận các cảnh báo để tiếp tục", "Confirm the warnings to continue";
    Required => "Bắt buộc", "Required";
    InvalidNumber => "Số không hợp lệ", "Not a valid number";
    InvalidDate => "Ngày không hợp lệ (NNNN-TT-NN)", "Not a valid date (YYYY-MM-DD)";
    HouseholdCode => "Mã hộ", "Household code";
    Address => "Địa chỉ", "Address";
    Group => "Tổ dân phố / thôn", "Residential group";
    InterviewDate => "Ngày phỏng vấn", "Interview date";
    Phone => "Điện thoại", "Phone";
    AddMember => "+ Thêm thành viên", "+ Add member";
    EditMember => "Sửa", "Edit";
    RemoveMember => "Xóa", "Remove";
    SaveMember => "Lưu thành viên", "Save member";
    Cancel => "Hủy", "Cancel";
    YearsOld => "tuổi", "years";
    NoQuestion => "Không có câu hỏi cho hộ này ở bước này", "No question for this household at this step";
    Yes => "Có", "Yes";
    No => "Không", "No";
    NotAnswered => "Chưa trả lời", "Not answered";
    Choose => "— Chọn —", "— Choose —";
    Category => "Phân loại", "Category";
    Provisional => "chuẩn tạm thời", "provisional standard";
    Deprived => "Thiếu hụt", "Deprived";
    NotDeprived => "Không thiếu hụt", "Not deprived";
    Unknown => "Chưa rõ", "Unknown";
    B2Score => "Điểm B2", "B2 score";
    Indicators => "12 chỉ số thiếu hụt", "The 12 deprivation indicators";
    Problems => "Vấn đề cần xem", "Problems to check";
    Conflicts => "Xung đột cần cán bộ phường xử lý", "Conflicts for ward staff to settle";
    Survey => "Khảo sát", "Survey";
    ContinueSurvey => "Tiếp tục khảo sát", "Continue survey";
    Members => "thành viên", "members";
    Children => "Trẻ dưới 16 tuổi", "Children under 16";
    NoChildren => "Hộ không có trẻ dưới 16 tuổi", "No child under 16 in this household";
    Measure => "+ Đo", "+ Measure";
    MeasureTitle => "Cân đo trẻ", "Measure a child";
    MeasuredOn => "Ngày đo", "Date measured";
    Weight => "Cân nặng (kg)", "Weight (kg)";
    LengthHeight => "Chiều dài/cao (cm)", "Length/height (cm)";
    Position => "Tư thế đo", "Position";
    Oedema => "Phù hai chân", "Bilateral oedema";
    SaveMeasurement => "Lưu kết quả đo", "Save measurement";
    Remeasure => "Đo lại", "Re-measure";
    ConfirmKeep => "Xác nhận giữ giá trị", "Confirm and keep";
    ImplausibleHelp => "Giá trị không hợp lý: đo lại, hoặc xác nhận nếu đã kiểm tra", "Implausible value: re-measure, or confirm if checked";
    NoZscore => "Chưa tính được", "Not computed";
    Normal => "Bình thường", "Normal";
    Measurements => "Các lần đo", "Measurements";
    ChartWfa => "Cân nặng theo tuổi (WHO)", "Weight-for-age (WHO)";
    ChartHfa => "Chiều cao theo tuổi (WHO)", "Height-for-age (WHO)";
    AgeMonths => "tháng", "months";
    Language => "Ngôn ngữ", "Language";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_both_languages_and_they_differ_where_words_do() {
        for k in K::ALL {
            assert!(!k.get(Lang::Vi).is_empty() && !k.get(Lang::En).is_empty(), "{k:?}");
        }
        assert_eq!(K::Next.get(Lang::Vi), "Tiếp ›");
        assert_eq!(K::Next.get(Lang::En), "Next ›");
    }
}
